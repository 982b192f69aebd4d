#pragma once

// Logging categories of the serve module ("pecast.serve", "pecast.serve.http"). Multicast
// servers declare their own categories beside their code.

#include <QLoggingCategory>

namespace pecast::serve {

Q_DECLARE_LOGGING_CATEGORY(lcServe)
Q_DECLARE_LOGGING_CATEGORY(lcHttp)

} // namespace pecast::serve
