#include "disk/rangecopy.h"

#include <QByteArray>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace pecast::disk {

namespace {

// One copy_file_range call: big enough that syscalls cost nothing next to the copy, small enough
// that cancel and progress come several times a second even on slow disks.
constexpr qint64 kCopyChunk = 16 * 1024 * 1024;
// The fallback's buffer: large blocks, but not a memory burden.
constexpr qint64 kBufferBytes = 4 * 1024 * 1024;

bool kernelRefuses(int err)
{
    return err == EXDEV || err == EINVAL || err == ENOSYS || err == EOPNOTSUPP;
}

// pread then pwrite of up to `length` bytes; returns the bytes copied (0: the source ended) or
// -1 with errno set.
qint64 copyThroughBuffer(
    int from, qint64 fromOffset, int to, qint64 toOffset, qint64 length, QByteArray &buffer)
{
    if (buffer.isEmpty())
        buffer.resize(kBufferBytes);
    const qint64 want = qMin(length, qint64(buffer.size()));
    ssize_t got;
    do
        got = ::pread(from, buffer.data(), size_t(want), off_t(fromOffset));
    while (got < 0 && errno == EINTR);
    if (got <= 0)
        return got;
    if (auto s = pwriteAll(to, buffer.constData(), got, toOffset); !s) {
        errno = s.error().nativeCode(); // the caller reports errno
        return -1;
    }
    return got;
}

} // namespace

Status pwriteAll(int fd, const char *data, qint64 size, qint64 offset)
{
    qint64 done = 0;
    while (done < size) {
        const ssize_t n = ::pwrite(fd, data + done, size_t(size - done), off_t(offset + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return Error::fromErrno(errno, QStringLiteral("writing the image"));
        done += n;
    }
    return {};
}

Status copyRange(int from, qint64 fromOffset, int to, qint64 toOffset, qint64 length,
    Progress &progress, qint64 &done)
{
    bool kernel = true;
    QByteArray buffer;
    qint64 copied = 0;
    while (copied < length) {
        if (auto s = progress.check(); !s)
            return s;
        const qint64 chunk = qMin(kCopyChunk, length - copied);
        qint64 n = -1;
        if (kernel) {
            loff_t in = fromOffset + copied;
            loff_t out = toOffset + copied;
            n = ::copy_file_range(from, &in, to, &out, size_t(chunk), 0);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0 && kernelRefuses(errno))
                kernel = false;
        }
        if (!kernel)
            n = copyThroughBuffer(from, fromOffset + copied, to, toOffset + copied, chunk, buffer);
        if (n < 0)
            return Error::fromErrno(errno, QStringLiteral("copying %1 bytes").arg(length));
        if (n == 0)
            return Error(Errc::Io,
                QStringLiteral("the source ended after %1 of %2 bytes")
                    .arg(fromOffset + copied)
                    .arg(fromOffset + length));
        copied += n;
        done += n;
        progress.update(done);
    }
    return {};
}

} // namespace pecast::disk
