#pragma once

// Read-only operations on a WIM: inspect (header, images, bootability), verify, read a file.

#include "util/error.h"
#include "util/progress.h"
#include "wim/wiminfo.h"

#include <QByteArray>
#include <QString>

namespace pecast::wim {

// Everything `pecast wim info` reports. Split WIMs: all parts must sit beside `path`.
Result<WimInfo> inspectWim(const QString &path, Progress &progress);

// Checks the integrity table (when present) and the SHA-1 of every stored blob by decompressing
// it. Reports bytes; cancellable (Errc::Cancelled). A mismatch is Errc::BadFormat.
Status verifyIntegrity(const QString &path, Progress &progress);

// A small file of image `index` (0: the boot index), path case-insensitive, '/' or '\'.
Result<QByteArray> readFile(const QString &wimPath, int index, const QString &pathInWim);

} // namespace pecast::wim
