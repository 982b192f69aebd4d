#include "disk/logging.h"

namespace pecast::disk {

Q_LOGGING_CATEGORY(lcDisk, "pecast.disk", QtInfoMsg)
Q_LOGGING_CATEGORY(lcNtfs, "pecast.disk.ntfs", QtWarningMsg)

} // namespace pecast::disk
