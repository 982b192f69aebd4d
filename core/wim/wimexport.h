#pragma once

// Writes one image of a WIM as a new standalone WIM (boot index 1), atomically. Used by the
// image builder for the \winpe.wim placed inside the disk image.

#include "util/error.h"
#include "util/progress.h"

#include <QString>

namespace pecast::wim {

struct ExportOptions
{
    enum class Compression {
        Keep, // same compression and chunk size; a solid/LZMS source is recompressed to LZX 32K
        Lzx32k, // LZX, 32 KiB chunks (bootable), recompressing when needed
        Xpress32k, // XPRESS, 32 KiB chunks (bootable, faster to write, larger), ditto
    };
    Compression compression = Compression::Keep;
    bool overwrite = false; // replace an existing dst (untouched until the final rename)
    bool integrity = false; // write an integrity table
};

// index 0 = the source's boot index. The output's boot index is 1.
Status exportImage(const QString &src, int index, const QString &dst, const ExportOptions &options,
    Progress &progress);

} // namespace pecast::wim
