#pragma once

// SHA-256 of a file, with progress and cancel (images are hundreds of MiB).

#include "util/error.h"
#include "util/progress.h"

#include <QByteArray>
#include <QString>

namespace pecast {

// Lower-case hex digest.
Result<QString> sha256File(const QString &path, Progress &progress);
Result<QString> sha256File(const QString &path);

} // namespace pecast
