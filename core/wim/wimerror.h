#pragma once

// wimlib error codes -> pecast::Error: the file, what failed and what the user can do.

#include "util/error.h"

#include <QString>

namespace pecast::wim {

// `code` is a wimlib_error_code; `path` the WIM file; `what` the step ("opening", "reading
// image 2"). WIMLIB_ERR_ABORTED_BY_PROGRESS becomes Errc::Cancelled.
Error fromWimlib(int code, const QString &path, const QString &what);

} // namespace pecast::wim
