#include "disk/imageedit.h"

#include "disk/disklayout.h"
#include "disk/rangecopy.h"

#include <QProcess>
#include <QStandardPaths>
#include <QtEndian>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace pecast::disk {

namespace {

constexpr qint64 kPartitionTableOffset = 446; // after 440 bytes of code, signature, 2 reserved
constexpr qint64 kEntrySize = 16;
constexpr quint8 kGptProtective = 0xEE;
// ntfsresize on a few hundred MB finishes in well under a second; a minute means it is stuck.
constexpr int kNtfsResizeTimeoutMs = 120000;

Status preadAll(int fd, char *buffer, qint64 size, qint64 offset)
{
    qint64 done = 0;
    while (done < size) {
        const ssize_t n = ::pread(fd, buffer + done, size_t(size - done), offset + done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return Error::fromErrno(errno, QStringLiteral("reading the image"));
        if (n == 0)
            return Error(Errc::BadFormat, QStringLiteral("the image ends early"));
        done += n;
    }
    return {};
}

} // namespace

Result<QList<MbrPartition>> readMbrPartitions(int fd, const QString &nameForErrors)
{
    QByteArray mbr(512, '\0');
    if (auto s = preadAll(fd, mbr.data(), mbr.size(), 0); !s)
        return std::move(s).error().context(nameForErrors);
    if (quint8(mbr.at(510)) != 0x55 || quint8(mbr.at(511)) != 0xAA)
        return Error(Errc::BadFormat,
            QStringLiteral("%1 has no MBR (no 55 AA signature)").arg(nameForErrors))
            .withHint(QStringLiteral("Give a raw disk image (.img, .dd)."));
    QList<MbrPartition> out;
    for (int i = 0; i < 4; ++i) {
        const char *e = mbr.constData() + kPartitionTableOffset + i * kEntrySize;
        MbrPartition p;
        p.index = i + 1;
        p.active = quint8(e[0]) == 0x80;
        p.type = quint8(e[4]);
        p.startLba = qFromLittleEndian<quint32>(e + 8);
        p.sectors = qFromLittleEndian<quint32>(e + 12);
        if (p.type == kGptProtective)
            return Error(
                Errc::Unsupported, QStringLiteral("%1 is partitioned with GPT").arg(nameForErrors))
                .withHint(QStringLiteral("memdisk boots MBR images only."));
        if (p.type != 0 && p.sectors != 0)
            out.append(p);
    }
    return out;
}

Status setPartitionSectors(int fd, int index, quint32 sectors)
{
    if (index < 1 || index > 4)
        return Error(Errc::InvalidInput, QStringLiteral("no partition %1 in an MBR").arg(index));
    const qint64 entry = kPartitionTableOffset + (index - 1) * kEntrySize;
    char raw[kEntrySize];
    if (auto s = preadAll(fd, raw, kEntrySize, entry); !s)
        return s;
    const quint32 start = qFromLittleEndian<quint32>(raw + 8);
    const QByteArray endChs = encodeChs(start + sectors - 1);
    std::copy(endChs.cbegin(), endChs.cend(), raw + 5);
    qToLittleEndian<quint32>(sectors, raw + 12);
    if (auto s = pwriteAll(fd, raw, kEntrySize, entry); !s)
        return s;
    return {};
}

Status copySparse(
    int from, qint64 fromOffset, int to, qint64 toOffset, qint64 length, Progress &progress)
{
    qint64 reported = 0;
    const qint64 end = fromOffset + length;
    qint64 pos = fromOffset;
    while (pos < end) {
        off_t data = ::lseek(from, pos, SEEK_DATA);
        if (data < 0 && errno == ENXIO)
            break; // only a hole remains
        if (data < 0) // no SEEK_DATA here: copy everything
            data = pos;
        if (data >= end)
            break;
        off_t hole = ::lseek(from, data, SEEK_HOLE);
        if (hole < 0)
            hole = end;
        const qint64 extentEnd = std::min<qint64>(hole, end);
        reported += data - pos; // holes count as done
        if (auto s = copyRange(from, data, to, toOffset + (data - fromOffset), extentEnd - data,
                progress, reported);
            !s)
            return s;
        pos = extentEnd;
    }
    progress.update(length);
    return {};
}

namespace {

Status runNtfsTool(const QString &name, const QStringList &arguments)
{
    QString tool = QStandardPaths::findExecutable(name);
    if (tool.isEmpty())
        tool = QStandardPaths::findExecutable(
            name, { QStringLiteral("/usr/sbin"), QStringLiteral("/sbin") });
    if (tool.isEmpty())
        return Error(Errc::NotFound, QStringLiteral("%1 is not installed").arg(name))
            .withHint(QStringLiteral("Install ntfs-3g."));
    QProcess process;
    process.start(tool, arguments);
    if (!process.waitForStarted())
        return Error(
            Errc::Io, QStringLiteral("cannot run %1: %2").arg(name, process.errorString()));
    process.write("y\n"); // ntfsresize's last question, should -f -f not cover it
    process.closeWriteChannel();
    if (!process.waitForFinished(kNtfsResizeTimeoutMs)) {
        process.kill();
        process.waitForFinished();
        return Error(Errc::Io, QStringLiteral("%1 did not finish").arg(name));
    }
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return Error(Errc::Library,
            QStringLiteral("%1 failed: %2")
                .arg(name,
                    QString::fromLocal8Bit(
                        process.readAllStandardError() + process.readAllStandardOutput())
                        .trimmed()
                        .right(400)));
    return {};
}

} // namespace

Status growNtfsFile(const QString &partitionFile, Progress &progress)
{
    if (auto s = progress.check(); !s)
        return s;
    progress.beginStage(QStringLiteral("Growing the NTFS (ntfsresize)"));
    // -f twice: skip the consistency prompt and the "are you sure" question; the file is our
    // own scratch copy of the partition.
    if (auto s = runNtfsTool(QStringLiteral("ntfsresize"),
            { QStringLiteral("-f"), QStringLiteral("-f"), QStringLiteral("-P"), partitionFile });
        !s)
        return s;
    // ntfsresize schedules a chkdsk (the dirty flag); ntfs-3g's tools then refuse the volume.
    // The resize is complete and consistent, so clear it again.
    return runNtfsTool(QStringLiteral("ntfsfix"), { QStringLiteral("-d"), partitionFile });
}

} // namespace pecast::disk
