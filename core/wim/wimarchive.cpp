#include "wim/wimarchive.h"

#include "wim/wimerror.h"
#include "wim/wimlookup.h"

#include <QDir>
#include <QFileInfo>
#include <QMap>
#include <QRegularExpression>

#include <fcntl.h>
#include <unistd.h>
#include <wimlib.h>

#include <cerrno>
#include <cstring>

namespace pecast::wim {

struct WimArchive::Trampoline
{
    Progress *progress = nullptr;
    int lastMessage = -1;

    static wimlib_progress_status call(
        wimlib_progress_msg msg, wimlib_progress_info *info, void *context)
    {
        auto *self = static_cast<Trampoline *>(context);
        if (!self || !self->progress)
            return WIMLIB_PROGRESS_STATUS_CONTINUE;
        Progress &p = *self->progress;
        auto stage = [&](const QString &name, uint64_t total) {
            if (self->lastMessage != int(msg)) {
                self->lastMessage = int(msg);
                p.beginStage(name, qint64(total));
            }
        };
        switch (msg) {
        case WIMLIB_PROGRESS_MSG_WRITE_STREAMS:
            stage(QStringLiteral("Writing WIM data"), info->write_streams.total_bytes);
            p.update(qint64(info->write_streams.completed_bytes));
            break;
        case WIMLIB_PROGRESS_MSG_EXTRACT_STREAMS:
            stage(QStringLiteral("Extracting files"), info->extract.total_bytes);
            p.update(qint64(info->extract.completed_bytes));
            break;
        case WIMLIB_PROGRESS_MSG_VERIFY_INTEGRITY:
            stage(QStringLiteral("Checking the integrity table"), info->integrity.total_bytes);
            p.update(qint64(info->integrity.completed_bytes));
            break;
        case WIMLIB_PROGRESS_MSG_CALC_INTEGRITY:
            stage(QStringLiteral("Writing the integrity table"), info->integrity.total_bytes);
            p.update(qint64(info->integrity.completed_bytes));
            break;
        case WIMLIB_PROGRESS_MSG_VERIFY_STREAMS:
            stage(QStringLiteral("Verifying WIM data"), info->verify_streams.total_bytes);
            p.update(qint64(info->verify_streams.completed_bytes));
            break;
        case WIMLIB_PROGRESS_MSG_HANDLE_ERROR:
            // An explicit decision: never ignore an error (the default, spelled out).
            info->handle_error.will_ignore = false;
            break;
        default:
            break;
        }
        return p.cancelled() ? WIMLIB_PROGRESS_STATUS_ABORT : WIMLIB_PROGRESS_STATUS_CONTINUE;
    }
};

namespace {

// "MSWIM\0\0\0" (normal) and "WLPWM\0\0\0" (pipable): the first 8 bytes of every WIM part.
constexpr char kWimMagic[] = "MSWIM\0\0";
constexpr char kPipableMagic[] = "WLPWM\0\0";
// The fixed WIM header and where its resource headers sit: blob table, XML, boot metadata,
// integrity table (a truncated copy is recognised from these before wimlib reads anything).
constexpr int kHeaderSize = 208;
constexpr int kResourceHeaderOffsets[] = { 48, 72, 96, 124 };

QString native(const QString &path)
{
    return QDir::toNativeSeparators(path);
}

// What wimlib would report less clearly (or, for a FIFO, hang on): checked up front.
Status precheck(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return Error(Errc::NotFound, QStringLiteral("%1: no such file").arg(native(path)))
            .withHint(QStringLiteral("Check the path (quote it if it has spaces)."));
    if (info.isDir())
        return Error(Errc::InvalidInput,
            QStringLiteral("%1 is a directory, not a WIM file").arg(native(path)))
            .withHint(QStringLiteral("Give the WIM inside it, e.g. %1")
                          .arg(native(path + QStringLiteral("/sources/boot.wim"))));
    if (!info.isFile())
        return Error(Errc::InvalidInput,
            QStringLiteral("%1 is not a regular file (a device, FIFO or socket)").arg(native(path)))
            .withHint(QStringLiteral("Copy the WIM to a regular file first."));
    if (info.size() == 0)
        return Error(Errc::BadFormat, QStringLiteral("%1 is empty (0 bytes)").arg(native(path)))
            .withHint(QStringLiteral("The copy or download failed; copy the WIM again."));

    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return Error::fromErrno(errno, QStringLiteral("opening %1").arg(native(path)))
            .withHint(QStringLiteral("Check the file's permissions."));
    char header[kHeaderSize] = {};
    const ssize_t got = ::pread(fd, header, sizeof header, 0);
    const int readErrno = errno;
    ::close(fd);
    if (got < 0)
        return Error::fromErrno(readErrno, QStringLiteral("reading %1").arg(native(path)))
            .withHint(QStringLiteral("Check that the file is readable and the disk is healthy."));
    if (got < 8
        || (std::memcmp(header, kWimMagic, 8) != 0 && std::memcmp(header, kPipableMagic, 8) != 0))
        return Error(Errc::BadFormat,
            QStringLiteral("%1 is not a WIM file (no MSWIM signature)").arg(native(path)))
            .withHint(QStringLiteral("Give a .wim, .esd or .swm file (e.g. sources\\boot.wim)."));
    const QString truncatedHint
        = QStringLiteral("The copy or download was interrupted; copy the WIM again.");
    if (got < qint64(kHeaderSize))
        return Error(Errc::BadFormat,
            QStringLiteral("%1 is truncated: %2 bytes, less than a WIM header (%3 bytes)")
                .arg(native(path))
                .arg(got)
                .arg(kHeaderSize))
            .withHint(truncatedHint);
    if (std::memcmp(header, kWimMagic, 8) == 0) {
        // Resource headers: 7-byte stored size, 1 flag byte, 8-byte offset (little endian).
        auto le = [&header](int at, int bytes) {
            quint64 v = 0;
            for (int i = bytes - 1; i >= 0; --i)
                v = (v << 8) | uchar(header[at + i]);
            return v;
        };
        quint64 end = 0;
        for (const int at : kResourceHeaderOffsets) {
            const quint64 size = le(at, 7);
            if (size > 0)
                end = std::max(end, le(at + 8, 8) + size);
        }
        if (end > quint64(info.size()))
            return Error(Errc::BadFormat,
                QStringLiteral("%1 is truncated: %2 bytes, but its tables reach byte %3")
                    .arg(native(path))
                    .arg(info.size())
                    .arg(end))
                .withHint(truncatedHint);
    }
    return {};
}

struct PartInfo
{
    QByteArray guid;
    int number = 0;
    int total = 0;
};

Result<PartInfo> readPartInfo(const QString &path, const QString &what)
{
    WIMStruct *raw = nullptr;
    if (const int ret = wimlib_open_wim(QFile::encodeName(path).constData(), 0, &raw); ret != 0)
        return fromWimlib(ret, path, what);
    wimlib_wim_info info {};
    wimlib_get_wim_info(raw, &info);
    wimlib_free(raw);
    return PartInfo { QByteArray(reinterpret_cast<const char *>(info.guid), WIMLIB_GUID_LEN),
        int(info.part_number), int(info.total_parts) };
}

// All parts of the split WIM `path` belongs to, part 1 first, found beside it by wimlib's
// naming (name.swm, name2.swm, ...; any name sharing the stem is tried, matched by GUID).
Result<QStringList> findParts(const QString &path, const PartInfo &self)
{
    const QFileInfo info(path);
    QString stem = info.completeBaseName();
    stem.remove(QRegularExpression(QStringLiteral("\\d+$")));
    const QDir dir = info.absoluteDir();
    QMap<int, QString> parts;
    parts.insert(self.number, info.absoluteFilePath());
    const QStringList candidates
        = dir.entryList({ QStringLiteral("*.%1").arg(info.suffix()) }, QDir::Files, QDir::Name);
    for (const QString &name : candidates) {
        if (!name.startsWith(stem, Qt::CaseInsensitive))
            continue;
        const QString candidate = dir.absoluteFilePath(name);
        if (candidate == info.absoluteFilePath())
            continue;
        const Result<PartInfo> part = readPartInfo(candidate, QStringLiteral("opening"));
        if (part && part->guid == self.guid && !parts.contains(part->number))
            parts.insert(part->number, candidate);
    }
    QStringList missing;
    for (int n = 1; n <= self.total; ++n) {
        if (!parts.contains(n))
            missing.append(QString::number(n));
    }
    if (!missing.isEmpty())
        return Error(Errc::NotFound,
            QStringLiteral("%1 is part %2 of a split WIM with %3 parts; part(s) %4 not found in %5")
                .arg(native(path))
                .arg(self.number)
                .arg(self.total)
                .arg(missing.join(QStringLiteral(", ")), native(dir.absolutePath())))
            .withHint(QStringLiteral("Put all parts (%1, %2, ...) in the same folder.")
                          .arg(stem + QLatin1Char('.') + info.suffix(),
                              stem + QStringLiteral("2.") + info.suffix()));
    return QStringList(parts.values());
}

} // namespace

WimArchive::WimArchive(WIMStruct *wim, QString path, Progress &progress)
    : m_wim(wim)
    , m_path(std::move(path))
    , m_partPaths { m_path }
    , m_trampoline(std::make_unique<Trampoline>())
{
    m_trampoline->progress = &progress;
    wimlib_register_progress_function(m_wim, &Trampoline::call, m_trampoline.get());
}

WimArchive::WimArchive(WimArchive &&other) noexcept
    : m_wim(std::exchange(other.m_wim, nullptr))
    , m_path(std::move(other.m_path))
    , m_partPaths(std::move(other.m_partPaths))
    , m_trampoline(std::move(other.m_trampoline))
{ }

WimArchive &WimArchive::operator=(WimArchive &&other) noexcept
{
    if (this != &other) {
        if (m_wim)
            wimlib_free(m_wim);
        m_wim = std::exchange(other.m_wim, nullptr);
        m_path = std::move(other.m_path);
        m_partPaths = std::move(other.m_partPaths);
        m_trampoline = std::move(other.m_trampoline);
    }
    return *this;
}

WimArchive::~WimArchive()
{
    if (m_wim)
        wimlib_free(m_wim);
}

void WimArchive::setProgress(Progress &progress)
{
    m_trampoline->progress = &progress;
    m_trampoline->lastMessage = -1;
}

Status WimArchive::check(int code, const QString &what) const
{
    if (code == 0)
        return {};
    return fromWimlib(code, m_path, what);
}

Result<WimArchive> WimArchive::open(const QString &path, Progress &progress)
{
    return open(path, OpenOptions {}, progress);
}

Result<WimArchive> WimArchive::open(
    const QString &path, const OpenOptions &options, Progress &progress)
{
    if (Status s = precheck(path); !s)
        return std::move(s).error();
    if (Status s = progress.check(); !s)
        return std::move(s).error();
    QString primary = QFileInfo(path).absoluteFilePath();
    QStringList parts { primary };

    if (options.referenceParts) {
        const Result<PartInfo> self = readPartInfo(primary, QStringLiteral("opening"));
        if (!self)
            return self.error();
        if (self->total > 1) {
            Result<QStringList> found = findParts(primary, *self);
            if (!found)
                return found.error();
            parts = *found;
            primary = parts.first(); // image metadata lives in part 1
        }
    }

    auto trampoline = std::make_unique<Trampoline>();
    trampoline->progress = &progress;
    const int flags = options.checkIntegrity ? WIMLIB_OPEN_FLAG_CHECK_INTEGRITY : 0;
    WIMStruct *raw = nullptr;
    const int ret = wimlib_open_wim_with_progress(
        QFile::encodeName(primary).constData(), flags, &raw, &Trampoline::call, trampoline.get());
    if (ret != 0)
        return fromWimlib(ret, primary,
            options.checkIntegrity ? QStringLiteral("checking") : QStringLiteral("opening"));
    WimArchive archive(raw, primary, progress);
    archive.m_partPaths = parts;
    if (parts.size() > 1) {
        QList<QByteArray> encoded;
        std::vector<const char *> others;
        for (int i = 1; i < parts.size(); ++i)
            encoded.append(QFile::encodeName(parts.at(i)));
        for (const QByteArray &e : std::as_const(encoded))
            others.push_back(e.constData());
        const int refRet = wimlib_reference_resource_files(
            raw, others.data(), unsigned(others.size()), 0, flags);
        if (refRet != 0)
            return fromWimlib(refRet, primary, QStringLiteral("referencing the parts of"));
    }
    return archive;
}

Result<WimArchive> WimArchive::createNew(int compression, Progress &progress)
{
    WIMStruct *raw = nullptr;
    const int ret = wimlib_create_new_wim(static_cast<wimlib_compression_type>(compression), &raw);
    if (ret != 0)
        return fromWimlib(ret, QStringLiteral("(new WIM)"), QStringLiteral("creating"));
    return WimArchive(raw, QString(), progress);
}

Result<WimImage> openImage(const QString &path, int index, Progress &progress)
{
    Result<WimArchive> opened = WimArchive::open(path, progress);
    if (!opened)
        return std::move(opened).error();
    const Result<int> image = resolveImage(opened->get(), index, opened->path());
    if (!image)
        return image.error();
    return WimImage { std::move(*opened), *image };
}

} // namespace pecast::wim
