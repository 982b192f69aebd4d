#pragma once

// Internal: case-insensitive path lookup inside a WIM image (Windows paths are
// case-insensitive, wimlib's default lookups on Linux are not), independent of wimlib's global
// case flag.

#include "util/error.h"

#include <QString>

#include <optional>

struct WIMStruct;

namespace pecast::wim {

struct WimEntry
{
    QString path; // as stored in the WIM, '/' separated, leading '/'
    qint64 size = 0; // unnamed data stream size
    bool isDirectory = false;
};

// `path` may use '/' or '\'. std::nullopt when it does not exist; an Error when wimlib fails.
Result<std::optional<WimEntry>> findEntry(
    WIMStruct *wim, int image, const QString &path, const QString &wimPath);

// Resolves a user's image index: 0 = the boot index (or the only image). Errors name the WIM.
Result<int> resolveImage(WIMStruct *wim, int index, const QString &wimPath);

} // namespace pecast::wim

namespace pecast::wim {

// True when any blob sits in a solid resource (LZMS/ESD) or the header says solid.
Result<bool> isSolid(WIMStruct *wim, const QString &wimPath);

} // namespace pecast::wim
