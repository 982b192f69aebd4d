#pragma once

#include <QLoggingCategory>

namespace pecast::disk {

Q_DECLARE_LOGGING_CATEGORY(lcDisk) // "pecast.disk"
Q_DECLARE_LOGGING_CATEGORY(lcNtfs) // "pecast.disk.ntfs": libntfs-3g's own messages

} // namespace pecast::disk
