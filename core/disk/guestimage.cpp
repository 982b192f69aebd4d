#include "disk/guestimage.h"

#include "disk/logging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>

#include <guestfs.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <future>
#include <mutex>
#include <stop_token>
#include <thread>

namespace pecast::disk {

namespace {

// How often a waiting launch looks at the clock and at cancellation.
constexpr auto kLaunchPoll = std::chrono::milliseconds(200);
// How much of the appliance's console a failed launch keeps for its error message.
constexpr qsizetype kConsoleTailBytes = 2048;

// Set once a KVM launch hung or failed in this process: later launches go straight to TCG
// instead of waiting for KVM again (the wizard may open several images in one session).
std::atomic<bool> g_kvmBroken { false };

struct StringList
{
    char **items = nullptr;
    ~StringList()
    {
        if (!items)
            return;
        for (char **p = items; *p; ++p)
            free(*p);
        free(items);
    }
    QStringList toList() const
    {
        QStringList out;
        for (char **p = items; p && *p; ++p)
            out << QString::fromUtf8(*p);
        return out;
    }
};

QString takeString(char *s)
{
    QString out = QString::fromUtf8(s);
    free(s);
    return out;
}

// The qemu processes that are children of this process (libguestfs' direct backend forks the
// appliance itself), by pid.
QSet<pid_t> qemuChildren()
{
    QSet<pid_t> found;
    const pid_t self = ::getpid();
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
    for (const QString &entry : entries) {
        bool isPid = false;
        const pid_t pid = pid_t(entry.toInt(&isPid));
        if (!isPid)
            continue;
        QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray line = stat.readAll();
        const qsizetype open = line.indexOf('(');
        const qsizetype close = line.lastIndexOf(')');
        if (open < 0 || close < open)
            continue;
        const QByteArray comm = line.mid(open + 1, close - open - 1);
        const QList<QByteArray> rest = line.mid(close + 2).split(' ');
        if (rest.size() > 1 && rest.at(1).toInt() == self && comm.startsWith("qemu"))
            found.insert(pid);
    }
    return found;
}

bool forcesTcg(guestfs_h *g)
{
    StringList settings { guestfs_get_backend_settings(g) };
    return settings.toList().contains(QStringLiteral("force_tcg"));
}

void onGuestfsEvent(guestfs_h *, void *opaque, uint64_t event, int, int, const char *, size_t,
    const uint64_t *array, size_t arrayLength)
{
    // opaque is &Impl::progress: the caller's Progress during a transfer, null otherwise.
    Progress *progress = opaque ? *static_cast<Progress **>(opaque) : nullptr;
    if (!progress || event != GUESTFS_EVENT_PROGRESS || arrayLength < 4)
        return;
    progress->setTotal(qint64(array[3]));
    progress->update(qint64(array[2]));
}

// The appliance's console during a launch (libguestfs' verbose messages, which an event
// callback receives instead of stderr): whether the appliance kernel has started, and the
// last lines, for the error message of a launch that fails.
struct LaunchConsole
{
    std::mutex mutex;
    QByteArray tail;
    std::atomic<bool> kernelStarted { false };

    void append(const char *buf, size_t len)
    {
        const std::lock_guard lock(mutex);
        tail.append(buf, qsizetype(len));
        if (!kernelStarted && tail.contains("Linux version"))
            kernelStarted = true;
        if (tail.size() > 4 * kConsoleTailBytes)
            tail = tail.right(kConsoleTailBytes);
    }
    QString lastLines()
    {
        const std::lock_guard lock(mutex);
        QByteArray text;
        for (char c : tail.right(kConsoleTailBytes)) // drop the console's escape sequences
            if (c == '\n' || (c >= ' ' && c < 0x7f))
                text.append(c);
        const QList<QByteArray> lines = text.trimmed().split('\n');
        return QString::fromUtf8(lines.mid(qMax(0, int(lines.size()) - 6)).join('\n'));
    }
};

void onConsoleEvent(guestfs_h *, void *opaque, uint64_t, int, int, const char *buf, size_t len,
    const uint64_t *, size_t)
{
    static_cast<LaunchConsole *>(opaque)->append(buf, len);
}

} // namespace

struct GuestImage::Impl
{
    guestfs_h *g = nullptr;
    QString notice;
    Progress *progress = nullptr; // the caller's, during one call

    ~Impl()
    {
        if (g) {
            qCWarning(lcDisk) << "GuestImage: closing without close()";
            guestfs_close(g);
        }
    }

    Error error(const QString &what) const
    {
        const int err = guestfs_last_errno(g);
        const char *text = guestfs_last_error(g);
        Errc code = Errc::Library;
        if (err == EINTR || err == ECANCELED)
            code = Errc::Cancelled;
        else if (err == ENOSPC || err == EFBIG)
            code = Errc::NoSpace;
        else if (err == ENOENT)
            code = Errc::NotFound;
        else if (err == EIO || err == EROFS || err == EACCES || err == EPERM)
            code = Errc::Io;
        return Error(code,
            QStringLiteral("%1: %2").arg(
                what, text ? QString::fromUtf8(text) : QStringLiteral("libguestfs failed")),
            err);
    }

    // Runs one transfer with progress and cancel wired to the caller's Progress.
    template <typename F>
    int transfer(Progress &p, F &&call)
    {
        progress = &p;
        std::stop_callback onStop(p.stopToken(), [this] { guestfs_user_cancel(g); });
        const int rc = call();
        progress = nullptr;
        return rc;
    }
};

GuestImage::GuestImage(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{ }

GuestImage::GuestImage(GuestImage &&other) noexcept = default;
GuestImage &GuestImage::operator=(GuestImage &&other) noexcept = default;
GuestImage::~GuestImage() = default;

QString GuestImage::formatFor(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("qcow2") || suffix == QLatin1String("qcow"))
        return QStringLiteral("qcow2");
    if (suffix == QLatin1String("vhd"))
        return QStringLiteral("vpc");
    if (suffix == QLatin1String("vhdx"))
        return QStringLiteral("vhdx");
    if (suffix == QLatin1String("vmdk"))
        return QStringLiteral("vmdk");
    return QStringLiteral("raw");
}

Result<GuestImage> GuestImage::launch(const QList<Drive> &drives, Progress &progress)
{
    return launch(drives, progress, LaunchOptions {});
}

Result<GuestImage> GuestImage::launch(
    const QList<Drive> &drives, Progress &progress, const LaunchOptions &options)
{
    QString notice;
    bool tcg = g_kvmBroken.load();
    if (tcg)
        notice = QStringLiteral("KVM did not work for the libguestfs appliance earlier in this "
                                "session; using TCG (slower).");
    for (int attempt = 0; attempt < 2; ++attempt) {
        auto impl = std::make_unique<Impl>();
        impl->g = guestfs_create();
        if (!impl->g)
            return Error(Errc::Library, QStringLiteral("cannot create a libguestfs handle"));
        guestfs_set_error_handler(impl->g, nullptr, nullptr);
        guestfs_set_event_callback(
            impl->g, onGuestfsEvent, GUESTFS_EVENT_PROGRESS, 0, &impl->progress);
        // Verbose, with the messages going to this callback rather than stderr: the only way
        // to see whether the appliance's kernel has started.
        LaunchConsole console;
        const int consoleHandle = guestfs_set_event_callback(impl->g, onConsoleEvent,
            GUESTFS_EVENT_APPLIANCE | GUESTFS_EVENT_LIBRARY | GUESTFS_EVENT_WARNING, 0, &console);
        guestfs_set_verbose(impl->g, 1);
        if (tcg) {
            const char *settings[] = { "force_tcg", nullptr };
            guestfs_set_backend_settings(impl->g, const_cast<char *const *>(settings));
        }
        tcg = tcg || forcesTcg(impl->g) || ::access("/dev/kvm", R_OK | W_OK) != 0;
        for (const Drive &drive : drives) {
            const QByteArray path = QFile::encodeName(drive.path);
            const QByteArray format
                = (drive.format.isEmpty() ? formatFor(drive.path) : drive.format).toUtf8();
            if (guestfs_add_drive_opts(impl->g, path.constData(), GUESTFS_ADD_DRIVE_OPTS_FORMAT,
                    format.constData(), GUESTFS_ADD_DRIVE_OPTS_READONLY, drive.readOnly ? 1 : 0, -1)
                != 0)
                return impl->error(QStringLiteral("adding %1").arg(drive.path));
        }

        progress.beginStage(tcg ? QStringLiteral("Starting the libguestfs appliance (TCG)")
                                : QStringLiteral("Starting the libguestfs appliance"));
        const QSet<pid_t> before = qemuChildren();
        guestfs_h *g = impl->g;
        auto launched = std::async(std::launch::async, [g] { return guestfs_launch(g); });
        const auto started = std::chrono::steady_clock::now();
        const auto limit
            = std::chrono::seconds(tcg ? options.tcgTimeoutSeconds : options.kvmTimeoutSeconds);
        const auto kernelLimit = std::chrono::seconds(options.kvmKernelTimeoutSeconds);
        bool timedOut = false;
        bool cancelled = false;
        while (launched.wait_for(kLaunchPoll) != std::future_status::ready) {
            const auto elapsed = std::chrono::steady_clock::now() - started;
            cancelled = progress.cancelled();
            timedOut
                = elapsed >= limit || (!tcg && !console.kernelStarted && elapsed >= kernelLimit);
            if (cancelled || timedOut) {
                // guestfs_launch holds the handle's lock: stop it by killing its qemu.
                for (pid_t pid : qemuChildren() - before)
                    ::kill(pid, SIGKILL);
                launched.wait();
                break;
            }
        }
        const int rc = launched.get();
        guestfs_set_verbose(impl->g, 0);
        guestfs_delete_event_callback(impl->g, consoleHandle);
        if (cancelled)
            return cancelledError();
        if (rc == 0 && !timedOut) {
            impl->notice = notice;
            return GuestImage(std::move(impl));
        }
        if (!tcg) {
            // KVM hangs or fails with emulation errors on some machines (nested virtualization):
            // start again with software emulation and tell the user.
            notice = timedOut
                ? QStringLiteral("The libguestfs appliance did not start under KVM (no kernel "
                                 "output within %1 s); started it again with TCG (slower).")
                      .arg(console.kernelStarted ? options.kvmTimeoutSeconds
                                                 : options.kvmKernelTimeoutSeconds)
                : QStringLiteral("The libguestfs appliance failed under KVM (%1); started it "
                                 "again with TCG (slower).")
                      .arg(impl->error(QStringLiteral("launch")).message());
            qCWarning(lcDisk).noquote() << "GuestImage:" << notice;
            g_kvmBroken = true;
            tcg = true;
            continue;
        }
        const QString lastOutput = console.lastLines();
        const QString seen = lastOutput.isEmpty()
            ? QString()
            : QStringLiteral("; the appliance's last output:\n%1").arg(lastOutput);
        if (timedOut)
            return Error(Errc::Library,
                QStringLiteral("the libguestfs appliance did not start within %1 s%2")
                    .arg(options.tcgTimeoutSeconds)
                    .arg(seen))
                .withHint(QStringLiteral("Run libguestfs-test-tool to see why."));
        Error failed = impl->error(QStringLiteral("starting the libguestfs appliance"));
        return Error(failed.code(), failed.message() + seen, failed.nativeCode())
            .withHint(QStringLiteral("Run libguestfs-test-tool to see why; it needs supermin "
                                     "and a kernel (linux-image-amd64)."));
    }
    return Error(Errc::Library, QStringLiteral("the libguestfs appliance did not start"));
}

QString GuestImage::notice() const
{
    return m_impl->notice;
}

Result<QStringList> GuestImage::devices()
{
    StringList list { guestfs_list_devices(m_impl->g) };
    if (!list.items)
        return m_impl->error(QStringLiteral("listing disks"));
    return list.toList();
}

Result<QStringList> GuestImage::partitions()
{
    StringList list { guestfs_list_partitions(m_impl->g) };
    if (!list.items)
        return m_impl->error(QStringLiteral("listing partitions"));
    return list.toList();
}

Result<QString> GuestImage::filesystemType(const QString &device)
{
    const QByteArray dev = device.toUtf8();
    char *type = guestfs_vfs_type(m_impl->g, dev.constData());
    if (!type)
        return QString(); // no recognizable file system
    return takeString(type);
}

Result<int> GuestImage::partitionNumber(const QString &device)
{
    const QByteArray dev = device.toUtf8();
    const int n = guestfs_part_to_partnum(m_impl->g, dev.constData());
    if (n < 0)
        return m_impl->error(QStringLiteral("finding the number of %1").arg(device));
    return n;
}

namespace {
Result<guestfs_partition> partitionEntry(GuestImage::Impl &impl, const QString &device)
{
    const QByteArray dev = device.toUtf8();
    const int n = guestfs_part_to_partnum(impl.g, dev.constData());
    char *parent = guestfs_part_to_dev(impl.g, dev.constData());
    if (n < 0 || !parent)
        return impl.error(QStringLiteral("reading the partition table for %1").arg(device));
    guestfs_partition_list *list = guestfs_part_list(impl.g, parent);
    free(parent);
    if (!list)
        return impl.error(QStringLiteral("reading the partition table for %1").arg(device));
    std::optional<guestfs_partition> found;
    for (uint32_t i = 0; i < list->len; ++i) {
        if (int(list->val[i].part_num) == n)
            found = list->val[i];
    }
    guestfs_free_partition_list(list);
    if (!found)
        return Error(
            Errc::NotFound, QStringLiteral("%1 is not in the partition table").arg(device));
    return *found;
}
} // namespace

Result<qint64> GuestImage::partitionStart(const QString &device)
{
    auto entry = partitionEntry(*m_impl, device);
    if (!entry)
        return std::move(entry).error();
    return qint64(entry->part_start);
}

Result<qint64> GuestImage::partitionSize(const QString &device)
{
    auto entry = partitionEntry(*m_impl, device);
    if (!entry)
        return std::move(entry).error();
    return qint64(entry->part_size);
}

Status GuestImage::mount(const QString &device, bool readOnly, const QString &fsType)
{
    const QByteArray dev = device.toUtf8();
    const QByteArray type = fsType.toUtf8();
    const QByteArray opts = readOnly ? QByteArray("ro") : QByteArray();
    const int rc = fsType.isEmpty()
        ? (readOnly ? guestfs_mount_ro(m_impl->g, dev.constData(), "/")
                    : guestfs_mount(m_impl->g, dev.constData(), "/"))
        : guestfs_mount_vfs(m_impl->g, opts.constData(), type.constData(), dev.constData(), "/");
    if (rc != 0)
        return m_impl->error(QStringLiteral("mounting %1").arg(device));
    return {};
}

Status GuestImage::unmountAll()
{
    if (guestfs_umount_all(m_impl->g) != 0)
        return m_impl->error(QStringLiteral("unmounting"));
    return {};
}

Result<QString> GuestImage::resolvePath(const QString &path)
{
    QString p = path;
    p.replace(QLatin1Char('\\'), QLatin1Char('/'));
    if (!p.startsWith(QLatin1Char('/')))
        p.prepend(QLatin1Char('/'));
    const QByteArray bytes = p.toUtf8();
    char *real = guestfs_case_sensitive_path(m_impl->g, bytes.constData());
    if (!real)
        return m_impl->error(QStringLiteral("looking up %1").arg(path));
    const QString resolved = takeString(real);
    const QByteArray r = resolved.toUtf8();
    if (guestfs_exists(m_impl->g, r.constData()) != 1)
        return Error(Errc::NotFound, QStringLiteral("%1 does not exist").arg(path));
    return resolved;
}

bool GuestImage::isFile(const QString &path)
{
    const QByteArray p = path.toUtf8();
    return guestfs_is_file(m_impl->g, p.constData()) == 1;
}

Result<qint64> GuestImage::fileSize(const QString &path)
{
    const QByteArray p = path.toUtf8();
    const int64_t size = guestfs_filesize(m_impl->g, p.constData());
    if (size < 0)
        return m_impl->error(QStringLiteral("reading the size of %1").arg(path));
    return qint64(size);
}

Result<QStringList> GuestImage::listFiles(const QString &directory)
{
    const QByteArray d = directory.toUtf8();
    StringList list { guestfs_find(m_impl->g, d.constData()) };
    if (!list.items)
        return m_impl->error(QStringLiteral("listing %1").arg(directory));
    return list.toList();
}

Result<QByteArray> GuestImage::readFile(const QString &path)
{
    const QByteArray p = path.toUtf8();
    size_t size = 0;
    char *data = guestfs_read_file(m_impl->g, p.constData(), &size);
    if (!data)
        return m_impl->error(QStringLiteral("reading %1").arg(path));
    QByteArray out(data, qsizetype(size));
    free(data);
    return out;
}

Status GuestImage::download(const QString &path, const QString &localFile, Progress &progress)
{
    const QByteArray p = path.toUtf8();
    const QByteArray local = QFile::encodeName(localFile);
    const int rc = m_impl->transfer(
        progress, [&] { return guestfs_download(m_impl->g, p.constData(), local.constData()); });
    if (progress.cancelled())
        return cancelledError();
    if (rc != 0)
        return m_impl->error(QStringLiteral("copying %1 out of the image").arg(path));
    return {};
}

Status GuestImage::upload(const QString &localFile, const QString &path, Progress &progress)
{
    const QByteArray p = path.toUtf8();
    const QByteArray local = QFile::encodeName(localFile);
    const int rc = m_impl->transfer(
        progress, [&] { return guestfs_upload(m_impl->g, local.constData(), p.constData()); });
    if (progress.cancelled())
        return cancelledError();
    if (rc != 0)
        return m_impl->error(QStringLiteral("writing %1 into the image").arg(path));
    return {};
}

Status GuestImage::writeFile(const QString &path, const QByteArray &data)
{
    const QByteArray p = path.toUtf8();
    if (guestfs_write(m_impl->g, p.constData(), data.constData(), size_t(data.size())) != 0)
        return m_impl->error(QStringLiteral("writing %1").arg(path));
    return {};
}

Status GuestImage::remove(const QString &path)
{
    const QByteArray p = path.toUtf8();
    if (guestfs_rm(m_impl->g, p.constData()) != 0)
        return m_impl->error(QStringLiteral("deleting %1").arg(path));
    return {};
}

qint64 GuestImage::freeBytes(const QString &mountpoint)
{
    const QByteArray p = mountpoint.toUtf8();
    struct guestfs_statvfs *st = guestfs_statvfs(m_impl->g, p.constData());
    if (!st)
        return -1;
    const qint64 bytes = qint64(st->bavail) * qint64(st->frsize);
    guestfs_free_statvfs(st);
    return bytes;
}

Status GuestImage::ntfsResize(const QString &device)
{
    const QByteArray dev = device.toUtf8();
    if (guestfs_ntfsresize_opts(m_impl->g, dev.constData(), GUESTFS_NTFSRESIZE_OPTS_FORCE, 1, -1)
        != 0)
        return m_impl->error(QStringLiteral("growing the NTFS on %1").arg(device));
    // ntfsresize schedules a chkdsk (the dirty flag); the resize is complete, so clear it with
    // ntfsfix inside the appliance (libguestfs has no API call for ntfsfix -d).
    // udev reprobes the device after ntfsresize closes it and may briefly remove its node
    // ("Failed to access /dev/sda1", seen once in tests): let udev settle first.
    const QByteArray command
        = QByteArrayLiteral("udevadm settle >/dev/null 2>&1; ntfsfix -d ") + dev;
    char *args[] = { const_cast<char *>(command.constData()), nullptr };
    char *out = guestfs_debug(m_impl->g, "sh", args);
    if (!out)
        return m_impl->error(QStringLiteral("clearing the dirty flag on %1").arg(device));
    free(out);
    return {};
}

Status GuestImage::close()
{
    if (!m_impl || !m_impl->g)
        return {};
    Status result;
    if (guestfs_umount_all(m_impl->g) != 0)
        result = m_impl->error(QStringLiteral("unmounting"));
    if (guestfs_shutdown(m_impl->g) != 0 && result.ok())
        result = m_impl->error(QStringLiteral("stopping the libguestfs appliance"));
    guestfs_close(m_impl->g);
    m_impl->g = nullptr;
    return result;
}

} // namespace pecast::disk
