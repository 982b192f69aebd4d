#pragma once

// Small files a test lays out (media trees, sources) and reads back for comparison.

#include <QByteArray>
#include <QString>

namespace pecast::test {

// Writes `data` to `path`, creating the missing parent folders. False on any I/O error.
bool writeFile(const QString &path, const QByteArray &data);

// The whole file, or "<missing>" when it cannot be read: a QCOMPARE against expected bytes then
// says so instead of comparing with an empty array.
QByteArray readFile(const QString &path);

} // namespace pecast::test
