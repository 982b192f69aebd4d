#pragma once

// Developer logs: one QLoggingCategory per module ("pecast.wim", "pecast.serve.http", ...),
// each declared in its module. Lines are English and untranslated; what users must see goes
// through Error and the operation's report instead. QT_LOGGING_RULES works everywhere.

#include <QLoggingCategory>

namespace pecast {

// Turns on debug output of every pecast.* category (the CLI's --verbose).
void setVerboseLogging(bool verbose);

} // namespace pecast
