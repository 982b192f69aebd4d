#pragma once

// Copies a byte range between two files by their fds, in the kernel where it can:
// copy_file_range(2) moves the bytes without a trip through user space (and shares blocks on
// filesystems with reflinks). Where the kernel refuses (EXDEV, EINVAL, ENOSYS, EOPNOTSUPP: old
// kernels, some filesystem pairs), it falls back to pread/pwrite in large blocks for the rest of
// the range.

#include "util/error.h"
#include "util/progress.h"

namespace pecast::disk {

// Copies `length` bytes from `from` at `fromOffset` to `to` at `toOffset`. Before each chunk it
// calls progress.check() (cancel); after each it adds the chunk to `done` and reports
// progress.update(done). A source that ends early is Errc::Io; ENOSPC is Errc::NoSpace.
Status copyRange(int from, qint64 fromOffset, int to, qint64 toOffset, qint64 length,
    Progress &progress, qint64 &done);

// Writes all `size` bytes at `offset` (pwrite until done; EINTR retried).
Status pwriteAll(int fd, const char *data, qint64 size, qint64 offset);

} // namespace pecast::disk
