#pragma once

// Outputs appear whole or not at all (the pattern of wimlib's overwrite_wim_via_tmpfile):
// data goes to a hidden temporary file beside the target; commit() fsyncs it, renames it over
// the target name and fsyncs the directory. If commit() never runs (error, cancel, crash of the
// operation), the destructor removes the temporary file, so the target is never half-written and
// no debris is left. An existing target is refused unless Overwrite::Replace, and even then it is
// untouched until the rename.

#include "util/error.h"
#include "util/uniquefd.h"

#include <QByteArray>
#include <QString>

namespace pecast {

class AtomicFile
{
public:
    enum class Overwrite { Refuse, Replace };

    // Creates the temporary file. Fails early (before any work) when the target exists and
    // overwriting is refused, or when the directory is not writable.
    static Result<AtomicFile> create(const QString &target, Overwrite overwrite);

    // Writes a small file in one go (an iPXE script, a BCD store).
    static Status writeFile(const QString &target, const QByteArray &data, Overwrite overwrite);

    AtomicFile(AtomicFile &&other) noexcept;
    AtomicFile &operator=(AtomicFile &&) = delete;
    AtomicFile(const AtomicFile &) = delete;
    ~AtomicFile();

    int fd() const { return m_fd.get(); }
    const QString &tempPath() const { return m_tempPath; }
    const QString &targetPath() const { return m_targetPath; }

    Status write(const void *data, qint64 size);
    Status write(const QByteArray &data) { return write(data.constData(), data.size()); }
    Status pwrite(const void *data, qint64 size, qint64 offset);
    Status resize(qint64 size); // sparse extension with ftruncate

    Status commit();
    void discard(); // removes the temporary file now

private:
    AtomicFile(UniqueFd fd, QString tempPath, QString targetPath, Overwrite overwrite);

    UniqueFd m_fd;
    QString m_tempPath;
    QString m_targetPath;
    Overwrite m_overwrite;
    bool m_committed = false;
};

} // namespace pecast
