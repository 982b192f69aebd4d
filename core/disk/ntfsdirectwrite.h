#pragma once

// The fast data path of NtfsVolume for big files (private to core/disk): libntfs-3g only
// allocates the clusters and records the sizes; the bytes go from the source file straight into
// the image file at partition offset + LCN x cluster size, copied by the kernel (rangecopy.h).
// libntfs-3g never writes any of this file's data, so there is no cached copy of it to go stale,
// and its metadata writes cannot land on the runs: they are allocated in $Bitmap first.

#include "disk/ntfsheaders.h"
#include "util/error.h"
#include "util/progress.h"

#include <QString>

namespace pecast::disk {

// libntfs-3g's errno as an Error; ENOSPC becomes the "image too small" Errc::NoSpace.
Error ntfsError(int err, const QString &what);

// True when `na` can take the direct path: an unnamed $DATA that is not compressed, encrypted
// or sparse (a fresh file in a plain directory).
bool canWriteDirect(const ntfs_attr *na);

// Fills the empty attribute `na` with `size` bytes of `sourceFd` (read at offsets 0..size).
// Clusters are allocated in steps (not one preallocation: that fails on nearly-full volumes),
// then copied run by run; data_size and initialized_size end at `size`. Reports and checks
// `progress` per chunk. On failure the caller removes the file.
Status writeDirect(ntfs_attr *na, int sourceFd, qint64 size, int imageFd, qint64 partitionOffset,
    Progress &progress, const QString &display);

} // namespace pecast::disk
