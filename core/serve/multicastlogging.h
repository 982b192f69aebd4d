#pragma once

// Developer log categories of the multicast servers and clients.

#include <QLoggingCategory>

namespace pecast::serve {
Q_DECLARE_LOGGING_CATEGORY(lcSlam)
Q_DECLARE_LOGGING_CATEGORY(lcTftp)
Q_DECLARE_LOGGING_CATEGORY(lcFetch)
} // namespace pecast::serve
