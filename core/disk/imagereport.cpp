#include "disk/imagereport.h"

#include <QJsonArray>

namespace pecast::disk {

namespace {

QString resultName(ImageCheck::Result result)
{
    switch (result) {
    case ImageCheck::Result::Pass:
        return QStringLiteral("pass");
    case ImageCheck::Result::Warn:
        return QStringLiteral("warn");
    case ImageCheck::Result::Fail:
        return QStringLiteral("fail");
    }
    return {};
}

QString hex(quint64 value, int width)
{
    return QStringLiteral("0x%1").arg(value, width, 16, QLatin1Char('0'));
}

QString normalized(const QString &path)
{
    QString p = path;
    p.replace(QLatin1Char('\\'), QLatin1Char('/'));
    if (!p.startsWith(QLatin1Char('/')))
        p.prepend(QLatin1Char('/'));
    return p;
}

} // namespace

QString BootCodeInfo::kindName() const
{
    switch (kind) {
    case Kind::None:
        return QStringLiteral("none");
    case Kind::GrubI386Pc:
        return QStringLiteral("grub-i386-pc");
    case Kind::Other:
        return QStringLiteral("other");
    }
    return {};
}

bool ImageReport::consistent() const
{
    for (const ImageCheck &check : checks) {
        if (check.result == ImageCheck::Result::Fail)
            return false;
    }
    return true;
}

void ImageReport::addCheck(const QString &name, ImageCheck::Result result, const QString &message)
{
    checks.append(ImageCheck { name, result, message });
}

const NtfsEntry *ImageReport::findFile(const QString &filePath) const
{
    const QString wanted = normalized(filePath);
    for (const NtfsEntry &entry : files) {
        if (entry.path.compare(wanted, Qt::CaseInsensitive) == 0)
            return &entry;
    }
    return nullptr;
}

qint64 ImageReport::partitionOffset() const
{
    for (const PartitionEntry &p : partitions) {
        if (p.index == bootPartition)
            return qint64(p.startLba) * 512;
    }
    return -1;
}

QJsonObject ImageReport::toJson() const
{
    QJsonObject root;
    root[QStringLiteral("path")] = path;
    root[QStringLiteral("sizeBytes")] = double(sizeBytes);
    root[QStringLiteral("diskSignature")] = hex(diskSignature, 8);
    QJsonArray parts;
    for (const PartitionEntry &p : partitions) {
        QJsonObject o;
        o[QStringLiteral("index")] = p.index;
        o[QStringLiteral("active")] = p.active;
        o[QStringLiteral("type")] = hex(p.type, 2);
        o[QStringLiteral("startLba")] = double(p.startLba);
        o[QStringLiteral("sectors")] = double(p.sectors);
        o[QStringLiteral("startChs")]
            = QJsonArray { int(p.startCylinder), int(p.startHead), int(p.startSector) };
        o[QStringLiteral("endChs")]
            = QJsonArray { int(p.endCylinder), int(p.endHead), int(p.endSector) };
        parts.append(o);
    }
    root[QStringLiteral("partitions")] = parts;
    root[QStringLiteral("bootPartition")] = bootPartition;

    QJsonObject boot;
    boot[QStringLiteral("kind")] = bootCode.kindName();
    if (bootCode.kind == BootCodeInfo::Kind::GrubI386Pc) {
        boot[QStringLiteral("kernelSector")] = double(bootCode.kernelSector);
        boot[QStringLiteral("bootDrive")] = hex(bootCode.bootDrive, 2);
        boot[QStringLiteral("hardDiskPatch")] = bootCode.hardDiskPatch;
        boot[QStringLiteral("coreImagePresent")] = bootCode.coreImagePresent;
        boot[QStringLiteral("blocklistStart")] = double(bootCode.blocklistStart);
        boot[QStringLiteral("blocklistSectors")] = bootCode.blocklistSectors;
    }
    root[QStringLiteral("bootCode")] = boot;

    QJsonObject bpb;
    bpb[QStringLiteral("valid")] = ntfs.valid;
    if (ntfs.valid) {
        bpb[QStringLiteral("bytesPerSector")] = ntfs.bytesPerSector;
        bpb[QStringLiteral("sectorsPerCluster")] = ntfs.sectorsPerCluster;
        bpb[QStringLiteral("sectorsPerTrack")] = ntfs.sectorsPerTrack;
        bpb[QStringLiteral("heads")] = ntfs.heads;
        bpb[QStringLiteral("hiddenSectors")] = double(ntfs.hiddenSectors);
        bpb[QStringLiteral("totalSectors")] = double(ntfs.totalSectors);
    }
    root[QStringLiteral("ntfsBootSector")] = bpb;

    QJsonObject volume;
    volume[QStringLiteral("opened")] = volumeOpened;
    if (volumeOpened) {
        volume[QStringLiteral("label")] = volumeLabel;
        volume[QStringLiteral("freeBytes")] = double(volumeFreeBytes);
        volume[QStringLiteral("totalBytes")] = double(volumeTotalBytes);
    } else if (!volumeError.isEmpty()) {
        volume[QStringLiteral("error")] = volumeError;
    }
    QJsonArray fileArray;
    for (const NtfsEntry &entry : files) {
        QJsonObject o;
        o[QStringLiteral("path")] = entry.path;
        o[QStringLiteral("directory")] = entry.directory;
        if (!entry.directory)
            o[QStringLiteral("size")] = double(entry.size);
        o[QStringLiteral("attributes")] = hex(entry.attributes, 4);
        fileArray.append(o);
    }
    volume[QStringLiteral("files")] = fileArray;
    root[QStringLiteral("volume")] = volume;

    QJsonArray checkArray;
    for (const ImageCheck &check : checks) {
        checkArray.append(QJsonObject { { QStringLiteral("name"), check.name },
            { QStringLiteral("result"), resultName(check.result) },
            { QStringLiteral("message"), check.message } });
    }
    root[QStringLiteral("checks")] = checkArray;
    root[QStringLiteral("consistent")] = consistent();
    return root;
}

QString ImageReport::toText() const
{
    QStringList lines;
    lines << QStringLiteral("Image: %1 (%2 bytes)").arg(path).arg(sizeBytes);
    lines << QStringLiteral("Disk signature: %1").arg(hex(diskSignature, 8));
    lines << QStringLiteral("Partitions:");
    if (partitions.isEmpty())
        lines << QStringLiteral("  (none)");
    for (const PartitionEntry &p : partitions) {
        lines << QStringLiteral("  %1%2 type %3  start LBA %4  %5 sectors (%6 MiB)  CHS %7/%8/%9 - "
                                "%10/%11/%12")
                     .arg(p.index)
                     .arg(p.active ? QStringLiteral("*") : QStringLiteral(" "))
                     .arg(hex(p.type, 2))
                     .arg(p.startLba)
                     .arg(p.sectors)
                     .arg(qint64(p.sectors) * 512 / (1024 * 1024))
                     .arg(p.startCylinder)
                     .arg(p.startHead)
                     .arg(p.startSector)
                     .arg(p.endCylinder)
                     .arg(p.endHead)
                     .arg(p.endSector);
    }
    QString boot = QStringLiteral("Boot code: %1").arg(bootCode.kindName());
    if (bootCode.kind == BootCodeInfo::Kind::GrubI386Pc)
        boot += QStringLiteral(" (core.img at LBA %1, boot drive %2, hard-disk patch %3, "
                               "blocklist LBA %4 + %5 sectors)")
                    .arg(bootCode.kernelSector)
                    .arg(hex(bootCode.bootDrive, 2))
                    .arg(bootCode.hardDiskPatch ? QStringLiteral("yes") : QStringLiteral("no"))
                    .arg(bootCode.blocklistStart)
                    .arg(bootCode.blocklistSectors);
    lines << boot;
    if (ntfs.valid)
        lines << QStringLiteral("NTFS boot sector: %1 bytes/sector, %2 sectors/cluster, geometry "
                                "%3/%4, hidden sectors %5, %6 sectors")
                     .arg(ntfs.bytesPerSector)
                     .arg(ntfs.sectorsPerCluster)
                     .arg(ntfs.heads)
                     .arg(ntfs.sectorsPerTrack)
                     .arg(ntfs.hiddenSectors)
                     .arg(ntfs.totalSectors);
    if (volumeOpened) {
        lines << QStringLiteral("Volume \"%1\": %2 MiB free of %3 MiB")
                     .arg(volumeLabel)
                     .arg(volumeFreeBytes / (1024 * 1024))
                     .arg(volumeTotalBytes / (1024 * 1024));
        lines << QStringLiteral("Files:");
        for (const NtfsEntry &entry : files) {
            if (entry.directory)
                lines << QStringLiteral("  %1/").arg(entry.path);
            else
                lines << QStringLiteral("  %1  %2").arg(entry.path).arg(entry.size);
        }
    } else if (!volumeError.isEmpty()) {
        lines << QStringLiteral("Volume: not readable (%1)").arg(volumeError);
    }
    lines << QStringLiteral("Checks:");
    for (const ImageCheck &check : checks)
        lines << QStringLiteral("  [%1] %2: %3")
                     .arg(resultName(check.result), check.name, check.message);
    lines << QStringLiteral("Consistent: %1")
                 .arg(consistent() ? QStringLiteral("yes") : QStringLiteral("no"));
    return lines.join(QLatin1Char('\n'));
}

} // namespace pecast::disk
