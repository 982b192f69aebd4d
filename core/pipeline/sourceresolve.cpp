#include "pipeline/sourceresolve.h"

#include "disk/guestimage.h"
#include "util/atomicfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <stdio.h>

#include <array>
#include <cerrno>
#include <vector>

namespace pecast::pipeline {

namespace {

// Copy chunk: big enough for full disk speed, small enough to react to cancel at once.
constexpr qint64 kCopyChunk = 4 * 1024 * 1024;

Status copyFile(const QString &from, const QString &to, Progress &progress)
{
    QFile in(from);
    if (!in.open(QIODevice::ReadOnly))
        return Error(Errc::Io, QStringLiteral("cannot read %1: %2").arg(from, in.errorString()));
    auto out = AtomicFile::create(to, AtomicFile::Overwrite::Refuse);
    if (!out)
        return std::move(out).error();
    progress.beginStage(QStringLiteral("Copying %1").arg(QFileInfo(from).fileName()), in.size());
    QByteArray buffer(kCopyChunk, Qt::Uninitialized);
    qint64 done = 0;
    for (;;) {
        if (auto s = progress.check(); !s)
            return s;
        const qint64 n = in.read(buffer.data(), buffer.size());
        if (n < 0)
            return Error(Errc::Io, QStringLiteral("reading %1: %2").arg(from, in.errorString()));
        if (n == 0)
            break;
        if (auto s = out->write(buffer.constData(), n); !s)
            return s;
        done += n;
        progress.update(done);
    }
    return out->commit();
}

ResolvedSource fromMedia(wim::SourceKind kind, const wim::MediaFiles &files)
{
    ResolvedSource r;
    r.kind = kind;
    r.wimPath = files.wim;
    r.bootmgrPath = files.bootmgr;
    r.sdiPath = files.sdi;
    r.bcdPath = files.bcd;
    return r;
}

Result<ResolvedSource> extractIso(const QString &iso, const QString &outDir, Progress &progress)
{
    auto files = wim::extractIso9660Media(iso, outDir, progress);
    if (files)
        return fromMedia(wim::SourceKind::Iso, *files);
    if (files.error().code() != Errc::Unsupported)
        return std::move(files).error();
    // No boot.wim in the ISO 9660 tree: a UDF-only medium such as a Windows install ISO.
    return extractUdfMedia(iso, outDir, progress);
}

} // namespace

Result<ResolvedSource> extractUdfMedia(
    const QString &iso, const QString &outDir, Progress &progress)
{
    const QString what = QStringLiteral("reading the UDF file system of %1").arg(iso);
    auto guest = disk::GuestImage::launch({ { iso, true, QStringLiteral("raw") } }, progress);
    if (!guest)
        return std::move(guest).error().context(what);
    auto devices = guest->devices();
    if (!devices || devices->isEmpty())
        return Error(Errc::Library, QStringLiteral("libguestfs shows no disk")).context(what);
    const QString device = devices->first();
    auto type = guest->filesystemType(device);
    if (auto s
        = guest->mount(device, true, type && !type->isEmpty() ? *type : QStringLiteral("udf"));
        !s)
        return std::move(s).error().context(what).withHint(
            QStringLiteral("The file is not an ISO image with a UDF or ISO 9660 file system."));

    const std::array<const char *, 4> wanted { wim::MediaLayout::kWim, wim::MediaLayout::kBootmgr,
        wim::MediaLayout::kSdi, wim::MediaLayout::kBcd };
    std::array<QString, 4> found;
    std::vector<AtomicFile> outputs;
    for (size_t i = 0; i < wanted.size(); ++i) {
        auto real = guest->resolvePath(QLatin1String(wanted[i]));
        if (!real || !guest->isFile(*real)) {
            if (i == 3)
                continue; // boot\bcd is optional
            return Error(
                Errc::NotFound, QStringLiteral("%1 has no %2").arg(iso, QLatin1String(wanted[i])))
                .withHint(QStringLiteral("Use a WinPE or Windows ISO (with sources\\boot.wim)."));
        }
        const QString target = QDir(outDir).filePath(wim::mediaOutputName(wanted[i]));
        auto out = AtomicFile::create(target, AtomicFile::Overwrite::Refuse);
        if (!out)
            return std::move(out).error().context(what);
        progress.beginStage(QStringLiteral("Extracting %1").arg(*real));
        if (auto s = guest->download(*real, out->tempPath(), progress); !s)
            return std::move(s).error().context(what);
        outputs.push_back(std::move(*out));
        found[i] = target;
    }
    const QString notice = guest->notice();
    if (auto s = guest->close(); !s)
        return std::move(s).error().context(what);
    for (AtomicFile &out : outputs) {
        if (auto s = out.commit(); !s)
            return std::move(s).error().context(what);
    }
    ResolvedSource r;
    r.kind = wim::SourceKind::Iso;
    r.wimPath = found[0];
    r.bootmgrPath = found[1];
    r.sdiPath = found[2];
    r.bcdPath = found[3];
    r.notice = notice;
    return r;
}

Result<ResolvedSource> resolveSource(
    const QString &path, const QString &tempDir, Progress &progress)
{
    auto kind = wim::detectSourceKind(path);
    if (!kind)
        return std::move(kind).error();
    switch (*kind) {
    case wim::SourceKind::Wim: {
        ResolvedSource r;
        r.kind = *kind;
        r.wimPath = QFileInfo(path).absoluteFilePath();
        return r;
    }
    case wim::SourceKind::AdkFolder:
    case wim::SourceKind::MediaFolder: {
        auto files = wim::findMediaFiles(path);
        if (!files)
            return std::move(files).error();
        return fromMedia(*kind, *files);
    }
    case wim::SourceKind::Iso:
        break;
    }
    return extractIso(path, tempDir, progress);
}

Result<ResolvedSource> extractSource(const QString &path, const QString &outDir, Progress &progress)
{
    const QFileInfo target(outDir);
    if (target.exists()
        && (!target.isDir()
            || !QDir(outDir)
                    .entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot)
                    .isEmpty()))
        return Error(
            Errc::Exists, QStringLiteral("%1 exists and is not an empty folder").arg(outDir))
            .withHint(QStringLiteral("Choose a new folder name."));
    const QString parent = target.absolutePath();
    if (!QFileInfo(parent).isDir())
        return Error(Errc::NotFound, QStringLiteral("folder %1 does not exist").arg(parent));

    auto kind = wim::detectSourceKind(path);
    if (!kind)
        return std::move(kind).error();
    if (*kind == wim::SourceKind::Wim)
        return Error(Errc::InvalidInput,
            QStringLiteral("%1 is a WIM; there is nothing to extract").arg(path))
            .withHint(QStringLiteral("Give 'pecast build' the WIM directly."));

    QTemporaryDir staging(
        parent + QLatin1String("/.") + target.fileName() + QLatin1String(".pecast-XXXXXX"));
    if (!staging.isValid())
        return Error(Errc::Io, QStringLiteral("cannot create a folder in %1").arg(parent))
            .withHint(QStringLiteral("Check that the folder is writable."));

    Result<ResolvedSource> result = Error(Errc::Library, QString());
    if (*kind == wim::SourceKind::Iso) {
        result = extractIso(path, staging.path(), progress);
    } else {
        auto files = wim::findMediaFiles(path);
        if (!files)
            return std::move(files).error();
        const std::array<std::pair<QString, const char *>, 4> copies { std::pair { files->wim,
                                                                           wim::MediaLayout::kWim },
            std::pair { files->bootmgr, wim::MediaLayout::kBootmgr },
            std::pair { files->sdi, wim::MediaLayout::kSdi },
            std::pair { files->bcd, wim::MediaLayout::kBcd } };
        for (const auto &[from, name] : copies) {
            if (from.isEmpty())
                continue;
            if (auto s = copyFile(
                    from, QDir(staging.path()).filePath(wim::mediaOutputName(name)), progress);
                !s)
                return std::move(s).error();
        }
        result = fromMedia(*kind, *files);
    }
    if (!result)
        return result;

    // Publish: the staging folder becomes outDir in one rename.
    if (target.exists() && !QDir(parent).rmdir(target.fileName()))
        return Error(Errc::Io, QStringLiteral("cannot replace the empty folder %1").arg(outDir));
    if (::rename(QFile::encodeName(staging.path()).constData(),
            QFile::encodeName(target.absoluteFilePath()).constData())
        != 0)
        return Error::fromErrno(errno, QStringLiteral("renaming the output to %1").arg(outDir));
    staging.setAutoRemove(false);
    const QDir out(target.absoluteFilePath());
    ResolvedSource r = *result;
    auto place = [&](QString &p, const char *name) {
        p = p.isEmpty() ? QString() : out.filePath(wim::mediaOutputName(name));
    };
    place(r.wimPath, wim::MediaLayout::kWim);
    place(r.bootmgrPath, wim::MediaLayout::kBootmgr);
    place(r.sdiPath, wim::MediaLayout::kSdi);
    place(r.bcdPath, wim::MediaLayout::kBcd);
    return r;
}

} // namespace pecast::pipeline
