#include "disk/ntfsvolume.h"

#include "disk/logging.h"
#include "disk/ntfsdirectwrite.h"
#include "disk/ntfsheaders.h"
#include "util/uniquefd.h"

#include <QFile>
#include <QIODevice>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <mutex>
#include <vector>

namespace pecast::disk {

namespace {

// Write and read unit: small enough to cancel promptly and to let libntfs-3g allocate as it goes
// (one preallocation will not use the MFT zone and fails on nearly-full volumes).
constexpr qint64 kChunk = 1024 * 1024;
// Files from this size on take the direct path (ntfsdirectwrite.h) when written from a file;
// smaller ones may stay resident in their MFT record, which only libntfs-3g can write.
constexpr qint64 kDirectMinBytes = 64 * 1024;
// NTFS file names hold at most 255 UTF-16 units.
constexpr int kMaxNameLength = 255;
// What the attribute mask in setAttributes may change: the DOS attributes users see.
constexpr quint32 kSettableAttributes = AttrReadOnly | AttrHidden | AttrSystem | AttrArchive;

// The device's private data: the image fd and where the partition starts in it.
struct DeviceState
{
    int fd = -1;
    qint64 offset = 0;
    qint64 position = 0; // for seek/read/write (libntfs-3g mostly uses pread/pwrite)
    bool fsyncOnSync = true; // false: libntfs-3g's sync only flushes into the page cache
};

DeviceState *state(struct ntfs_device *dev)
{
    return static_cast<DeviceState *>(dev->d_private);
}

int deviceOpen(struct ntfs_device *dev, int flags)
{
    if (NDevOpen(dev)) {
        errno = EBUSY;
        return -1;
    }
    if ((flags & O_ACCMODE) == O_RDONLY)
        NDevSetReadOnly(dev);
    NDevSetOpen(dev);
    return 0;
}

int deviceClose(struct ntfs_device *dev)
{
    NDevClearOpen(dev); // the fd belongs to NtfsVolume::Impl
    return 0;
}

s64 deviceSeek(struct ntfs_device *dev, s64 offset, int whence)
{
    DeviceState *s = state(dev);
    switch (whence) {
    case SEEK_SET:
        s->position = offset;
        break;
    case SEEK_CUR:
        s->position += offset;
        break;
    default: // SEEK_END: libntfs-3g never needs the device size here
        errno = EINVAL;
        return -1;
    }
    return s->position;
}

s64 devicePread(struct ntfs_device *dev, void *buffer, s64 count, s64 offset)
{
    const DeviceState *s = state(dev);
    ssize_t n;
    do
        n = ::pread(s->fd, buffer, size_t(count), off_t(s->offset + offset));
    while (n < 0 && errno == EINTR);
    return n;
}

s64 devicePwrite(struct ntfs_device *dev, const void *buffer, s64 count, s64 offset)
{
    if (NDevReadOnly(dev)) {
        errno = EROFS;
        return -1;
    }
    const DeviceState *s = state(dev);
    NDevSetDirty(dev);
    ssize_t n;
    do
        n = ::pwrite(s->fd, buffer, size_t(count), off_t(s->offset + offset));
    while (n < 0 && errno == EINTR);
    return n;
}

s64 deviceRead(struct ntfs_device *dev, void *buffer, s64 count)
{
    const s64 n = devicePread(dev, buffer, count, state(dev)->position);
    if (n > 0)
        state(dev)->position += n;
    return n;
}

s64 deviceWrite(struct ntfs_device *dev, const void *buffer, s64 count)
{
    const s64 n = devicePwrite(dev, buffer, count, state(dev)->position);
    if (n > 0)
        state(dev)->position += n;
    return n;
}

int deviceSync(struct ntfs_device *dev)
{
    if (NDevReadOnly(dev) || !NDevDirty(dev))
        return 0;
    if (state(dev)->fsyncOnSync && ::fsync(state(dev)->fd) != 0)
        return -1;
    NDevClearDirty(dev);
    return 0;
}

int deviceStat(struct ntfs_device *dev, struct stat *buffer)
{
    return ::fstat(state(dev)->fd, buffer);
}

int deviceIoctl(struct ntfs_device *, unsigned long, void *)
{
    errno = ENOTTY; // a file, not a block device
    return -1;
}

struct ntfs_device_operations g_deviceOperations = {
    deviceOpen,
    deviceClose,
    deviceSeek,
    deviceRead,
    deviceWrite,
    devicePread,
    devicePwrite,
    deviceSync,
    deviceStat,
    deviceIoctl,
};

// libntfs-3g prints to stderr by default; send its lines to our log category instead.
__attribute__((format(printf, 6, 0))) int logHandler(
    const char *function, const char *, int, u32 level, void *, const char *format, va_list args)
{
    char line[1024];
    const int n = vsnprintf(line, sizeof line, format, args);
    const QString text = QString::fromLocal8Bit(line).trimmed();
    if (level & (NTFS_LOG_LEVEL_ERROR | NTFS_LOG_LEVEL_PERROR | NTFS_LOG_LEVEL_CRITICAL))
        qCInfo(lcNtfs).noquote() << function << text;
    else
        qCDebug(lcNtfs).noquote() << function << text;
    return n;
}

void installLogHandler()
{
    static std::once_flag once;
    std::call_once(once, [] { ntfs_log_set_handler(logHandler); });
}

QStringList splitPath(const QString &path)
{
    QString p = path;
    p.replace(QLatin1Char('\\'), QLatin1Char('/'));
    return p.split(QLatin1Char('/'), Qt::SkipEmptyParts);
}

QString joinPath(const QStringList &parts)
{
    return QLatin1Char('/') + parts.join(QLatin1Char('/'));
}

// QString's UTF-16 is NTFS's on little-endian hosts (x86, arm64: all PEcast builds for).
const ntfschar *ucs(const QString &name)
{
    return reinterpret_cast<const ntfschar *>(name.utf16());
}

struct InodeCloser
{
    void operator()(ntfs_inode *ni) const
    {
        if (ni)
            ntfs_inode_close(ni);
    }
};
using Inode = std::unique_ptr<ntfs_inode, InodeCloser>;

struct AttrCloser
{
    void operator()(ntfs_attr *na) const
    {
        if (na)
            ntfs_attr_close(na);
    }
};
using Attr = std::unique_ptr<ntfs_attr, AttrCloser>;

bool isDirectory(const ntfs_inode *ni)
{
    return ni->mrec->flags & MFT_RECORD_IS_DIRECTORY;
}

struct DirEntryName
{
    QString name;
    u64 mref;
};

int collectEntry(void *context, const ntfschar *name, const int nameLength, const int nameType,
    const s64, const MFT_REF mref, const unsigned)
{
    auto *entries = static_cast<std::vector<DirEntryName> *>(context);
    if (nameType == FILE_NAME_DOS)
        return 0; // the 8.3 alias of a long name: listed once under the long name
    if (MREF(mref) < FILE_first_user && MREF(mref) != FILE_root)
        return 0; // $MFT, $LogFile, ... metafiles
    const QString text
        = QString::fromUtf16(reinterpret_cast<const char16_t *>(name), qsizetype(nameLength));
    if (text == QLatin1String(".") || text == QLatin1String(".."))
        return 0;
    if (MREF(mref) == FILE_root)
        return 0;
    entries->push_back({ text, mref });
    return 0;
}

// Looks `name` up in `dir` as Windows does: exact index lookup first, then a case-insensitive
// scan (libntfs-3g's lookup is case-sensitive for names it did not create itself).
// Returns (u64)-1 with errno = ENOENT when there is no such entry.
u64 lookupChild(ntfs_inode *dir, const QString &name, QString *actualName = nullptr)
{
    if (actualName)
        *actualName = name;
    const u64 mref = ntfs_inode_lookup_by_name(dir, ucs(name), int(name.size()));
    if (mref != u64(-1) || errno != ENOENT)
        return mref;
    std::vector<DirEntryName> names;
    s64 position = 0;
    if (ntfs_readdir(dir, &position, &names, collectEntry) != 0)
        return u64(-1);
    for (const DirEntryName &entry : names) {
        if (entry.name.compare(name, Qt::CaseInsensitive) == 0) {
            if (actualName)
                *actualName = entry.name;
            return entry.mref;
        }
    }
    errno = ENOENT;
    return u64(-1);
}
} // namespace

Error ntfsError(int err, const QString &what)
{
    if (err == ENOSPC)
        return Error(Errc::NoSpace,
            QStringLiteral("%1: the image is too small (no space left on the NTFS volume)")
                .arg(what),
            err)
            .withHint(QStringLiteral("Use a larger --size, or --size auto."));
    return Error::fromErrno(err ? err : EIO, what);
}

namespace {

// The buffered data path: 1 MiB chunks read from `read` and written with ntfs_attr_pwrite,
// which allocates as it goes. For small files and sources that are not plain files.
Status writeBuffered(ntfs_attr *na, qint64 size, const NtfsVolume::ReadChunk &read,
    Progress &progress, const QString &display)
{
    std::vector<char> buffer(size_t(qMin(kChunk, qMax<qint64>(size, 1))));
    qint64 written = 0;
    while (written < size) {
        if (auto s = progress.check(); !s)
            return s;
        const qint64 want = qMin(kChunk, size - written);
        qint64 got = 0;
        while (got < want) {
            const qint64 n = read(buffer.data() + got, want - got);
            if (n < 0)
                return Error(
                    Errc::Io, QStringLiteral("reading the source of %1 failed").arg(display));
            if (n == 0)
                return Error(Errc::Io,
                    QStringLiteral("the source of %1 ended after %2 of %3 bytes")
                        .arg(display)
                        .arg(written + got)
                        .arg(size));
            got += n;
        }
        qint64 put = 0;
        while (put < got) {
            const s64 n = ntfs_attr_pwrite(na, written + put, got - put, buffer.data() + put);
            if (n <= 0)
                return ntfsError(n < 0 ? errno : ENOSPC,
                    QStringLiteral("writing %1 (%2 MiB)")
                        .arg(display)
                        .arg((size + 1024 * 1024 - 1) / (1024 * 1024)));
            put += n;
        }
        written += put;
        progress.update(written);
    }
    return {};
}

} // namespace

struct NtfsVolume::Impl
{
    UniqueFd fd;
    DeviceState device;
    ntfs_volume *volume = nullptr;
    bool readOnly = true;

    ~Impl()
    {
        if (volume) {
            qCWarning(lcDisk) << "NtfsVolume destroyed without close(); unmounting";
            ntfs_umount(volume, FALSE);
        }
    }

    Inode root() const { return Inode(ntfs_inode_open(volume, FILE_root)); }

    // Opens the inode at `parts` (empty: the root). errno is set on failure.
    Inode lookup(const QStringList &parts) const
    {
        Inode current = root();
        for (const QString &name : parts) {
            if (!current)
                return {};
            const u64 mref = lookupChild(current.get(), name);
            if (mref == u64(-1))
                return {};
            current.reset(ntfs_inode_open(volume, mref));
        }
        return current;
    }

    // Opens (creating as needed) the directory at `parts`.
    Result<Inode> ensureDirectory(const QStringList &parts)
    {
        Inode current = root();
        if (!current)
            return ntfsError(errno, QStringLiteral("opening the root directory"));
        QStringList done;
        for (const QString &name : parts) {
            done.append(name);
            if (name.size() > kMaxNameLength)
                return Error(Errc::InvalidInput,
                    QStringLiteral("the name %1 is longer than 255 characters").arg(name));
            const u64 mref = lookupChild(current.get(), name);
            Inode next;
            if (mref == u64(-1)) {
                if (errno != ENOENT)
                    return ntfsError(errno, QStringLiteral("looking up %1").arg(joinPath(done)));
                next.reset(ntfs_create(
                    current.get(), const_cpu_to_le32(0), ucs(name), u8(name.size()), S_IFDIR));
                if (!next)
                    return ntfsError(
                        errno, QStringLiteral("creating directory %1").arg(joinPath(done)));
            } else {
                next.reset(ntfs_inode_open(volume, mref));
                if (!next)
                    return ntfsError(errno, QStringLiteral("opening %1").arg(joinPath(done)));
                if (!isDirectory(next.get()))
                    return Error(Errc::Exists,
                        QStringLiteral("%1 exists and is not a directory").arg(joinPath(done)));
            }
            current = std::move(next);
        }
        return current;
    }

    // Deletes `name` in the directory `parts`; ntfs_delete closes both inodes in any case.
    Status removeEntry(const QStringList &parts)
    {
        const QString path = joinPath(parts);
        Inode dir = lookup(parts.mid(0, parts.size() - 1));
        if (!dir)
            return ntfsError(errno, QStringLiteral("opening the directory of %1").arg(path));
        QString name; // as stored, which ntfs_delete needs (the lookup ignores case)
        const u64 mref = lookupChild(dir.get(), parts.last(), &name);
        if (mref == u64(-1))
            return ntfsError(errno, QStringLiteral("looking up %1").arg(path));
        ntfs_inode *ni = ntfs_inode_open(volume, mref);
        if (!ni)
            return ntfsError(errno, QStringLiteral("opening %1").arg(path));
        const QByteArray utf8 = path.toUtf8();
        if (ntfs_delete(volume, utf8.constData(), ni, dir.release(), ucs(name), u8(name.size()))
            != 0)
            return ntfsError(errno, QStringLiteral("deleting %1").arg(path));
        return {};
    }

    Status listInto(const QStringList &parts, QList<NtfsEntry> &out) const;

    // Every file write: checks, refuses or removes an existing entry, creates the parent
    // directories and the empty file, lets `fill` write the data, closes the inode (which writes
    // its MFT record). On failure or cancel the partial file is removed.
    using Fill = std::function<Status(ntfs_attr *na, const QString &display)>;
    Status writeData(
        const QString &path, qint64 size, bool replace, Progress &progress, const Fill &fill);
};

Status NtfsVolume::Impl::writeData(
    const QString &path, qint64 size, bool replace, Progress &progress, const Fill &fill)
{
    if (!volume)
        return Error(Errc::InvalidInput, QStringLiteral("the NTFS volume is closed"));
    if (readOnly)
        return Error(Errc::InvalidInput, QStringLiteral("the NTFS volume is open read-only"));
    const QStringList parts = splitPath(path);
    if (parts.isEmpty())
        return Error(Errc::InvalidInput, QStringLiteral("no file name in \"%1\"").arg(path));
    const QString display = joinPath(parts);
    const QString name = parts.last();
    if (name.size() > kMaxNameLength)
        return Error(Errc::InvalidInput,
            QStringLiteral("the name %1 is longer than 255 characters").arg(name));
    progress.beginStage(QStringLiteral("Writing %1").arg(display), size);
    if (auto s = progress.check(); !s)
        return s;

    // An existing entry is refused or removed first.
    if (lookup(parts)) {
        if (!replace)
            return Error(
                Errc::Exists, QStringLiteral("%1 already exists in the image").arg(display));
        if (auto s = removeEntry(parts); !s)
            return s;
    }

    auto dir = ensureDirectory(parts.mid(0, parts.size() - 1));
    if (!dir)
        return std::move(dir).error().context(QStringLiteral("writing %1").arg(display));
    Inode ni(ntfs_create(dir->get(), const_cpu_to_le32(0), ucs(name), u8(name.size()), S_IFREG));
    if (!ni)
        return ntfsError(errno, QStringLiteral("creating %1").arg(display));
    dir->reset();
    Status result;
    {
        Attr na(ntfs_attr_open(ni.get(), AT_DATA, AT_UNNAMED, 0));
        result = na ? fill(na.get(), display)
                    : ntfsError(errno, QStringLiteral("opening the data of %1").arg(display));
    }
    if (ntfs_inode_close(ni.release()) != 0 && result.ok())
        result = ntfsError(errno, QStringLiteral("closing %1").arg(display));
    if (!result.ok()) {
        // Leave no partial file behind.
        if (auto s = removeEntry(parts); !s)
            qCWarning(lcDisk) << "could not remove partial" << display << s.error().toString();
        return result;
    }
    return {};
}

Status NtfsVolume::Impl::listInto(const QStringList &parts, QList<NtfsEntry> &out) const
{
    std::vector<DirEntryName> names;
    {
        Inode dir = lookup(parts);
        if (!dir)
            return ntfsError(errno, QStringLiteral("opening %1").arg(joinPath(parts)));
        s64 position = 0;
        if (ntfs_readdir(dir.get(), &position, &names, collectEntry) != 0)
            return ntfsError(errno, QStringLiteral("reading directory %1").arg(joinPath(parts)));
    }
    std::sort(names.begin(), names.end(), [](const DirEntryName &a, const DirEntryName &b) {
        return a.name.compare(b.name, Qt::CaseInsensitive) < 0;
    });
    for (const DirEntryName &entry : names) {
        QStringList childParts = parts;
        childParts.append(entry.name);
        NtfsEntry item;
        item.path = joinPath(childParts);
        bool directory = false;
        {
            Inode ni(ntfs_inode_open(volume, entry.mref));
            if (!ni)
                return ntfsError(errno, QStringLiteral("opening %1").arg(item.path));
            directory = isDirectory(ni.get());
            item.directory = directory;
            item.attributes = quint32(le32_to_cpu(ni->flags)) & 0xFFFF;
            if (!directory) {
                Attr na(ntfs_attr_open(ni.get(), AT_DATA, AT_UNNAMED, 0));
                item.size = na ? na->data_size : 0;
            }
        }
        out.append(item);
        if (directory) {
            if (auto s = listInto(childParts, out); !s)
                return s;
        }
    }
    return {};
}

NtfsVolume::NtfsVolume(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{ }

NtfsVolume::NtfsVolume(NtfsVolume &&other) noexcept = default;
NtfsVolume &NtfsVolume::operator=(NtfsVolume &&other) noexcept = default;
NtfsVolume::~NtfsVolume() = default;

Result<NtfsVolume> NtfsVolume::open(int fd, qint64 offset, Mode mode)
{
    installLogHandler();
    const int flags = (mode == Mode::ReadOnly ? O_RDONLY : O_RDWR) | O_CLOEXEC;
    // Reopen through /proc to get our own file description with the right access mode; fall
    // back to dup() when /proc is not there.
    int own = ::open(QByteArray("/proc/self/fd/" + QByteArray::number(fd)).constData(), flags);
    if (own < 0)
        own = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (own < 0)
        return Error::fromErrno(errno, QStringLiteral("opening the image for NTFS access"));
    auto impl = std::make_unique<Impl>();
    impl->fd = UniqueFd(own);
    impl->device.fd = own;
    impl->device.offset = offset;
    impl->readOnly = mode == Mode::ReadOnly;

    struct ntfs_device *dev = ntfs_device_alloc(
        "pecast-image", 0, &g_deviceOperations, static_cast<void *>(&impl->device));
    if (!dev)
        return Error::fromErrno(errno, QStringLiteral("allocating an NTFS device"));
    const ntfs_mount_flags mountFlags = mode == Mode::ReadOnly ? NTFS_MNT_RDONLY : NTFS_MNT_NONE;
    impl->volume = ntfs_device_mount(dev, mountFlags);
    if (!impl->volume) {
        const int err = errno;
        ntfs_device_free(dev);
        return Error(Errc::BadFormat,
            QStringLiteral("no readable NTFS volume at byte offset %1 (%2)")
                .arg(offset)
                .arg(QString::fromLocal8Bit(strerror(err))),
            err);
    }
    if (ntfs_volume_get_free_space(impl->volume) != 0)
        qCWarning(lcDisk) << "could not compute NTFS free space";
    return NtfsVolume(std::move(impl));
}

Result<NtfsVolume> NtfsVolume::open(const QString &imagePath, qint64 offset, Mode mode)
{
    const int flags = (mode == Mode::ReadOnly ? O_RDONLY : O_RDWR) | O_CLOEXEC;
    UniqueFd fd(::open(QFile::encodeName(imagePath).constData(), flags));
    if (!fd.valid())
        return Error::fromErrno(errno, QStringLiteral("opening %1").arg(imagePath));
    auto volume = open(fd.get(), offset, mode);
    if (!volume)
        return std::move(volume).error().context(imagePath);
    return volume;
}

bool NtfsVolume::isOpen() const
{
    return m_impl && m_impl->volume;
}

Status NtfsVolume::makeDirectories(const QString &path)
{
    if (!isOpen())
        return Error(Errc::InvalidInput, QStringLiteral("the NTFS volume is closed"));
    auto dir = m_impl->ensureDirectory(splitPath(path));
    if (!dir)
        return std::move(dir).error();
    return {};
}

Status NtfsVolume::writeFile(
    const QString &path, qint64 size, const ReadChunk &read, Progress &progress, bool replace)
{
    return m_impl->writeData(
        path, size, replace, progress, [&](ntfs_attr *na, const QString &display) {
            return writeBuffered(na, size, read, progress, display);
        });
}

Status NtfsVolume::writeFile(
    const QString &path, const QString &sourceFile, Progress &progress, bool replace)
{
    QFile file(sourceFile);
    if (!file.open(QIODevice::ReadOnly))
        return Error(
            file.error() == QFileDevice::OpenError && !file.exists() ? Errc::NotFound : Errc::Io,
            QStringLiteral("opening %1: %2").arg(sourceFile, file.errorString()));
    const qint64 size = file.size();
    if (size < kDirectMinBytes)
        return writeFile(path, file, size, progress, replace);
    return m_impl->writeData(
        path, size, replace, progress, [&](ntfs_attr *na, const QString &display) -> Status {
            if (canWriteDirect(na))
                return writeDirect(na, file.handle(), size, m_impl->fd.get(), m_impl->device.offset,
                    progress, display);
            return writeBuffered(
                na, size,
                [&file](char *buffer, qint64 maxBytes) { return file.read(buffer, maxBytes); },
                progress, display);
        });
}

Status NtfsVolume::writeFile(
    const QString &path, QIODevice &source, qint64 size, Progress &progress, bool replace)
{
    return writeFile(
        path, size,
        [&source](char *buffer, qint64 maxBytes) { return source.read(buffer, maxBytes); },
        progress, replace);
}

Status NtfsVolume::writeFile(const QString &path, const QByteArray &data, bool replace)
{
    Progress progress;
    qint64 at = 0;
    return writeFile(
        path, data.size(),
        [&](char *buffer, qint64 maxBytes) {
            const qint64 n = qMin(maxBytes, data.size() - at);
            memcpy(buffer, data.constData() + at, size_t(n));
            at += n;
            return n;
        },
        progress, replace);
}

Status NtfsVolume::setAttributes(const QString &path, quint32 attributes)
{
    if (!isOpen())
        return Error(Errc::InvalidInput, QStringLiteral("the NTFS volume is closed"));
    const QStringList parts = splitPath(path);
    Inode ni = m_impl->lookup(parts);
    if (!ni)
        return ntfsError(errno, QStringLiteral("opening %1").arg(joinPath(parts)));
    const quint32 current = le32_to_cpu(ni->flags);
    const quint32 wanted = (current & ~kSettableAttributes) | (attributes & kSettableAttributes);
    ni->flags = static_cast<FILE_ATTR_FLAGS>(cpu_to_le32(wanted));
    NInoFileNameSetDirty(ni.get()); // the directory index keeps a copy of the flags
    ntfs_inode_mark_dirty(ni.get());
    if (ntfs_inode_close(ni.release()) != 0)
        return ntfsError(errno, QStringLiteral("setting attributes of %1").arg(joinPath(parts)));
    return {};
}

Result<NtfsEntry> NtfsVolume::stat(const QString &path) const
{
    if (!isOpen())
        return Error(Errc::InvalidInput, QStringLiteral("the NTFS volume is closed"));
    const QStringList parts = splitPath(path);
    Inode ni = m_impl->lookup(parts);
    if (!ni) {
        if (errno == ENOENT)
            return Error(
                Errc::NotFound, QStringLiteral("%1 is not in the image").arg(joinPath(parts)));
        return ntfsError(errno, QStringLiteral("opening %1").arg(joinPath(parts)));
    }
    NtfsEntry entry;
    entry.path = joinPath(parts);
    entry.directory = isDirectory(ni.get());
    entry.attributes = quint32(le32_to_cpu(ni->flags)) & 0xFFFF;
    if (!entry.directory) {
        Attr na(ntfs_attr_open(ni.get(), AT_DATA, AT_UNNAMED, 0));
        entry.size = na ? na->data_size : 0;
    }
    return entry;
}

bool NtfsVolume::exists(const QString &path) const
{
    return isOpen() && bool(m_impl->lookup(splitPath(path)));
}

Result<QList<NtfsEntry>> NtfsVolume::list(const QString &directory) const
{
    if (!isOpen())
        return Error(Errc::InvalidInput, QStringLiteral("the NTFS volume is closed"));
    QList<NtfsEntry> entries;
    if (auto s = m_impl->listInto(splitPath(directory), entries); !s)
        return std::move(s).error();
    return entries;
}

Result<QByteArray> NtfsVolume::readFile(const QString &path, qint64 maxBytes) const
{
    auto entry = stat(path);
    if (!entry)
        return std::move(entry).error();
    if (entry->directory)
        return Error(Errc::InvalidInput, QStringLiteral("%1 is a directory").arg(entry->path));
    if (entry->size > maxBytes)
        return Error(Errc::Unsupported,
            QStringLiteral("%1 is %2 bytes, more than the %3 this reads at once")
                .arg(entry->path)
                .arg(entry->size)
                .arg(maxBytes));
    QByteArray data;
    data.reserve(entry->size);
    Progress progress;
    auto s = readFile(
        path,
        [&data](const char *chunk, qint64 n) {
            data.append(chunk, n);
            return true;
        },
        progress);
    if (!s)
        return std::move(s).error();
    return data;
}

Status NtfsVolume::readFile(const QString &path,
    const std::function<bool(const char *, qint64)> &write, Progress &progress) const
{
    if (!isOpen())
        return Error(Errc::InvalidInput, QStringLiteral("the NTFS volume is closed"));
    const QStringList parts = splitPath(path);
    const QString display = joinPath(parts);
    Inode ni = m_impl->lookup(parts);
    if (!ni) {
        if (errno == ENOENT)
            return Error(Errc::NotFound, QStringLiteral("%1 is not in the image").arg(display));
        return ntfsError(errno, QStringLiteral("opening %1").arg(display));
    }
    Attr na(ntfs_attr_open(ni.get(), AT_DATA, AT_UNNAMED, 0));
    if (!na)
        return ntfsError(errno, QStringLiteral("opening the data of %1").arg(display));
    const qint64 size = na->data_size;
    progress.beginStage(QStringLiteral("Reading %1").arg(display), size);
    std::vector<char> buffer(kChunk);
    qint64 done = 0;
    while (done < size) {
        if (auto s = progress.check(); !s)
            return s;
        const s64 n = ntfs_attr_pread(na.get(), done, qMin(kChunk, size - done), buffer.data());
        if (n <= 0)
            return ntfsError(n < 0 ? errno : EIO, QStringLiteral("reading %1").arg(display));
        if (!write(buffer.data(), n))
            return Error(Errc::Io, QStringLiteral("storing the contents of %1").arg(display));
        done += n;
        progress.update(done);
    }
    return {};
}

Status NtfsVolume::remove(const QString &path)
{
    if (!isOpen())
        return Error(Errc::InvalidInput, QStringLiteral("the NTFS volume is closed"));
    const QStringList parts = splitPath(path);
    if (parts.isEmpty())
        return Error(Errc::InvalidInput, QStringLiteral("cannot remove the root directory"));
    return m_impl->removeEntry(parts);
}

qint64 NtfsVolume::freeBytes() const
{
    if (!isOpen())
        return 0;
    return qint64(m_impl->volume->free_clusters) * m_impl->volume->cluster_size;
}

qint64 NtfsVolume::totalBytes() const
{
    if (!isOpen())
        return 0;
    return qint64(m_impl->volume->nr_clusters) * m_impl->volume->cluster_size;
}

qint64 NtfsVolume::clusterSize() const
{
    return isOpen() ? m_impl->volume->cluster_size : 0;
}

QString NtfsVolume::label() const
{
    if (!isOpen() || !m_impl->volume->vol_name)
        return {};
    return QString::fromUtf8(m_impl->volume->vol_name);
}

Status NtfsVolume::close(Sync sync)
{
    if (!isOpen())
        return {};
    ntfs_volume *volume = std::exchange(m_impl->volume, nullptr);
    const bool fsync = !m_impl->readOnly && sync == Sync::Durable;
    m_impl->device.fsyncOnSync = fsync;
    Status result;
    if (ntfs_umount(volume, FALSE) != 0)
        result = ntfsError(errno, QStringLiteral("closing the NTFS volume"));
    if (fsync && ::fsync(m_impl->fd.get()) != 0 && result.ok())
        result = Error::fromErrno(errno, QStringLiteral("syncing the image"));
    m_impl->fd.reset();
    return result;
}

} // namespace pecast::disk
