#pragma once

// An NTFS volume inside a raw image, opened in-process with libntfs-3g at a byte offset through a
// custom device (pread/pwrite + offset): no mounts, no loop devices, no root.
// Paths use '/' or '\' as separators and are absolute inside the volume ("/boot/BCD").
// Big files written from a file take the direct path (ntfsdirectwrite.h): libntfs-3g allocates
// the clusters in steps, the kernel copies the bytes into the image (copy_file_range). Small
// files and other sources are written in 1 MiB chunks with ntfs_attr_pwrite. Neither uses one
// whole-file preallocation, which fails on nearly-full volumes because it will not use the MFT
// zone. Running out of room is Errc::NoSpace. One NtfsVolume is used by one thread at a time.

#include "util/error.h"
#include "util/progress.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>
#include <memory>

class QIODevice;

namespace pecast::disk {

// FILE_ATTRIBUTE_* values as NTFS stores them.
enum FileAttribute : quint32 {
    AttrReadOnly = 0x01,
    AttrHidden = 0x02,
    AttrSystem = 0x04,
    AttrArchive = 0x20,
};

struct NtfsEntry
{
    QString path; // absolute, '/'-separated: "/boot/BCD"
    qint64 size = 0; // data size in bytes (0 for directories)
    bool directory = false;
    quint32 attributes = 0; // FileAttribute bits
};

class NtfsVolume
{
public:
    enum class Mode { ReadOnly, ReadWrite };

    // Opens the NTFS at `offset` bytes in the already open image fd (the fd is duplicated; the
    // caller keeps ownership of its own).
    static Result<NtfsVolume> open(int fd, qint64 offset, Mode mode);
    static Result<NtfsVolume> open(const QString &imagePath, qint64 offset, Mode mode);

    NtfsVolume(NtfsVolume &&other) noexcept;
    NtfsVolume &operator=(NtfsVolume &&other) noexcept;
    NtfsVolume(const NtfsVolume &) = delete;
    NtfsVolume &operator=(const NtfsVolume &) = delete;
    ~NtfsVolume(); // fallback: unmounts and logs a warning if close() was not called

    bool isOpen() const;

    // Like mkdir -p. Existing directories are fine; an existing file in the way is an error.
    Status makeDirectories(const QString &path);

    // Creates `path` (parent directories too) and writes its contents: from a file of 64 KiB or
    // more by the direct path, else in 1 MiB chunks. An existing file is refused (Errc::Exists)
    // unless replace is true. On failure or cancel the partial file is removed. Progress reports
    // bytes of this file.
    using ReadChunk = std::function<qint64(char *buffer, qint64 maxBytes)>; // <0: error, 0: end
    Status writeFile(const QString &path, qint64 size, const ReadChunk &read, Progress &progress,
        bool replace = false);
    Status writeFile(
        const QString &path, const QString &sourceFile, Progress &progress, bool replace = false);
    Status writeFile(const QString &path, QIODevice &source, qint64 size, Progress &progress,
        bool replace = false);
    Status writeFile(const QString &path, const QByteArray &data, bool replace = false);

    // Sets FILE_ATTRIBUTE_* bits (e.g. AttrHidden | AttrSystem | AttrReadOnly for \bootmgr).
    Status setAttributes(const QString &path, quint32 attributes);

    Result<NtfsEntry> stat(const QString &path) const;
    bool exists(const QString &path) const;
    // Every entry below `directory` (recursive), sorted by path; system metafiles ($MFT, ...)
    // and "." / ".." are left out.
    Result<QList<NtfsEntry>> list(const QString &directory = QStringLiteral("/")) const;
    // Reads a whole file; refuses files larger than maxBytes (Errc::Unsupported).
    Result<QByteArray> readFile(const QString &path, qint64 maxBytes = 64 * 1024 * 1024) const;
    // Streams a file out in chunks to `write` (returns false to stop with an Io error).
    Status readFile(const QString &path, const std::function<bool(const char *, qint64)> &write,
        Progress &progress) const;
    Status remove(const QString &path); // a file or an empty directory

    qint64 freeBytes() const; // free clusters * cluster size
    qint64 totalBytes() const;
    qint64 clusterSize() const;
    QString label() const;

    // Unmounts: writes every metadata change into the image file and, with Sync::Durable, fsyncs
    // it. Sync::PageCacheOnly leaves the fsync to the caller (an AtomicFile commit does one; a work
    // file that is only read back never needs one). The first error wins; the volume is closed
    // afterwards either way.
    enum class Sync { Durable, PageCacheOnly };
    Status close(Sync sync = Sync::Durable);

    struct Impl;

private:
    explicit NtfsVolume(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace pecast::disk
