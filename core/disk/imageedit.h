#pragma once

// Low-level pieces for editing an existing raw MBR image: reading the partition table, changing
// one partition's length (nothing else in the MBR: boot code, disk signature and the other
// entries keep their bytes), sparse copies between files, and growing an NTFS with ntfsresize.

#include "util/error.h"
#include "util/progress.h"

#include <QList>
#include <QString>

namespace pecast::disk {

struct MbrPartition
{
    int index = 0; // 1..4
    quint8 type = 0;
    bool active = false;
    quint32 startLba = 0;
    quint32 sectors = 0;

    qint64 offset() const { return qint64(startLba) * 512; }
    qint64 bytes() const { return qint64(sectors) * 512; }
    qint64 end() const { return offset() + bytes(); }
};

// The non-empty primary partitions. BadFormat without the 55 AA signature; GPT protective MBRs
// (type 0xEE) are reported as such (Unsupported).
Result<QList<MbrPartition>> readMbrPartitions(int fd, const QString &nameForErrors);

// Sets partition `index`'s sector count and end CHS (255 heads x 63 sectors, clamped like every
// partitioning tool) in the MBR of the image open at fd.
Status setPartitionSectors(int fd, int index, quint32 sectors);

// Copies `length` bytes from `from` at fromOffset to `to` at toOffset, skipping holes of the
// source (the destination must read as zeros there: a new or freshly truncated file). Uses
// copy_file_range, so copies on the same file system may share blocks. Reports bytes.
Status copySparse(
    int from, qint64 fromOffset, int to, qint64 toOffset, qint64 length, Progress &progress);

// Grows the NTFS in `partitionFile` (a file holding just the partition) to the file's size with
// ntfsresize. Errc::NotFound when ntfsresize is not installed.
Status growNtfsFile(const QString &partitionFile, Progress &progress);

} // namespace pecast::disk
