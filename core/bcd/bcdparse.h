#pragma once

// Element values from text, for `pecast bcd set` and other editors. The element's format
// (from its code) decides how the text is read:
//   string      as is                          boolean   yes/no, on/off, true/false, 1/0
//   integer     decimal or 0x hex              integers  comma-separated integers
//   object      {alias} or {guid}              objects   comma-separated objects
//   device      boot | partition=mbr:SIG:OFFSET | partition=gpt:{disk}:{partition}
//               | ramdisk=[boot or mbr:SIG:OFFSET]\path,{options}
// SIG is hex, OFFSET bytes (decimal or 0x hex).

#include "bcd/bcddevice.h"
#include "bcd/bcdelement.h"
#include "util/error.h"

#include <QString>

namespace pecast::bcd {

Result<BcdDevice> parseDevice(const QString &text);
Result<BcdElement> parseElementValue(quint32 code, const QString &text);

} // namespace pecast::bcd
