#include "util/atomicfile.h"

#include <QDir>
#include <QFileInfo>

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

namespace pecast {

namespace {

QByteArray encoded(const QString &path)
{
    return QFile::encodeName(path);
}

Status fsyncDirectory(const QString &dir)
{
    UniqueFd fd(::open(encoded(dir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd.valid())
        return Error::fromErrno(errno, QStringLiteral("opening directory %1").arg(dir));
    if (::fsync(fd.get()) != 0 && errno != EINVAL)
        return Error::fromErrno(errno, QStringLiteral("syncing directory %1").arg(dir));
    return {};
}

} // namespace

Result<AtomicFile> AtomicFile::create(const QString &target, Overwrite overwrite)
{
    const QFileInfo info(target);
    if (info.isDir())
        return Error(Errc::InvalidInput, QStringLiteral("%1 is a directory").arg(target))
            .withHint(QStringLiteral("Give a file name for the output."));
    if (info.exists() && overwrite == Overwrite::Refuse)
        return Error(Errc::Exists, QStringLiteral("%1 already exists").arg(target))
            .withHint(QStringLiteral("Choose another name, or use --force to replace it."));
    const QString dir = info.absolutePath();
    if (!QFileInfo(dir).isDir())
        return Error(Errc::NotFound, QStringLiteral("output directory %1 does not exist").arg(dir));

    QByteArray pattern = encoded(dir + QLatin1Char('/') + QLatin1Char('.') + info.fileName()
        + QStringLiteral(".pecast-XXXXXX"));
    const int fd = ::mkostemp(pattern.data(), O_CLOEXEC);
    if (fd < 0)
        return Error::fromErrno(errno, QStringLiteral("creating a temporary file in %1").arg(dir))
            .withHint(QStringLiteral("Check that the output directory is writable."));
    ::fchmod(fd, 0644);
    return AtomicFile(UniqueFd(fd), QFile::decodeName(pattern), info.absoluteFilePath(), overwrite);
}

Status AtomicFile::writeFile(const QString &target, const QByteArray &data, Overwrite overwrite)
{
    auto file = create(target, overwrite);
    if (!file)
        return std::move(file).error();
    if (auto s = file->write(data); !s)
        return s;
    return file->commit();
}

AtomicFile::AtomicFile(UniqueFd fd, QString tempPath, QString targetPath, Overwrite overwrite)
    : m_fd(std::move(fd))
    , m_tempPath(std::move(tempPath))
    , m_targetPath(std::move(targetPath))
    , m_overwrite(overwrite)
{ }

AtomicFile::AtomicFile(AtomicFile &&other) noexcept
    : m_fd(std::move(other.m_fd))
    , m_tempPath(std::move(other.m_tempPath))
    , m_targetPath(std::move(other.m_targetPath))
    , m_overwrite(other.m_overwrite)
    , m_committed(other.m_committed)
{
    other.m_committed = true; // the moved-from object owns nothing to clean up
}

AtomicFile::~AtomicFile()
{
    if (!m_committed)
        discard();
}

void AtomicFile::discard()
{
    m_fd.reset();
    if (!m_tempPath.isEmpty())
        ::unlink(encoded(m_tempPath).constData());
    m_committed = true;
}

Status AtomicFile::write(const void *data, qint64 size)
{
    auto *p = static_cast<const char *>(data);
    while (size > 0) {
        const ssize_t n = ::write(m_fd.get(), p, size_t(size));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return Error::fromErrno(errno, QStringLiteral("writing %1").arg(m_targetPath));
        }
        p += n;
        size -= n;
    }
    return {};
}

Status AtomicFile::pwrite(const void *data, qint64 size, qint64 offset)
{
    auto *p = static_cast<const char *>(data);
    while (size > 0) {
        const ssize_t n = ::pwrite(m_fd.get(), p, size_t(size), offset);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return Error::fromErrno(errno, QStringLiteral("writing %1").arg(m_targetPath));
        }
        p += n;
        size -= n;
        offset += n;
    }
    return {};
}

Status AtomicFile::resize(qint64 size)
{
    if (::ftruncate(m_fd.get(), size) != 0)
        return Error::fromErrno(
            errno, QStringLiteral("sizing %1 to %2 bytes").arg(m_targetPath).arg(size));
    return {};
}

Status AtomicFile::commit()
{
    if (m_committed)
        return Error(Errc::Library, QStringLiteral("%1 was already committed").arg(m_targetPath));
    if (::fsync(m_fd.get()) != 0)
        return Error::fromErrno(errno, QStringLiteral("syncing %1").arg(m_targetPath));
    if (::close(m_fd.release()) != 0)
        return Error::fromErrno(errno, QStringLiteral("closing %1").arg(m_targetPath));

    const QByteArray from = encoded(m_tempPath);
    const QByteArray to = encoded(m_targetPath);
    if (m_overwrite == Overwrite::Refuse) {
        // Never replace a file that appeared while we worked.
        if (::renameat2(AT_FDCWD, from.constData(), AT_FDCWD, to.constData(), RENAME_NOREPLACE)
            != 0) {
            const int err = errno;
            if (err != EINVAL && err != ENOSYS)
                return Error::fromErrno(err, QStringLiteral("creating %1").arg(m_targetPath));
            // Filesystem without RENAME_NOREPLACE: link() refuses an existing name as well.
            if (::link(from.constData(), to.constData()) != 0)
                return Error::fromErrno(errno, QStringLiteral("creating %1").arg(m_targetPath));
            ::unlink(from.constData());
        }
    } else if (::rename(from.constData(), to.constData()) != 0) {
        return Error::fromErrno(errno, QStringLiteral("replacing %1").arg(m_targetPath));
    }
    m_committed = true;
    return fsyncDirectory(QFileInfo(m_targetPath).absolutePath());
}

} // namespace pecast
