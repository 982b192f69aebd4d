#pragma once

// An independent structural check of a hive file against the profile every real BCD uses
// (bcd-format.md §0/§1.11), written from the format description, not from our reader: header
// fields and checksum, bins tiled by 8-aligned cells, only nk/vk/sk/lf/value-list/data cells,
// lf lists sorted with correct hints and parent links, a consistent circular sk list whose
// reference counts match the keys using it, root flags 0x2C.

#include <QByteArray>
#include <QString>

namespace pecast::bcd::test {

// Empty when the file matches the profile, else the first problem found.
QString checkHiveProfile(const QByteArray &file);

} // namespace pecast::bcd::test
