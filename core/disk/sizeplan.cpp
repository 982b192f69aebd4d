#include "disk/sizeplan.h"

#include "disk/disklayout.h"

namespace pecast::disk {

namespace {

constexpr qint64 kMiB = 1024 * 1024;
// mkntfs picks 4 KiB clusters for every size PEcast makes (measured 16 MiB .. 4000 MiB).
constexpr qint64 kClusterBytes = 4096;
// Per file: its 1 KiB MFT record plus, at worst, one more 4 KiB directory index block.
constexpr qint64 kPerFileBytes = 1024 + kClusterBytes;
// Measured used space of a fresh volume (mkntfs -Q, 4 KiB clusters): 2.4 MiB up to 128 MiB,
// then 3.0 MiB at 512 MiB, 5.6 MiB at 1 GiB, 10.7 MiB at 2 GiB, 20.6 MiB at 4000 MiB
// ($MFT zone start, $LogFile, $Bitmap grow with size). 3 MiB + size/192 bounds every sample.
constexpr qint64 kNtfsBaseOverhead = 3 * kMiB;
constexpr qint64 kNtfsOverheadDivisor = 192;
// Auto size headroom: room for a rewritten BCD, a replaced boot.sdi or small edits, without
// noticeably growing what clients download: 4 MiB or 2 % of the contents, whichever is larger.
constexpr qint64 kMinHeadroom = 4 * kMiB;
constexpr qint64 kHeadroomPercent = 2;

qint64 roundUp(qint64 value, qint64 unit)
{
    return (value + unit - 1) / unit * unit;
}

QString mib(qint64 bytes)
{
    return QString::number((bytes + kMiB - 1) / kMiB);
}

} // namespace

qint64 ntfsOverheadBytes(qint64 partitionBytes)
{
    return kNtfsBaseOverhead + partitionBytes / kNtfsOverheadDivisor;
}

Result<SizePlan> planImageSize(const QList<qint64> &fileSizes, qint64 requestedBytes)
{
    SizePlan plan;
    for (qint64 size : fileSizes) {
        if (size < 0)
            return Error(Errc::InvalidInput, QStringLiteral("a file size is negative"));
        plan.contentBytes += roundUp(size, kClusterBytes) + kPerFileBytes;
    }
    const qint64 gap = qint64(kPartitionStartLba) * kSectorSize; // MBR + boot code gap
    plan.headroomBytes = qMax(kMinHeadroom, plan.contentBytes * kHeadroomPercent / 100);
    const qint64 needed = plan.contentBytes + plan.headroomBytes;
    // The overhead depends on the partition size; estimate it for a slightly larger volume.
    plan.overheadBytes = gap + ntfsOverheadBytes(needed + needed / 100 + kNtfsBaseOverhead);
    const qint64 autoBytes = roundUpToCylinder(needed + plan.overheadBytes);

    if (requestedBytes <= 0) {
        plan.diskBytes = autoBytes;
    } else {
        plan.diskBytes = roundUpToCylinder(requestedBytes);
        plan.headroomBytes = 0;
        plan.overheadBytes = gap + ntfsOverheadBytes(plan.diskBytes - gap);
        const qint64 minimum = plan.contentBytes + plan.overheadBytes;
        if (plan.diskBytes < minimum)
            return Error(Errc::NoSpace,
                QStringLiteral("the image is too small: %1 MiB requested, but the files need %2 "
                               "MiB plus %3 MiB of NTFS and partition overhead")
                    .arg(mib(plan.diskBytes), mib(plan.contentBytes), mib(plan.overheadBytes)))
                .withHint(QStringLiteral("Use --size auto, or at least --size %1M.")
                              .arg(mib(roundUpToCylinder(minimum))));
        plan.headroomBytes = plan.diskBytes - minimum;
    }
    if (plan.diskBytes > kMaxDiskBytes)
        return Error(Errc::InvalidInput,
            QStringLiteral("the image would be %1 MiB, more than memdisk can load (4 GiB)")
                .arg(mib(plan.diskBytes)))
            .withHint(QStringLiteral("Use a smaller WIM."));
    return plan;
}

} // namespace pecast::disk
