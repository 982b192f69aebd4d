#include "pipeline/replacewim.h"

#include "bcd/bcddump.h"
#include "bcd/bcdstore.h"
#include "bcd/winpestore.h"
#include "disk/disklayout.h"
#include "disk/guestimage.h"
#include "disk/imageedit.h"
#include "disk/ntfsvolume.h"
#include "util/atomicfile.h"
#include "util/uniquefd.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <optional>

namespace pecast::pipeline {

namespace {

// Room the new WIM needs beyond its size: cluster rounding, MFT records for a file of many
// runs on a fragmented volume, and the $LogFile activity of the write.
constexpr qint64 kFixedSlackBytes = 4 * 1024 * 1024;
constexpr qint64 kSlackDivisor = 100; // plus 1 % of the WIM
// Where \boot\BCD may be, by case: Windows' tools write "Boot", PEcast and the recipe "boot".
const char *const kBcdCandidates[] = { "/boot/BCD", "/Boot/BCD", "/BOOT/BCD", "/boot/bcd" };
const char *const kBootmgrCandidates[] = { "/bootmgr", "/BOOTMGR", "/Bootmgr" };

QString toNtfsPath(QString path)
{
    path.replace(QLatin1Char('\\'), QLatin1Char('/'));
    if (!path.startsWith(QLatin1Char('/')))
        path.prepend(QLatin1Char('/'));
    return path;
}

QString toBcdPath(QString path)
{
    path.replace(QLatin1Char('/'), QLatin1Char('\\'));
    if (!path.startsWith(QLatin1Char('\\')))
        path.prepend(QLatin1Char('\\'));
    return path;
}

QString firstExisting(const disk::NtfsVolume &volume, const char *const *candidates, int count)
{
    for (int i = 0; i < count; ++i) {
        if (volume.exists(QLatin1String(candidates[i])))
            return QLatin1String(candidates[i]);
    }
    return {};
}

// What the first look at the image found.
struct Plan
{
    disk::MbrPartition partition;
    qint64 imageBytes = 0;
    QString bcdPath; // in the volume
    QByteArray bcdBytes;
    bcd::BcdStore store;
    bcd::RamdiskBoot boot;
    QString oldWim; // NTFS path
    QString newWim; // NTFS path
    qint64 oldWimBytes = 0;
    qint64 newWimBytes = 0;
    qint64 freeBytes = 0;
    bool grow = false;
    qint64 newImageBytes = 0;
    quint32 newSectors = 0;
    std::optional<QByteArray> newBcd; // set when the WIM path changes
};

Result<Plan> planReplace(const ReplaceWimRequest &request, int fd)
{
    Plan plan;
    struct stat st
    {
    };
    if (::fstat(fd, &st) != 0)
        return Error::fromErrno(errno, QStringLiteral("reading %1").arg(request.image));
    plan.imageBytes = st.st_size;
    auto partitions = disk::readMbrPartitions(fd, request.image);
    if (!partitions)
        return std::move(partitions).error();

    QStringList tried;
    bool anyNtfs = false;
    for (const disk::MbrPartition &p : *partitions) {
        if (p.end() > plan.imageBytes) {
            tried << QStringLiteral("partition %1 ends past the end of the file").arg(p.index);
            continue;
        }
        auto volume = disk::NtfsVolume::open(fd, p.offset(), disk::NtfsVolume::Mode::ReadOnly);
        if (!volume) {
            tried << QStringLiteral("partition %1: %2").arg(p.index).arg(volume.error().message());
            continue;
        }
        anyNtfs = true;
        const QString bcdPath = firstExisting(*volume, kBcdCandidates, 4);
        const QString bootmgr = firstExisting(*volume, kBootmgrCandidates, 3);
        if (bcdPath.isEmpty() || bootmgr.isEmpty()) {
            tried << QStringLiteral("partition %1 has no %2")
                         .arg(p.index)
                         .arg(bootmgr.isEmpty() ? QStringLiteral("\\bootmgr")
                                                : QStringLiteral("\\boot\\BCD"));
            (void)volume->close();
            continue;
        }
        plan.partition = p;
        plan.bcdPath = bcdPath;
        auto bytes = volume->readFile(bcdPath);
        if (!bytes)
            return std::move(bytes).error().context(QStringLiteral("reading \\boot\\BCD"));
        plan.bcdBytes = *bytes;
        auto store = bcd::readStore(plan.bcdBytes, QStringLiteral("\\boot\\BCD"));
        if (!store)
            return std::move(store).error();
        plan.store = *store;
        auto boot = bcd::ramdiskBoot(plan.store);
        if (!boot)
            return std::move(boot).error().context(
                QStringLiteral("%1 partition %2: the BCD boots no WIM from a RAM disk")
                    .arg(request.image)
                    .arg(p.index));
        plan.boot = *boot;
        plan.oldWim = toNtfsPath(plan.boot.wimPath);
        auto old = volume->stat(plan.oldWim);
        if (!old)
            return Error(Errc::NotFound,
                QStringLiteral("the BCD boots %1, which is not on partition %2 of %3")
                    .arg(plan.boot.wimPath)
                    .arg(p.index)
                    .arg(request.image))
                .withHint(QStringLiteral("The image is broken; rebuild it with 'pecast build'."));
        plan.oldWimBytes = old->size;
        plan.freeBytes = volume->freeBytes();
        if (auto s = volume->close(); !s)
            return std::move(s).error();
        break;
    }
    if (plan.partition.index == 0) {
        if (!anyNtfs)
            return Error(Errc::NotFound,
                QStringLiteral("%1 has no NTFS partition (%2)")
                    .arg(request.image,
                        tried.isEmpty() ? QStringLiteral("no partitions")
                                        : tried.join(QStringLiteral("; "))))
                .withHint(QStringLiteral("Give a WinPE disk image made by PEcast or by the "
                                         "memdisk recipe."));
        return Error(Errc::NotFound,
            QStringLiteral("no partition of %1 holds \\bootmgr and \\boot\\BCD (%2)")
                .arg(request.image, tried.join(QStringLiteral("; "))));
    }

    plan.newWim
        = request.wimPathInImage.isEmpty() ? plan.oldWim : toNtfsPath(request.wimPathInImage);
    plan.newWimBytes = QFileInfo(request.newWim).size();
    if (plan.newWim.compare(plan.oldWim, Qt::CaseInsensitive) != 0) {
        const QString bcdWim = toBcdPath(plan.newWim);
        bcd::BcdStore store = plan.store;
        const bcd::BcdObject *loader = store.object(plan.boot.loader);
        const bcd::BcdDevice device
            = bcd::BcdDevice::ramdisk(plan.boot.parent, bcdWim, plan.boot.options);
        for (quint32 code : { bcd::Element::ApplicationDevice, bcd::Element::OsDevice }) {
            if (loader && loader->hasElement(code)) {
                if (auto s
                    = store.setElement(plan.boot.loader, bcd::BcdElement::device(code, device));
                    !s)
                    return std::move(s).error();
            }
        }
        auto bytes = bcd::writeStore(store);
        if (!bytes)
            return std::move(bytes).error();
        plan.newBcd = *bytes;
    }

    const qint64 need = plan.newWimBytes + kFixedSlackBytes + plan.newWimBytes / kSlackDivisor;
    const qint64 available = plan.freeBytes + plan.oldWimBytes;
    plan.grow = need > available;
    plan.newImageBytes = plan.imageBytes;
    plan.newSectors = plan.partition.sectors;
    if (plan.grow) {
        for (const disk::MbrPartition &p : *partitions) {
            if (p.index != plan.partition.index && p.offset() >= plan.partition.end())
                return Error(Errc::Unsupported,
                    QStringLiteral("the new WIM needs %1 MiB more, but partition %2 is not the "
                                   "last one on the disk")
                        .arg((need - available + 1048575) / 1048576)
                        .arg(plan.partition.index))
                    .withHint(QStringLiteral("Rebuild the image with 'pecast build'."));
        }
        plan.newImageBytes = disk::roundUpToCylinder(plan.imageBytes + (need - available));
        if (plan.newImageBytes > disk::kMaxDiskBytes)
            return Error(Errc::NoSpace,
                QStringLiteral("the image would grow to %1 MiB; memdisk cannot load more than "
                               "4 GiB")
                    .arg(plan.newImageBytes / 1048576));
        plan.newSectors
            = quint32((plan.newImageBytes - plan.partition.offset()) / disk::kSectorSize);
    }
    return plan;
}

// Makes sure the output's file system has room for the new image (sparse, so roughly).
Status checkOutputSpace(const QString &target, const Plan &plan)
{
    struct statvfs vfs
    {
    };
    const QByteArray dir = QFile::encodeName(QFileInfo(target).absolutePath());
    if (::statvfs(dir.constData(), &vfs) != 0)
        return {};
    const qint64 available = qint64(vfs.f_bavail) * qint64(vfs.f_frsize);
    // The copy (allocated bytes only) plus, when growing, the scratch copy of the partition.
    const qint64 need = plan.imageBytes - plan.oldWimBytes + plan.newWimBytes
        + (plan.grow ? plan.partition.bytes() : 0);
    if (available < need)
        return Error(Errc::NoSpace,
            QStringLiteral("not enough disk space in %1 for the edited image: %2 MiB free, about "
                           "%3 MiB needed")
                .arg(QFileInfo(target).absolutePath())
                .arg(available / 1048576)
                .arg(need / 1048576))
            .withHint(QStringLiteral("Free some space or write the result elsewhere (-o)."));
    return {};
}

Status writeInVolume(disk::NtfsVolume &volume, const ReplaceWimRequest &request, const Plan &plan,
    Progress &progress)
{
    if (auto s = volume.remove(plan.oldWim); !s)
        return std::move(s).error().context(QStringLiteral("removing the old WIM"));
    progress.beginStage(QStringLiteral("Writing %1").arg(toBcdPath(plan.newWim)), plan.newWimBytes);
    if (auto s = volume.writeFile(plan.newWim, request.newWim, progress, true); !s)
        return std::move(s).error().context(QStringLiteral("writing %1").arg(plan.newWim));
    if (plan.newBcd) {
        if (auto s = volume.writeFile(plan.bcdPath, *plan.newBcd, true); !s)
            return std::move(s).error().context(QStringLiteral("updating \\boot\\BCD"));
    }
    return volume.close();
}

Status editInProcess(int sourceFd, int outFd, const QString &outPath,
    const ReplaceWimRequest &request, const Plan &plan, Progress &progress, bool copyFirst)
{
    if (!plan.grow) {
        if (copyFirst) {
            progress.beginStage(QStringLiteral("Copying the image"), plan.imageBytes);
            if (auto s = disk::copySparse(sourceFd, 0, outFd, 0, plan.imageBytes, progress); !s)
                return s;
        }
        auto volume = disk::NtfsVolume::open(
            outFd, plan.partition.offset(), disk::NtfsVolume::Mode::ReadWrite);
        if (!volume)
            return std::move(volume).error();
        return writeInVolume(*volume, request, plan, progress);
    }

    // Grow: ntfsresize works on a file or a device, not at an offset, so the partition is
    // resized in a scratch file beside the output and copied back (never committed).
    auto scratch = AtomicFile::create(
        outPath + QStringLiteral(".partition"), AtomicFile::Overwrite::Replace);
    if (!scratch)
        return std::move(scratch).error();
    const qint64 newPartitionBytes = qint64(plan.newSectors) * disk::kSectorSize;
    progress.beginStage(QStringLiteral("Copying the partition"), plan.partition.bytes());
    if (auto s = disk::copySparse(
            sourceFd, plan.partition.offset(), scratch->fd(), 0, plan.partition.bytes(), progress);
        !s)
        return s;
    if (auto s = scratch->resize(newPartitionBytes); !s)
        return s;
    if (auto s = disk::growNtfsFile(scratch->tempPath(), progress); !s)
        return s;
    {
        auto volume = disk::NtfsVolume::open(scratch->fd(), 0, disk::NtfsVolume::Mode::ReadWrite);
        if (!volume)
            return std::move(volume).error().context(QStringLiteral("opening the grown NTFS"));
        if (auto s = writeInVolume(*volume, request, plan, progress); !s)
            return s;
    }
    progress.beginStage(QStringLiteral("Assembling the image"), plan.newImageBytes);
    if (auto s = disk::copySparse(sourceFd, 0, outFd, 0, plan.partition.offset(), progress); !s)
        return s;
    if (auto s = disk::setPartitionSectors(outFd, plan.partition.index, plan.newSectors); !s)
        return s;
    if (auto s = disk::copySparse(
            scratch->fd(), 0, outFd, plan.partition.offset(), newPartitionBytes, progress);
        !s)
        return s;
    if (::ftruncate(outFd, plan.newImageBytes) != 0)
        return Error::fromErrno(errno, QStringLiteral("sizing the image"));
    return {};
}

Status editWithGuestfs(int sourceFd, AtomicFile &out, const ReplaceWimRequest &request,
    const Plan &plan, Progress &progress, QString &notice)
{
    progress.beginStage(QStringLiteral("Copying the image"), plan.imageBytes);
    if (auto s = disk::copySparse(sourceFd, 0, out.fd(), 0, plan.imageBytes, progress); !s)
        return s;
    if (plan.grow) {
        if (auto s = out.resize(plan.newImageBytes); !s)
            return s;
        if (auto s = disk::setPartitionSectors(out.fd(), plan.partition.index, plan.newSectors); !s)
            return s;
    }
    if (::fsync(out.fd()) != 0)
        return Error::fromErrno(errno, QStringLiteral("syncing the copy"));
    auto guest
        = disk::GuestImage::launch({ { out.tempPath(), false, QStringLiteral("raw") } }, progress);
    if (!guest)
        return std::move(guest).error();
    notice = guest->notice();
    const QString device = QStringLiteral("/dev/sda%1").arg(plan.partition.index);
    if (plan.grow) {
        progress.beginStage(QStringLiteral("Growing the NTFS (ntfsresize)"));
        if (auto s = guest->ntfsResize(device); !s)
            return s;
    }
    if (auto s = guest->mount(device, false); !s)
        return s;
    auto oldReal = guest->resolvePath(plan.oldWim);
    if (!oldReal)
        return std::move(oldReal).error();
    if (auto s = guest->remove(*oldReal); !s)
        return s;
    progress.beginStage(QStringLiteral("Writing %1").arg(toBcdPath(plan.newWim)), plan.newWimBytes);
    if (auto s = guest->upload(request.newWim, plan.newWim, progress); !s)
        return s;
    if (plan.newBcd) {
        auto bcdReal = guest->resolvePath(plan.bcdPath);
        if (!bcdReal)
            return std::move(bcdReal).error();
        if (auto s = guest->writeFile(*bcdReal, *plan.newBcd); !s)
            return s;
    }
    return guest->close();
}

} // namespace

Result<ReplaceWimResult> replaceWim(const ReplaceWimRequest &request, Progress &progress)
{
    const QString what = QStringLiteral("replacing the WIM in %1").arg(request.image);
    const QFileInfo imageInfo(request.image);
    if (!imageInfo.isFile())
        return Error(Errc::NotFound, QStringLiteral("%1 does not exist").arg(request.image));
    QFile wimFile(request.newWim);
    if (!wimFile.open(QIODevice::ReadOnly))
        return Error(Errc::NotFound,
            QStringLiteral("cannot read %1: %2").arg(request.newWim, wimFile.errorString()));
    if (wimFile.read(8) != QByteArray("MSWIM\0\0\0", 8))
        return Error(
            Errc::InvalidInput, QStringLiteral("%1 is not a WIM file").arg(request.newWim));
    wimFile.close();

    const QString target = request.output.isEmpty() ? imageInfo.absoluteFilePath()
                                                    : QFileInfo(request.output).absoluteFilePath();
    const bool replacesImage = target == imageInfo.absoluteFilePath();
    struct stat st
    {
    };
    const QByteArray imagePath = QFile::encodeName(imageInfo.absoluteFilePath());
    if (::stat(imagePath.constData(), &st) == 0 && replacesImage && (st.st_mode & 0222) == 0)
        return Error(Errc::Io, QStringLiteral("%1 is read-only").arg(request.image))
            .withHint(QStringLiteral("Make it writable (chmod u+w) or write the result elsewhere "
                                     "with -o OUT."));

    UniqueFd source(::open(imagePath.constData(), O_RDONLY | O_CLOEXEC));
    if (!source.valid())
        return Error::fromErrno(errno, QStringLiteral("opening %1").arg(request.image));
    progress.beginStage(QStringLiteral("Reading the image"));
    auto planned = planReplace(request, source.get());
    if (!planned)
        return std::move(planned).error().context(what);
    const Plan &plan = *planned;
    if (auto s = progress.check(); !s)
        return std::move(s).error();

    ReplaceWimResult result;
    result.partition = plan.partition.index;
    result.partitionOffset = plan.partition.offset();
    result.oldWimPath = toBcdPath(plan.oldWim);
    result.wimPath = toBcdPath(plan.newWim);
    result.sdiPath = plan.boot.sdiPath;
    result.oldWimBytes = plan.oldWimBytes;
    result.newWimBytes = plan.newWimBytes;
    result.oldImageBytes = plan.imageBytes;
    result.newImageBytes = plan.newImageBytes;
    result.grown = plan.grow;
    result.bcdUpdated = plan.newBcd.has_value();

    // In place without growth: edit the original directly (the user chose speed over safety).
    if (request.inPlace && replacesImage && !plan.grow
        && request.engine == ReplaceWimRequest::Engine::InProcess) {
        source = UniqueFd();
        UniqueFd rw(::open(imagePath.constData(), O_RDWR | O_CLOEXEC));
        if (!rw.valid())
            return Error::fromErrno(
                errno, QStringLiteral("opening %1 for writing").arg(request.image))
                .context(what);
        if (auto s = editInProcess(-1, rw.get(), target, request, plan, progress, false); !s)
            return std::move(s).error().context(what);
        if (::fsync(rw.get()) != 0)
            return Error::fromErrno(errno, QStringLiteral("syncing %1").arg(request.image));
        return result;
    }

    if (!replacesImage && QFileInfo::exists(target) && !request.overwrite)
        return Error(Errc::Exists, QStringLiteral("%1 already exists").arg(target))
            .withHint(QStringLiteral("Choose another name, or use --force to replace it."));
    if (auto s = checkOutputSpace(target, plan); !s)
        return std::move(s).error().context(what);
    auto out = AtomicFile::create(target,
        replacesImage || request.overwrite ? AtomicFile::Overwrite::Replace
                                           : AtomicFile::Overwrite::Refuse);
    if (!out)
        return std::move(out).error().context(what);
    Status edited = request.engine == ReplaceWimRequest::Engine::Guestfs
        ? editWithGuestfs(source.get(), *out, request, plan, progress, result.notice)
        : editInProcess(source.get(), out->fd(), target, request, plan, progress, true);
    if (!edited)
        return std::move(edited).error().context(what);
    if (auto s = progress.check(); !s)
        return std::move(s).error();
    if (auto s = out->commit(); !s)
        return std::move(s).error().context(what);
    return result;
}

Result<GuestBootInfo> inspectWithGuestfs(
    const QString &image, const QString &format, Progress &progress)
{
    const QString what = QStringLiteral("opening %1 with libguestfs").arg(image);
    if (!QFileInfo(image).isFile())
        return Error(Errc::NotFound, QStringLiteral("%1 does not exist").arg(image));
    auto guest = disk::GuestImage::launch({ { image, true, format } }, progress);
    if (!guest)
        return std::move(guest).error().context(what);
    auto partitions = guest->partitions();
    if (!partitions)
        return std::move(partitions).error().context(what);
    QStringList tried;
    for (const QString &device : *partitions) {
        auto type = guest->filesystemType(device);
        if (!type || *type != QLatin1String("ntfs")) {
            tried << QStringLiteral("%1 is not NTFS").arg(device);
            continue;
        }
        if (auto s = guest->mount(device, true); !s) {
            tried << s.error().message();
            continue;
        }
        auto bootmgr = guest->resolvePath(QStringLiteral("/bootmgr"));
        auto bcdPath = guest->resolvePath(QStringLiteral("/boot/BCD"));
        if (!bootmgr || !bcdPath) {
            tried << QStringLiteral("%1 has no %2")
                         .arg(device,
                             !bootmgr ? QStringLiteral("\\bootmgr")
                                      : QStringLiteral("\\boot\\BCD"));
            (void)guest->unmountAll();
            continue;
        }
        GuestBootInfo info;
        info.device = device;
        info.filesystem = *type;
        if (auto n = guest->partitionNumber(device))
            info.partition = *n;
        auto files = guest->listFiles(QStringLiteral("/"));
        if (files) {
            info.files = *files;
            info.files.sort();
        }
        info.bcdPath = *bcdPath;
        auto bytes = guest->readFile(*bcdPath);
        if (!bytes)
            return std::move(bytes).error().context(what);
        auto store = bcd::readStore(*bytes, QStringLiteral("\\boot\\BCD"));
        if (!store)
            return std::move(store).error().context(what);
        info.bcdDump = bcd::dumpText(*store);
        if (auto boot = bcd::ramdiskBoot(*store)) {
            info.wimPath = boot->wimPath;
            info.sdiPath = boot->sdiPath;
            if (auto real = guest->resolvePath(toNtfsPath(boot->wimPath))) {
                info.wimPresent = guest->isFile(*real);
                if (auto size = guest->fileSize(*real))
                    info.wimBytes = *size;
            }
            if (!boot->sdiPath.isEmpty()) {
                auto sdi = guest->resolvePath(toNtfsPath(boot->sdiPath));
                info.sdiPresent = sdi && guest->isFile(*sdi);
            }
        }
        info.notice = guest->notice();
        if (auto s = guest->close(); !s)
            return std::move(s).error().context(what);
        return info;
    }
    (void)guest->close();
    return Error(Errc::NotFound,
        QStringLiteral("no partition of %1 holds \\bootmgr and \\boot\\BCD (%2)")
            .arg(image,
                tried.isEmpty() ? QStringLiteral("no partitions")
                                : tried.join(QStringLiteral("; "))));
}

} // namespace pecast::pipeline
