#include "serve/logging.h"

namespace pecast::serve {

Q_LOGGING_CATEGORY(lcServe, "pecast.serve")
Q_LOGGING_CATEGORY(lcHttp, "pecast.serve.http")

} // namespace pecast::serve
