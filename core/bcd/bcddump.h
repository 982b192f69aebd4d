#pragma once

// Readable views of a store. dumpText() is exactly what `pecast bcd dump` prints (the wizard shows
// it as a live preview): like `bcdedit /enum all`, one block per object with a heading, the
// identifier (alias when well known), then element name/value lines; devices the bcdedit way.

#include "bcd/bcdstore.h"

#include <QJsonObject>
#include <QString>

namespace pecast::bcd {

QString dumpText(const BcdStore &store);
// {"root": ..., "objects": [{"identifier", "alias", "type", "typeName", "elements": [{"code",
// "name", "format", "value" (string/bool/number/array/device object), "hex"}]}]}
QJsonObject dumpJson(const BcdStore &store);

} // namespace pecast::bcd
