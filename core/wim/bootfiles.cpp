#include "wim/bootfiles.h"

#include "util/filehash.h"
#include "wim/wimarchive.h"
#include "wim/wiminfo.h"
#include "wim/wimlookup.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <wimlib.h>

#include <cerrno>

namespace pecast::wim {

namespace {

struct Wanted
{
    const char *role;
    const char *pathInWim;
    const char *outputName;
    bool required;
};

QString native(const QString &path)
{
    return QDir::toNativeSeparators(path);
}

QString windowsPath(const QString &path)
{
    QString p = path;
    p.replace(QLatin1Char('/'), QLatin1Char('\\'));
    return p;
}

Status syncPath(const QString &path, int flags)
{
    const int fd = ::open(QFile::encodeName(path).constData(), flags | O_CLOEXEC);
    if (fd < 0)
        return Error::fromErrno(errno, QStringLiteral("opening %1").arg(native(path)));
    const int ret = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    if (ret != 0)
        return Error::fromErrno(err, QStringLiteral("syncing %1").arg(native(path)));
    return {};
}

} // namespace

const BootFile *BootFiles::find(const QString &role) const
{
    for (const BootFile &file : files) {
        if (file.role == role)
            return &file;
    }
    return nullptr;
}

Result<BootFiles> extractBootFiles(const QString &wimPath, int index, const QString &outDir,
    Progress &progress, const ExtractOptions &options)
{
    Result<WimImage> opened = openImage(wimPath, index, progress);
    if (!opened)
        return std::move(opened).error();
    WimArchive &wim = opened->archive;
    const int image = opened->index;

    const Wanted wanted[] = {
        { "bootmgr", kBootmgrPath, "bootmgr", true },
        { "bootsdi", kBootSdiPath, "boot.sdi", true },
        { "bcd", kMediaBcdPath, "BCD", options.requireMediaBcd },
    };
    const QDir out(QFileInfo(outDir).absoluteFilePath());
    BootFiles result;
    result.imageIndex = image;
    QList<WimEntry> entries;
    for (const Wanted &w : wanted) {
        Result<std::optional<WimEntry>> found
            = findEntry(wim.get(), image, QString::fromLatin1(w.pathInWim), wim.path());
        if (!found)
            return std::move(found).error();
        if (!found->has_value() || (*found)->isDirectory) {
            if (!w.required)
                continue;
            return Error(Errc::NotFound,
                QStringLiteral("image %1 of %2 has no %3")
                    .arg(image)
                    .arg(native(wim.path()), windowsPath(QString::fromLatin1(w.pathInWim))))
                .withHint(QStringLiteral("Choose the WinPE image (e.g. boot.wim, --index N); "
                                         "`pecast wim info` shows which images have boot files."));
        }
        BootFile file;
        file.role = QString::fromLatin1(w.role);
        file.pathInWim = windowsPath((*found)->path);
        file.outputPath = out.absoluteFilePath(QString::fromLatin1(w.outputName));
        file.size = (*found)->size;
        if (!options.overwrite && QFileInfo::exists(file.outputPath))
            return Error(
                Errc::Exists, QStringLiteral("%1 already exists").arg(native(file.outputPath)))
                .withHint(
                    QStringLiteral("Choose another output folder or allow overwriting (--force)."));
        result.files.append(file);
        entries.append(**found);
    }
    if (const BootFile *bootmgr = result.find(QStringLiteral("bootmgr"));
        bootmgr && bootmgr->size > kMaxSafeBootmgrSize)
        result.warnings.append(
            QStringLiteral("bootmgr is %1 KiB: under memdisk it must fit below 640 KiB at "
                           "0x2000:0; above ~490 KiB it may hang")
                .arg((bootmgr->size + 1023) / 1024));

    if (!QDir().mkpath(out.absolutePath()))
        return Error(
            Errc::Io, QStringLiteral("cannot create folder %1").arg(native(out.absolutePath())))
            .withHint(QStringLiteral("Check the output path and its permissions."));
    // Extract beside the outputs (same filesystem), so placing them is a rename.
    QTemporaryDir tmp(out.absoluteFilePath(QStringLiteral(".pecast-extract-XXXXXX")));
    if (!tmp.isValid())
        return Error(Errc::Io,
            QStringLiteral("cannot write in %1: %2")
                .arg(native(out.absolutePath()), tmp.errorString()))
            .withHint(QStringLiteral("Check free space and permissions of the output folder."));

    QList<QByteArray> encoded;
    std::vector<const char *> paths;
    for (const WimEntry &entry : std::as_const(entries))
        encoded.append(entry.path.toUtf8());
    for (const QByteArray &e : std::as_const(encoded))
        paths.push_back(e.constData());
    if (Status s = wim.check(
            wimlib_extract_paths(wim.get(), image, QFile::encodeName(tmp.path()).constData(),
                paths.data(), paths.size(), WIMLIB_EXTRACT_FLAG_NO_PRESERVE_DIR_STRUCTURE),
            QStringLiteral("extracting boot files of image %1 from").arg(image));
        !s)
        return std::move(s).error();

    QStringList extracted;
    for (int i = 0; i < result.files.size(); ++i) {
        BootFile &file = result.files[i];
        const QString tmpFile
            = tmp.path() + QLatin1Char('/') + entries.at(i).path.section(QLatin1Char('/'), -1);
        progress.beginStage(QStringLiteral("Hashing %1").arg(file.role), file.size);
        Result<QString> digest = sha256File(tmpFile, progress);
        if (!digest)
            return std::move(digest).error().context(QStringLiteral("hashing %1").arg(file.role));
        file.sha256 = *digest;
        QFile::setPermissions(tmpFile,
            QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup
                | QFileDevice::ReadOther);
        if (Status s = syncPath(tmpFile, O_RDONLY); !s)
            return std::move(s).error();
        extracted.append(tmpFile);
    }
    if (Status s = progress.check(); !s)
        return std::move(s).error();

    // Place all files, or none: undo the ones placed when a later one fails.
    QStringList placed;
    for (int i = 0; i < result.files.size(); ++i) {
        const QByteArray from = QFile::encodeName(extracted.at(i));
        const QByteArray to = QFile::encodeName(result.files.at(i).outputPath);
        const int ret = options.overwrite
            ? ::rename(from.constData(), to.constData())
            : ::renameat2(AT_FDCWD, from.constData(), AT_FDCWD, to.constData(), RENAME_NOREPLACE);
        if (ret != 0) {
            const int err = errno;
            if (!options.overwrite) {
                for (const QString &p : std::as_const(placed))
                    QFile::remove(p);
            }
            Error error = Error::fromErrno(
                err, QStringLiteral("placing %1").arg(native(result.files.at(i).outputPath)));
            if (err == EEXIST)
                return std::move(error).withHint(
                    QStringLiteral("Choose another output folder or allow overwriting (--force)."));
            return error;
        }
        placed.append(result.files.at(i).outputPath);
    }
    if (Status s = syncPath(out.absolutePath(), O_RDONLY | O_DIRECTORY); !s)
        return std::move(s).error();
    return result;
}

} // namespace pecast::wim
