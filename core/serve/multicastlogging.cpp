#include "serve/multicastlogging.h"

namespace pecast::serve {
Q_LOGGING_CATEGORY(lcSlam, "pecast.serve.slam")
Q_LOGGING_CATEGORY(lcTftp, "pecast.serve.tftp")
Q_LOGGING_CATEGORY(lcFetch, "pecast.serve.fetch")

} // namespace pecast::serve
