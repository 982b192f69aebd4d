#pragma once

// Helpers shared by the BCD tests: golden files, and two independent views of a hive's content
// to compare ours against: hivexregedit's export format (reproduced exactly from a HiveKey) and
// a parser for chntpw `reged -x` exports.

#include "bcd/hive/hivekey.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>

namespace pecast::bcd::test {

QString dataDir(); // tests/bcd/data in the source tree
QByteArray readFile(const QString &path);
QByteArray golden(const QString &name); // a file from dataDir()
QStringList goldenStores(); // the three *.bcd names

// The text `hivexregedit --export FILE '\'` prints for this tree (keys in stored order).
QByteArray hivexStyleExport(const HiveKey &root);

// Key path ("\Objects\{...}") -> its values as "name|type|hex" lines, in a canonical order.
using FlatHive = QMap<QString, QStringList>;
FlatHive flatten(const HiveKey &root);
// Parses `reged -x FILE 'HKEY_LOCAL_MACHINE\PREFIX' '\' OUT` output into the same form.
FlatHive parseRegedExport(const QByteArray &text, const QString &prefix);

} // namespace pecast::bcd::test
