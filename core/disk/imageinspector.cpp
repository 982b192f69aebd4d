// inspectImage(): reads a raw disk image and reports what is there, with checks for what a
// PEcast image needs to boot under memdisk (bootchain.md).

#include "disk/disklayout.h"
#include "disk/grubbootcode.h"
#include "disk/imagereport.h"
#include "util/uniquefd.h"

#include <QFile>
#include <QtEndian>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace pecast::disk {

namespace {

using R = ImageCheck::Result;

constexpr int kTableOffset = 0x1BE;
constexpr int kEntrySize = 16;
constexpr int kSignatureOffset = 0x1B8;
// diskboot.img (core.img's first sector) loads the rest of core.img to segment 0x820.
constexpr quint16 kDiskbootSegment = 0x0820;

QByteArray readAt(int fd, qint64 offset, qint64 size)
{
    QByteArray data(size, '\0');
    const ssize_t n = ::pread(fd, data.data(), size_t(size), off_t(offset));
    if (n < 0)
        return {};
    data.truncate(n);
    return data;
}

const uchar *u(const QByteArray &data)
{
    return reinterpret_cast<const uchar *>(data.constData());
}

void decodeChs(const uchar *chs, quint32 &cylinder, quint32 &head, quint32 &sector)
{
    head = chs[0];
    sector = chs[1] & 0x3F;
    cylinder = quint32(chs[2]) | (quint32(chs[1] & 0xC0) << 2);
}

void inspectBootCode(int fd, const QByteArray &mbr, ImageReport &report)
{
    const QByteArray code = mbr.left(GrubBootCode::kBootCodeBytes);
    if (code.count('\0') == code.size()) {
        report.bootCode.kind = BootCodeInfo::Kind::None;
        return;
    }
    // boot.img's message strings: "GRUB ", "Geom", "Hard Disk", "Read", " Error".
    if (!code.contains("GRUB ") || !code.contains("Geom")) {
        report.bootCode.kind = BootCodeInfo::Kind::Other;
        return;
    }
    BootCodeInfo &info = report.bootCode;
    info.kind = BootCodeInfo::Kind::GrubI386Pc;
    info.kernelSector = qFromLittleEndian<quint64>(u(mbr) + GrubBootCode::kKernelSectorOffset);
    info.bootDrive = u(mbr)[GrubBootCode::kBootDriveOffset];
    info.hardDiskPatch = u(mbr)[GrubBootCode::kDriveCheckOffset] == 0x90
        && u(mbr)[GrubBootCode::kDriveCheckOffset + 1] == 0x90;
    if (info.kernelSector == 0 || info.kernelSector > quint64(kMaxDiskBytes / kSectorSize))
        return;
    const QByteArray first = readAt(fd, qint64(info.kernelSector) * kSectorSize, kSectorSize);
    if (first.size() != kSectorSize)
        return;
    info.blocklistStart = qFromLittleEndian<quint64>(u(first) + GrubBootCode::kBlocklistOffset);
    info.blocklistSectors
        = qFromLittleEndian<quint16>(u(first) + GrubBootCode::kBlocklistOffset + 8);
    const quint16 segment
        = qFromLittleEndian<quint16>(u(first) + GrubBootCode::kBlocklistOffset + 10);
    info.coreImagePresent = segment == kDiskbootSegment
        && info.blocklistStart == info.kernelSector + 1 && info.blocklistSectors > 0;
}

void checkBootCode(ImageReport &report, const PartitionEntry *boot)
{
    const BootCodeInfo &info = report.bootCode;
    switch (info.kind) {
    case BootCodeInfo::Kind::None:
        report.addCheck(QStringLiteral("boot-code"), R::Fail,
            QStringLiteral("the MBR has no boot code; the image cannot boot"));
        return;
    case BootCodeInfo::Kind::Other:
        report.addCheck(QStringLiteral("boot-code"), R::Warn,
            QStringLiteral("the MBR boot code is not GRUB's; PEcast cannot tell whether it "
                           "starts \\bootmgr"));
        return;
    case BootCodeInfo::Kind::GrubI386Pc:
        break;
    }
    QStringList problems;
    if (!info.hardDiskPatch)
        problems << QStringLiteral("the 90 90 hard-disk patch at 0x66 is missing");
    if (info.bootDrive != 0xFF && info.bootDrive < 0x80)
        problems << QStringLiteral("boot drive 0x%1 is not a hard disk").arg(info.bootDrive, 2, 16);
    if (!info.coreImagePresent)
        problems << QStringLiteral("no core.img at LBA %1").arg(info.kernelSector);
    else if (boot && info.blocklistStart + info.blocklistSectors > quint64(boot->startLba))
        problems << QStringLiteral("core.img (LBA %1..%2) overlaps the partition at LBA %3")
                        .arg(info.kernelSector)
                        .arg(info.blocklistStart + info.blocklistSectors - 1)
                        .arg(boot->startLba);
    if (problems.isEmpty())
        report.addCheck(QStringLiteral("boot-code"), R::Pass,
            QStringLiteral("GRUB boot.img with core.img at LBA %1 (%2 sectors)")
                .arg(info.kernelSector)
                .arg(info.blocklistSectors + 1));
    else
        report.addCheck(QStringLiteral("boot-code"), R::Fail, problems.join(QStringLiteral("; ")));
}

void inspectBootSector(int fd, const PartitionEntry &partition, ImageReport &report)
{
    const QByteArray bs = readAt(fd, qint64(partition.startLba) * kSectorSize, kSectorSize);
    if (bs.size() != kSectorSize || bs.mid(3, 8) != QByteArrayLiteral("NTFS    ")
        || u(bs)[510] != 0x55 || u(bs)[511] != 0xAA)
        return;
    NtfsBootSector &n = report.ntfs;
    n.valid = true;
    n.bytesPerSector = qFromLittleEndian<quint16>(u(bs) + 0x0B);
    n.sectorsPerCluster = u(bs)[0x0D];
    n.sectorsPerTrack = qFromLittleEndian<quint16>(u(bs) + 0x18);
    n.heads = qFromLittleEndian<quint16>(u(bs) + 0x1A);
    n.hiddenSectors = qFromLittleEndian<quint32>(u(bs) + 0x1C);
    n.totalSectors = qFromLittleEndian<quint64>(u(bs) + 0x28);
}

void checkGeometry(ImageReport &report, const PartitionEntry &p)
{
    const quint64 end = quint64(p.startLba) + p.sectors;
    if (end % kCylinderSectors == 0)
        report.addCheck(QStringLiteral("partition-end"), R::Pass,
            QStringLiteral("the partition ends on a 255x63 cylinder boundary"));
    else
        report.addCheck(QStringLiteral("partition-end"), R::Fail,
            QStringLiteral("the partition ends at LBA %1, not on a 255x63 cylinder boundary: "
                           "memdisk will guess a geometry that disagrees with the NTFS boot "
                           "sector")
                .arg(end - 1));
    if (!report.ntfs.valid)
        return;
    if (report.ntfs.hiddenSectors == p.startLba)
        report.addCheck(QStringLiteral("hidden-sectors"), R::Pass,
            QStringLiteral("NTFS hidden sectors = partition start (%1)").arg(p.startLba));
    else
        report.addCheck(QStringLiteral("hidden-sectors"), R::Fail,
            QStringLiteral("NTFS hidden sectors are %1 but the partition starts at LBA %2")
                .arg(report.ntfs.hiddenSectors)
                .arg(p.startLba));
    if (report.ntfs.heads == kHeads && report.ntfs.sectorsPerTrack == kSectorsPerTrack)
        report.addCheck(QStringLiteral("bpb-geometry"), R::Pass,
            QStringLiteral("NTFS geometry is 255 heads, 63 sectors per track"));
    else
        report.addCheck(QStringLiteral("bpb-geometry"), R::Fail,
            QStringLiteral("NTFS geometry is %1 heads, %2 sectors per track; memdisk uses 255/63")
                .arg(report.ntfs.heads)
                .arg(report.ntfs.sectorsPerTrack));
    if (report.ntfs.totalSectors >= p.sectors)
        report.addCheck(QStringLiteral("ntfs-size"), R::Fail,
            QStringLiteral("the NTFS volume (%1 sectors) is larger than its partition (%2)")
                .arg(report.ntfs.totalSectors)
                .arg(p.sectors));
}

void inspectVolume(const QString &path, const PartitionEntry &p, ImageReport &report)
{
    auto volume
        = NtfsVolume::open(path, qint64(p.startLba) * kSectorSize, NtfsVolume::Mode::ReadOnly);
    if (!volume) {
        report.volumeError = volume.error().message();
        report.addCheck(QStringLiteral("ntfs"), R::Fail,
            QStringLiteral("the boot partition holds no readable NTFS: %1")
                .arg(report.volumeError));
        return;
    }
    report.volumeOpened = true;
    report.volumeLabel = volume->label();
    report.volumeFreeBytes = volume->freeBytes();
    report.volumeTotalBytes = volume->totalBytes();
    auto files = volume->list();
    if (files)
        report.files = *files;
    else
        report.volumeError = files.error().toString();
    if (auto s = volume->close(); !s && report.volumeError.isEmpty())
        report.volumeError = s.error().toString();
    if (report.volumeError.isEmpty())
        report.addCheck(QStringLiteral("ntfs"), R::Pass,
            QStringLiteral("NTFS volume \"%1\", %2 files and directories")
                .arg(report.volumeLabel)
                .arg(report.files.size()));
    else
        report.addCheck(QStringLiteral("ntfs"), R::Fail,
            QStringLiteral("reading the NTFS volume failed: %1").arg(report.volumeError));

    const NtfsEntry *bootmgr = report.findFile(QStringLiteral("/bootmgr"));
    if (!bootmgr || bootmgr->directory)
        report.addCheck(QStringLiteral("bootmgr"), R::Fail,
            QStringLiteral("\\bootmgr is missing: GRUB's ntldr has nothing to start"));
    else if (bootmgr->size > kMaxBootmgrBytes)
        report.addCheck(QStringLiteral("bootmgr"), R::Warn,
            QStringLiteral("\\bootmgr is %1 KiB; under memdisk only about 490 KiB fit below "
                           "640 KiB and a larger one may hang")
                .arg(bootmgr->size / 1024));
    else
        report.addCheck(QStringLiteral("bootmgr"), R::Pass,
            QStringLiteral("\\bootmgr present (%1 KiB)").arg((bootmgr->size + 1023) / 1024));
    const NtfsEntry *bcd = report.findFile(QStringLiteral("/boot/BCD"));
    if (!bcd || bcd->directory)
        report.addCheck(QStringLiteral("bcd"), R::Fail, QStringLiteral("\\boot\\BCD is missing"));
    else
        report.addCheck(QStringLiteral("bcd"), R::Pass,
            QStringLiteral("\\boot\\BCD present (%1 bytes)").arg(bcd->size));
}

} // namespace

Result<ImageReport> inspectImage(const QString &path)
{
    UniqueFd fd(::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid())
        return Error::fromErrno(errno, QStringLiteral("opening %1").arg(path));
    struct stat st;
    if (::fstat(fd.get(), &st) != 0)
        return Error::fromErrno(errno, QStringLiteral("reading %1").arg(path));
    if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))
        return Error(Errc::InvalidInput, QStringLiteral("%1 is not a file").arg(path));
    ImageReport report;
    report.path = path;
    report.sizeBytes = st.st_size;
    const QByteArray mbr = readAt(fd.get(), 0, kSectorSize);
    if (mbr.size() != kSectorSize)
        return Error(Errc::BadFormat,
            QStringLiteral("%1 is not a disk image: it is smaller than one sector").arg(path));
    if (u(mbr)[510] != 0x55 || u(mbr)[511] != 0xAA)
        return Error(Errc::BadFormat,
            QStringLiteral("%1 is not a disk image: no MBR boot signature (55 AA at byte 510)")
                .arg(path))
            .withHint(QStringLiteral("Give a raw disk image made by pecast build or dd."));
    report.diskSignature = qFromLittleEndian<quint32>(u(mbr) + kSignatureOffset);

    for (int i = 0; i < 4; ++i) {
        const uchar *e = u(mbr) + kTableOffset + i * kEntrySize;
        PartitionEntry p;
        p.index = i + 1;
        p.status = e[0];
        p.active = e[0] == 0x80;
        p.type = e[4];
        p.startLba = qFromLittleEndian<quint32>(e + 8);
        p.sectors = qFromLittleEndian<quint32>(e + 12);
        if (p.type == 0 && p.sectors == 0)
            continue;
        decodeChs(e + 1, p.startCylinder, p.startHead, p.startSector);
        decodeChs(e + 5, p.endCylinder, p.endHead, p.endSector);
        report.partitions.append(p);
    }

    const PartitionEntry *boot = nullptr;
    for (const PartitionEntry &p : std::as_const(report.partitions)) {
        if (p.type == kPartitionTypeNtfs && (p.active || !boot))
            boot = &p;
    }
    if (report.partitions.isEmpty()) {
        report.addCheck(QStringLiteral("partition-table"), R::Fail,
            QStringLiteral("the partition table is empty"));
    } else if (!boot) {
        report.addCheck(QStringLiteral("partition-table"), R::Fail,
            QStringLiteral("no NTFS partition (type 0x07) in the partition table"));
    } else {
        report.bootPartition = boot->index;
        const qint64 end = (qint64(boot->startLba) + boot->sectors) * kSectorSize;
        if (end > report.sizeBytes)
            report.addCheck(QStringLiteral("partition-table"), R::Fail,
                QStringLiteral("partition %1 ends at byte %2, beyond the end of the image (%3)")
                    .arg(boot->index)
                    .arg(end)
                    .arg(report.sizeBytes));
        else if (!boot->active)
            report.addCheck(QStringLiteral("partition-table"), R::Fail,
                QStringLiteral("the NTFS partition %1 is not marked active").arg(boot->index));
        else
            report.addCheck(QStringLiteral("partition-table"), R::Pass,
                QStringLiteral("active NTFS partition %1 at LBA %2, %3 sectors")
                    .arg(boot->index)
                    .arg(boot->startLba)
                    .arg(boot->sectors));
    }

    inspectBootCode(fd.get(), mbr, report);
    checkBootCode(report, boot);
    if (boot) {
        inspectBootSector(fd.get(), *boot, report);
        checkGeometry(report, *boot);
        inspectVolume(path, *boot, report);
    }
    return report;
}

} // namespace pecast::disk
