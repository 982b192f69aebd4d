#include "util/init.h"

#include "util/error.h"
#include "util/progress.h"

#include <wimlib.h>

namespace pecast {

void initLibraries()
{
    wimlib_global_init(0);
    qRegisterMetaType<pecast::Error>();
    qRegisterMetaType<pecast::ProgressEvent>();
}

} // namespace pecast
