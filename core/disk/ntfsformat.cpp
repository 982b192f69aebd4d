#include "disk/ntfsformat.h"

#include "disk/logging.h"
#include "util/uniquefd.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

namespace pecast::disk {

namespace {

// mkntfs -Q on a few GiB takes well under a second; the bound only stops a wedged tool.
constexpr int kMkntfsTimeoutMs = 120000;
// How often a running mkntfs is checked for cancellation.
constexpr int kPollMs = 100;
// Copy unit for the data extents: big enough for sequential speed, small enough to cancel.
constexpr qint64 kCopyChunk = 1024 * 1024;

Status copyDataExtents(int from, int to, qint64 size, qint64 offset, Progress &progress)
{
    std::vector<char> buffer(kCopyChunk);
    off_t position = 0;
    while (position < size) {
        const off_t data = ::lseek(from, position, SEEK_DATA);
        if (data < 0) {
            if (errno == ENXIO) // no more data: the rest is a hole
                break;
            return Error::fromErrno(errno, QStringLiteral("finding data in the formatted volume"));
        }
        off_t hole = ::lseek(from, data, SEEK_HOLE);
        if (hole < 0)
            hole = size;
        for (off_t at = data; at < hole;) {
            if (auto s = progress.check(); !s)
                return s;
            const size_t want = size_t(qMin<qint64>(kCopyChunk, hole - at));
            const ssize_t n = ::pread(from, buffer.data(), want, at);
            if (n <= 0) {
                if (n < 0 && errno == EINTR)
                    continue;
                return Error::fromErrno(
                    n < 0 ? errno : EIO, QStringLiteral("reading the formatted volume"));
            }
            qint64 written = 0;
            while (written < n) {
                const ssize_t w = ::pwrite(
                    to, buffer.data() + written, size_t(n - written), offset + at + written);
                if (w < 0) {
                    if (errno == EINTR)
                        continue;
                    return Error::fromErrno(errno, QStringLiteral("writing NTFS into the image"));
                }
                written += w;
            }
            at += n;
            progress.update(at);
        }
        position = hole;
    }
    progress.update(size);
    return {};
}

} // namespace

QString mkntfsPath()
{
    QString path = QStandardPaths::findExecutable(QStringLiteral("mkntfs"));
    if (path.isEmpty())
        path = QStandardPaths::findExecutable(
            QStringLiteral("mkntfs"), { QStringLiteral("/usr/sbin"), QStringLiteral("/sbin") });
    return path;
}

Status formatNtfs(int imageFd, const DiskLayout &layout, const QString &label, Progress &progress,
    const QString &tempDirectory)
{
    if (label.size() > kMaxLabelLength)
        return Error(Errc::InvalidInput,
            QStringLiteral("the volume label \"%1\" is longer than %2 characters")
                .arg(label)
                .arg(kMaxLabelLength));
    const QString mkntfs = mkntfsPath();
    if (mkntfs.isEmpty())
        return Error(Errc::NotFound, QStringLiteral("mkntfs not found"))
            .withHint(QStringLiteral("Install the ntfs-3g package (apt install ntfs-3g)."));
    progress.beginStage(QStringLiteral("Formatting NTFS"), layout.partitionBytes());
    if (auto s = progress.check(); !s)
        return s;

    const QString base = tempDirectory.isEmpty() ? QDir::tempPath() : tempDirectory;
    QTemporaryDir temp(base + QStringLiteral("/pecast-mkntfs-XXXXXX"));
    if (!temp.isValid())
        return Error(Errc::Io, QStringLiteral("creating a temporary directory in %1").arg(base));
    const QString volumePath = temp.filePath(QStringLiteral("volume.ntfs"));
    UniqueFd volume(::open(
        QFile::encodeName(volumePath).constData(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (!volume.valid())
        return Error::fromErrno(errno, QStringLiteral("creating %1").arg(volumePath));
    if (::ftruncate(volume.get(), off_t(layout.partitionBytes())) != 0)
        return Error::fromErrno(errno, QStringLiteral("sizing %1").arg(volumePath));

    QProcess process;
    QStringList args { QStringLiteral("-q"), QStringLiteral("-F"), QStringLiteral("-Q"),
        QStringLiteral("-s"), QString::number(kSectorSize), QStringLiteral("-p"),
        QString::number(layout.partitionLba), QStringLiteral("-H"), QString::number(kHeads),
        QStringLiteral("-S"), QString::number(kSectorsPerTrack) };
    if (!label.isEmpty())
        args << QStringLiteral("-L") << label;
    args << volumePath;
    process.start(mkntfs, args);
    if (!process.waitForStarted())
        return Error(
            Errc::Library, QStringLiteral("starting %1: %2").arg(mkntfs, process.errorString()));
    QElapsedTimer elapsed;
    elapsed.start();
    while (!process.waitForFinished(kPollMs)) {
        if (progress.cancelled() || elapsed.elapsed() > kMkntfsTimeoutMs) {
            process.kill();
            process.waitForFinished();
            if (progress.cancelled())
                return cancelledError();
            return Error(Errc::Library, QStringLiteral("mkntfs did not finish in time"));
        }
    }
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return Error(Errc::Library,
            QStringLiteral("mkntfs failed (exit %1): %2")
                .arg(process.exitCode())
                .arg(QString::fromLocal8Bit(process.readAllStandardError()).trimmed()));

    if (auto s = copyDataExtents(
            volume.get(), imageFd, layout.partitionBytes(), layout.partitionOffset(), progress);
        !s)
        return std::move(s).error().context(QStringLiteral("formatting NTFS"));
    qCDebug(lcDisk) << "formatted NTFS" << layout.partitionBytes() << "bytes at"
                    << layout.partitionOffset();
    return {};
}

} // namespace pecast::disk
