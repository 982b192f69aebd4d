#pragma once

// The last long step of a build: the output's SHA-256 and its fsync, run at the same time. The
// digest is CPU work (libcrypto, which uses the CPU's SHA extensions: about 4x less CPU than a
// portable SHA-256 here), the fsync is waiting for the disk, so overlapping them hides most of
// the shorter one. Reads go through the page cache the build just filled.

#include "util/error.h"
#include "util/progress.h"

#include <QString>

namespace pecast::pipeline {

// SHA-256 (lower-case hex) of the whole file behind `fd`, while another thread fsyncs it.
// `name` is for messages. Cancellable between 1 MiB chunks; the fsync is always waited for.
Result<QString> digestAndSync(int fd, const QString &name, Progress &progress);

} // namespace pecast::pipeline
