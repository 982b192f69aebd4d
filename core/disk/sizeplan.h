#pragma once

// How big an image must be for the files it holds. "auto" = contents (each file rounded up to
// whole clusters, plus its MFT record) + the NTFS metadata mkntfs creates for that size
// (measured, see sizeplan.cpp) + headroom, rounded up to a whole cylinder. An explicit size that
// cannot hold the files is refused before anything is written.

#include "util/error.h"

#include <QList>

namespace pecast::disk {

struct SizePlan
{
    qint64 contentBytes = 0; // the files, each rounded up to whole clusters, + MFT records
    qint64 overheadBytes = 0; // NTFS metadata ($MFT, $LogFile, ...) + the partition gap + MBR
    qint64 headroomBytes = 0; // slack so later small edits (a new BCD) still fit
    qint64 diskBytes = 0; // the image size: a whole number of cylinders
};

// requestedBytes <= 0 means auto. Fails with Errc::NoSpace when an explicit size is too small
// ("the image is too small: ... use --size auto or at least N MiB") and Errc::InvalidInput
// when the result would exceed kMaxDiskBytes.
Result<SizePlan> planImageSize(const QList<qint64> &fileSizes, qint64 requestedBytes = 0);

// The NTFS overhead for a partition of the given size, in bytes (what a fresh volume reports as
// used), used by planImageSize. Exposed for tests that check it against real mkntfs.
qint64 ntfsOverheadBytes(qint64 partitionBytes);

} // namespace pecast::disk
