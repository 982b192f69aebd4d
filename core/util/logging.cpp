#include "util/logging.h"

namespace pecast {

void setVerboseLogging(bool verbose)
{
    QLoggingCategory::setFilterRules(
        verbose ? QStringLiteral("pecast.*.debug=true") : QStringLiteral("pecast.*.debug=false"));
}

} // namespace pecast
