#pragma once

// GRUB 2 i386-pc boot code for a PEcast image (bootchain.md): boot.img goes into MBR bytes
// 0..439 (with the 90 90 hard-disk patch at 0x66), and a core.img built by grub-mkimage with
// biosdisk, part_msdos, ntfs and ntldr and an embedded "ntldr /bootmgr; boot" config is written
// contiguously from LBA 1. grub-mkimage already fills core.img's first-sector blocklist
// (LBA 2, length = sectors - 1), so no patching of core.img is needed.
// The files come from Debian's grub-pc-bin, found at run time.

#include "disk/disklayout.h"
#include "util/error.h"
#include "util/progress.h"

#include <QByteArray>
#include <QString>

namespace pecast::disk {

class GrubBootCode
{
public:
    // Runs grub-mkimage into a temporary directory. Fails with Errc::NotFound naming the file
    // and the package (grub-pc-bin) when GRUB's i386-pc files or grub-mkimage are missing.
    static Result<GrubBootCode> build(Progress &progress);

    // Where the i386-pc modules live (/usr/lib/grub/i386-pc, or $PECAST_GRUB_DIR).
    static QString grubDirectory();

    // Offsets in boot.img (grub-core/boot/i386/pc/boot.S)
    static constexpr int kKernelSectorOffset = 0x5C; // 8-byte LBA of core.img's first sector
    static constexpr int kBootDriveOffset = 0x64; // 0xFF: use the DL the BIOS passed
    static constexpr int kDriveCheckOffset = 0x66; // grub-bios-setup writes 90 90 for hard disks
    static constexpr int kBootCodeBytes = 440; // MBR boot code area, before the disk signature
    // Offset of the first-sector blocklist in core.img's diskboot.img: start LBA (8 bytes),
    // length in sectors (2 bytes), segment (2 bytes); it sits at the end of the sector.
    static constexpr int kBlocklistOffset = 0x200 - 12;

    const QByteArray &bootImage() const { return m_bootImage; } // 512 bytes, patched
    const QByteArray &coreImage() const { return m_coreImage; } // padded to whole sectors
    int coreSectors() const { return int(m_coreImage.size() / kSectorSize); }

    // Writes boot.img + signature + partition table (buildMbr) at sector 0 and core.img at
    // LBA 1. Fails if core.img would not fit before the partition.
    Status writeTo(int fd, const DiskLayout &layout) const;

private:
    QByteArray m_bootImage;
    QByteArray m_coreImage;
};

// Convenience for the pipeline: the same as bootCode.writeTo(fd, layout).
Status writeBootCode(int fd, const DiskLayout &layout, const GrubBootCode &bootCode);

} // namespace pecast::disk
