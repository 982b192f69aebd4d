#pragma once

// What `pecast image inspect` reports about a raw disk image: the partition table, the boot code,
// the NTFS boot sector, the files, and a list of checks. Works on any MBR image (other boot code,
// a partition at LBA 63, no NTFS): it reports what is there instead of failing.
// The BCD-aware checks (the BCD's WIM and SDI paths exist) are added by
// pipeline/imageinspection, since core/disk must not depend on core/bcd.

#include "disk/ntfsvolume.h"
#include "util/error.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace pecast::disk {

struct PartitionEntry
{
    int index = 0; // 1..4
    bool active = false; // 0x80 status byte
    quint8 status = 0;
    quint8 type = 0;
    quint32 startLba = 0;
    quint32 sectors = 0;
    quint32 startCylinder = 0, startHead = 0, startSector = 0;
    quint32 endCylinder = 0, endHead = 0, endSector = 0;
};

struct BootCodeInfo
{
    enum class Kind { None, GrubI386Pc, Other };
    Kind kind = Kind::None;
    quint64 kernelSector = 0; // boot.img 0x5C
    quint8 bootDrive = 0; // boot.img 0x64
    bool hardDiskPatch = false; // 90 90 at 0x66
    bool coreImagePresent = false; // diskboot.img signature found at kernelSector
    quint64 blocklistStart = 0; // core.img first-sector blocklist: start LBA
    quint16 blocklistSectors = 0; // and length
    QString kindName() const; // "none", "grub-i386-pc", "other"
};

struct NtfsBootSector
{
    bool valid = false; // "NTFS    " OEM id and 55 AA
    quint16 bytesPerSector = 0;
    quint8 sectorsPerCluster = 0;
    quint16 sectorsPerTrack = 0;
    quint16 heads = 0;
    quint32 hiddenSectors = 0;
    quint64 totalSectors = 0;
};

struct ImageCheck
{
    enum class Result { Pass, Warn, Fail };
    QString name; // stable id: "partition-table", "boot-code", "bootmgr-size", ...
    Result result = Result::Pass;
    QString message; // for people
};

struct ImageReport
{
    QString path;
    qint64 sizeBytes = 0;
    quint32 diskSignature = 0;
    QList<PartitionEntry> partitions; // non-empty entries only
    int bootPartition = 0; // index of the active NTFS partition inspected, 0: none
    BootCodeInfo bootCode;
    NtfsBootSector ntfs;
    bool volumeOpened = false;
    QString volumeError; // why the NTFS could not be opened
    QString volumeLabel;
    qint64 volumeFreeBytes = 0;
    qint64 volumeTotalBytes = 0;
    QList<NtfsEntry> files;
    QList<ImageCheck> checks;

    bool consistent() const; // no check failed (warnings are allowed)
    void addCheck(const QString &name, ImageCheck::Result result, const QString &message);
    const NtfsEntry *findFile(const QString &filePath) const; // case-insensitive, '/' or '\'
    qint64 partitionOffset() const; // byte offset of bootPartition, -1 if none

    QJsonObject toJson() const;
    QString toText() const;
};

// memdisk leaves 622 KiB of base memory under iPXE; ntldr loads bootmgr whole below 640 KiB;
// 490 KiB booted in QEMU, 500 KiB hung (bootchain.md).
constexpr qint64 kMaxBootmgrBytes = 490 * 1024;

// Reads the image (never writes). Errors only when the file cannot be read or is not a disk
// image at all (no 55 AA signature): everything else becomes a failed check in the report.
Result<ImageReport> inspectImage(const QString &path);

} // namespace pecast::disk
