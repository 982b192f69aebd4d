#pragma once

// Customizing a WIM: add files and folders, delete and rename paths, replace a text file
// (startnet.cmd, winpeshl.ini), set the boot index, keep one image only, recompress.
// The source WIM is only read: every edit produces a new WIM, written by wimlib to an
// AtomicFile temporary beside the output and renamed into place when complete, so a failed or
// cancelled edit leaves neither a partial output nor a changed source.

#include "util/error.h"
#include "util/progress.h"

#include <QByteArray>
#include <QString>

#include <optional>
#include <vector>

namespace pecast::wim {

enum class WimCompression {
    Keep, // the source's compression; resources are copied without recompressing
    Lzx, // 32 KiB chunks: the bootable default, what Microsoft's tools write for boot.wim
    Xpress, // faster to write and to boot-load, larger
    None,
};

// One change to the chosen image. Paths inside the image use '\' or '/', rooted or not.
struct WimChange
{
    enum class Kind { Add, Delete, Rename, WriteFile };

    Kind kind = Kind::Add;
    QString path; // Add: destination; Delete: the path; Rename: old path; WriteFile: target
    QString source; // Add: a file or folder on the local disk (a folder's contents are merged)
    QString newPath; // Rename: the new path
    QByteArray data; // WriteFile: the new content (replaces the file, creates it if missing)

    static WimChange add(const QString &source, const QString &destination);
    static WimChange remove(const QString &path);
    static WimChange rename(const QString &from, const QString &to);
    static WimChange writeFile(const QString &path, const QByteArray &data);
};

struct WimEditRequest
{
    QString input; // the source WIM, never modified unless output names the same file
    QString output; // the new WIM
    int image = 0; // 1-based image the changes apply to; 0: the boot image, or 1 if none
    std::vector<WimChange> changes;
    std::optional<int> bootIndex; // new boot index of the output (0: none)
    bool onlyImage = false; // the output holds only `image`, as image 1, marked bootable
    WimCompression compression = WimCompression::Keep;
    bool overwrite = false; // replace an existing output file
};

// Applies the request and writes the output atomically. Reports "Scanning" (added files) and
// "Writing <name>" (bytes) stages; Errc::Cancelled when progress is cancelled.
Status editWim(const WimEditRequest &request, Progress &progress);

// Parses "lzx", "xpress", "none", "keep" (case-insensitive).
std::optional<WimCompression> parseCompression(const QString &name);

// Text for cmd.exe and winpeshl: LF and CR LF become CR LF, and a final line break is added.
QByteArray toWindowsText(const QByteArray &text);

// Resolves "2" or an image name to a 1-based index of the WIM at `wimPath`.
Result<int> resolveImage(const QString &wimPath, const QString &image);

} // namespace pecast::wim
