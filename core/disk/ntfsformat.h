#pragma once

// Formats the image's partition as NTFS with mkntfs (ntfs-3g):
//   mkntfs -q -F -Q -s 512 -p <partition LBA> -H 255 -S 63 -L LABEL <temp file>
// mkntfs takes no offset, so it runs on a sparse partition-sized temporary file and only that
// file's data extents (SEEK_DATA/SEEK_HOLE; a fresh volume is mostly holes) are copied into the
// image at the partition offset. The image's partition range must read as zeros before (a fresh
// sparse image does).

#include "disk/disklayout.h"
#include "util/error.h"
#include "util/progress.h"

#include <QString>

namespace pecast::disk {

// NTFS labels hold at most 32 UTF-16 units (mkntfs truncates; we refuse instead).
constexpr int kMaxLabelLength = 32;

// tempDirectory: where the sparse temporary file goes (empty: QDir::tempPath()). It needs room
// only for the formatted metadata (a few MiB), not the partition size.
Status formatNtfs(int imageFd, const DiskLayout &layout, const QString &label, Progress &progress,
    const QString &tempDirectory = {});

// Absolute path of mkntfs (PATH, /usr/sbin, /sbin), or empty.
QString mkntfsPath();

} // namespace pecast::disk
