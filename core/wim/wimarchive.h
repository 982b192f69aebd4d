#pragma once

// RAII owner of a wimlib WIMStruct plus the progress trampoline that feeds a pecast::Progress
// and aborts the running wimlib call when cancellation is requested (-> Errc::Cancelled).
// Thread contract (wimlib's): one WimArchive is used by one thread at a time.

#include "util/error.h"
#include "util/progress.h"

#include <QString>
#include <QStringList>

#include <memory>

struct WIMStruct;

namespace pecast::wim {

class WimArchive
{
public:
    struct OpenOptions
    {
        bool checkIntegrity = false; // verify the integrity table while opening (progress)
        // Split WIMs: find and reference the sibling parts (name*.swm beside the file) and fail
        // with a clear error when any part is missing. false: open this part alone.
        bool referenceParts = true;
    };

    // Opens `path` read-only. Refuses directories, empty and non-regular files before wimlib
    // sees them. Errors name the file and say what to do.
    static Result<WimArchive> open(const QString &path, Progress &progress);
    static Result<WimArchive> open(
        const QString &path, const OpenOptions &options, Progress &progress);
    // A new, empty in-memory WIM (for export). `compression` is a wimlib_compression_type.
    static Result<WimArchive> createNew(int compression, Progress &progress);

    WimArchive(WimArchive &&other) noexcept;
    WimArchive &operator=(WimArchive &&other) noexcept;
    ~WimArchive();

    WIMStruct *get() const { return m_wim; }
    const QString &path() const { return m_path; }
    // All parts (part 1 first) when split and referenced; {path()} otherwise.
    const QStringList &partPaths() const { return m_partPaths; }

    // Points the progress trampoline at another Progress (e.g. a later step's).
    void setProgress(Progress &progress);

    // Maps a wimlib return code to an Error naming this WIM (Ok when code is 0).
    Status check(int code, const QString &what) const;

private:
    WimArchive(WIMStruct *wim, QString path, Progress &progress);

    struct Trampoline; // heap-allocated so its address (wimlib's user context) survives moves
    WIMStruct *m_wim = nullptr;
    QString m_path;
    QStringList m_partPaths;
    std::unique_ptr<Trampoline> m_trampoline;
};

// A WIM opened read-only with one of its images chosen: what the readers of one image start from.
struct WimImage
{
    WimArchive archive;
    int index = 0; // 1-based
};

// Opens `path` and resolves `index` (0: the boot index, or the only image; see resolveImage in
// wimlookup.h). Errors name the WIM.
Result<WimImage> openImage(const QString &path, int index, Progress &progress);

} // namespace pecast::wim
