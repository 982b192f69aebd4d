#include "disk/disklayout.h"

#include <QRandomGenerator>
#include <QtEndian>

#include <cstring>

namespace pecast::disk {

namespace {

// Offsets in the MBR sector.
constexpr int kSignatureOffset = 0x1B8;
constexpr int kTableOffset = 0x1BE;
constexpr int kBootSignatureOffset = 0x1FE;
// The CHS fields cannot express cylinders past 1023; tools then store 1023/254/63.
constexpr quint32 kMaxChsCylinder = 1023;

} // namespace

qint64 roundUpToCylinder(qint64 bytes)
{
    if (bytes <= 0)
        return kCylinderBytes;
    return (bytes + kCylinderBytes - 1) / kCylinderBytes * kCylinderBytes;
}

Result<DiskLayout> planLayout(qint64 diskBytes, quint32 signature)
{
    if (diskBytes <= 0)
        return Error(Errc::InvalidInput, QStringLiteral("image size must be positive"));
    const qint64 rounded = roundUpToCylinder(diskBytes);
    if (rounded > kMaxDiskBytes)
        return Error(Errc::InvalidInput,
            QStringLiteral("an image of %1 MiB is larger than memdisk can load (4 GiB)")
                .arg(rounded / (1024 * 1024)))
            .withHint(QStringLiteral("Use a smaller WIM or a smaller --size."));
    DiskLayout layout;
    layout.diskBytes = rounded;
    while (signature == 0)
        signature = QRandomGenerator::global()->generate();
    layout.signature = signature;
    layout.partitionLba = kPartitionStartLba;
    layout.partitionSectors = quint32(rounded / kSectorSize) - kPartitionStartLba;
    return layout;
}

QByteArray encodeChs(quint32 lba)
{
    quint32 cylinder = lba / kCylinderSectors;
    quint32 head = (lba / kSectorsPerTrack) % kHeads;
    quint32 sector = lba % kSectorsPerTrack + 1;
    if (cylinder > kMaxChsCylinder) {
        cylinder = kMaxChsCylinder;
        head = kHeads - 1;
        sector = kSectorsPerTrack;
    }
    QByteArray chs(3, '\0');
    chs[0] = char(head);
    chs[1] = char((sector & 0x3F) | ((cylinder >> 2) & 0xC0));
    chs[2] = char(cylinder & 0xFF);
    return chs;
}

QByteArray buildMbr(const DiskLayout &layout, const QByteArray &bootCode)
{
    QByteArray mbr(int(kSectorSize), '\0');
    const int codeBytes = int(qMin<qsizetype>(bootCode.size(), kSignatureOffset));
    mbr.replace(0, codeBytes, bootCode.left(codeBytes));
    auto *bytes = reinterpret_cast<uchar *>(mbr.data());
    qToLittleEndian<quint32>(layout.signature, bytes + kSignatureOffset);
    bytes[kSignatureOffset + 4] = 0; // "copy protected" word: 0
    bytes[kSignatureOffset + 5] = 0;

    uchar *entry = bytes + kTableOffset;
    const quint32 lastLba = layout.partitionLba + layout.partitionSectors - 1;
    entry[0] = 0x80; // active
    const QByteArray startChs = encodeChs(layout.partitionLba);
    const QByteArray endChs = encodeChs(lastLba);
    memcpy(entry + 1, startChs.constData(), 3);
    entry[4] = kPartitionTypeNtfs;
    memcpy(entry + 5, endChs.constData(), 3);
    qToLittleEndian<quint32>(layout.partitionLba, entry + 8);
    qToLittleEndian<quint32>(layout.partitionSectors, entry + 12);

    bytes[kBootSignatureOffset] = 0x55;
    bytes[kBootSignatureOffset + 1] = 0xAA;
    return mbr;
}

} // namespace pecast::disk
