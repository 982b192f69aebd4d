#include "wim/wiminspect.h"

#include "wim/wimarchive.h"
#include "wim/wimerror.h"
#include "wim/wimlookup.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <wimlib.h>

namespace pecast::wim {

namespace {

// readFile() is for small files (a BCD, an ini); anything bigger should be extracted to disk.
constexpr qint64 kMaxReadFileSize = 64 * 1024 * 1024;

QString compressionName(int type)
{
    switch (type) {
    case WIMLIB_COMPRESSION_TYPE_NONE:
        return QStringLiteral("none");
    case WIMLIB_COMPRESSION_TYPE_XPRESS:
        return QStringLiteral("xpress");
    case WIMLIB_COMPRESSION_TYPE_LZX:
        return QStringLiteral("lzx");
    case WIMLIB_COMPRESSION_TYPE_LZMS:
        return QStringLiteral("lzms");
    default:
        return QStringLiteral("unknown");
    }
}

QString property(WIMStruct *wim, int image, const char *name)
{
    const char *value = wimlib_get_image_property(wim, image, name);
    return value ? QString::fromUtf8(value) : QString();
}

QString nativeWimPath(const char *path)
{
    QString p = QString::fromLatin1(path);
    p.replace(QLatin1Char('/'), QLatin1Char('\\'));
    return p;
}

Status inspectBootFiles(WimArchive &wim, const WimInfo &info, WimImageInfo &image)
{
    Bootability &boot = image.boot;
    auto lookup = [&](const char *path) -> Result<std::optional<WimEntry>> {
        Result<std::optional<WimEntry>> found
            = findEntry(wim.get(), image.index, QString::fromLatin1(path), wim.path());
        if (found && found->has_value() && (*found)->isDirectory)
            return std::optional<WimEntry>();
        return found;
    };
    Result<std::optional<WimEntry>> winload = lookup(kWinloadPath);
    if (!winload)
        return winload.error();
    Result<std::optional<WimEntry>> bootmgr = lookup(kBootmgrPath);
    if (!bootmgr)
        return bootmgr.error();
    Result<std::optional<WimEntry>> sdi = lookup(kBootSdiPath);
    if (!sdi)
        return sdi.error();
    Result<std::optional<WimEntry>> bcd = lookup(kMediaBcdPath);
    if (!bcd)
        return bcd.error();
    boot.hasWinload = winload->has_value();
    boot.hasBootmgr = bootmgr->has_value();
    boot.hasBootSdi = sdi->has_value();
    boot.hasMediaBcd = bcd->has_value();
    boot.bootmgrSize = boot.hasBootmgr ? (*bootmgr)->size : -1;
    boot.bootSdiSize = boot.hasBootSdi ? (*sdi)->size : -1;

    if (!info.compressionBootable)
        boot.reasons.append(
            QStringLiteral("compression is %1%2 with %3 KiB chunks; Windows' RAM-disk loader "
                           "reads only non-solid LZX or XPRESS with 32 KiB chunks: recompress "
                           "to boot (pecast wim export does this)")
                .arg(info.compression, info.solid ? QStringLiteral(" (solid)") : QString())
                .arg(info.chunkSize / 1024));
    if (!boot.hasWinload)
        boot.reasons.append(QStringLiteral("%1 is missing: not a WinPE boot image")
                                .arg(nativeWimPath(kWinloadPath)));
    if (!boot.hasBootmgr)
        boot.reasons.append(QStringLiteral("%1 is missing: it starts the BIOS boot")
                                .arg(nativeWimPath(kBootmgrPath)));
    if (!boot.hasBootSdi)
        boot.reasons.append(QStringLiteral("%1 is missing: the RAM disk needs it")
                                .arg(nativeWimPath(kBootSdiPath)));
    if (image.archCode != 0 && image.archCode != 9)
        boot.reasons.append(
            QStringLiteral("architecture is %1: BIOS boot needs an x86 or x64 image")
                .arg(image.archCode < 0 ? QStringLiteral("not recorded") : image.arch));
    if (boot.bootmgrSize > kMaxSafeBootmgrSize)
        boot.warnings.append(
            QStringLiteral("bootmgr is %1 KiB: under memdisk it must fit below 640 KiB at "
                           "0x2000:0; above ~490 KiB it may hang")
                .arg((boot.bootmgrSize + 1023) / 1024));
    boot.bootable = boot.reasons.isEmpty();
    return {};
}

} // namespace

Result<WimInfo> inspectWim(const QString &path, Progress &progress)
{
    Result<WimArchive> opened = WimArchive::open(path, progress);
    if (!opened)
        return std::move(opened).error();
    WimArchive &wim = *opened;
    wimlib_wim_info raw {};
    if (Status s = wim.check(wimlib_get_wim_info(wim.get(), &raw), QStringLiteral("reading")); !s)
        return std::move(s).error();

    WimInfo info;
    info.path = QFileInfo(path).absoluteFilePath();
    info.fileSize = QFileInfo(path).size();
    info.guid = QString::fromLatin1(
        QByteArray(reinterpret_cast<const char *>(raw.guid), WIMLIB_GUID_LEN).toHex());
    info.version = int(raw.wim_version);
    info.imageCount = int(raw.image_count);
    info.bootIndex = int(raw.boot_index);
    info.compression = compressionName(raw.compression_type);
    info.chunkSize = raw.chunk_size;
    info.totalParts = int(raw.total_parts);
    info.partPaths = wim.partPaths();
    info.partNumber = std::max(1, int(info.partPaths.indexOf(info.path)) + 1);
    info.hasIntegrity = raw.has_integrity_table;
    const Result<bool> solid = isSolid(wim.get(), wim.path());
    if (!solid)
        return solid.error();
    info.solid = *solid;
    if (info.solid)
        info.solidCompression = raw.compression_type == WIMLIB_COMPRESSION_TYPE_LZMS
            ? QStringLiteral("lzms")
            : QStringLiteral("unknown");
    info.compressionBootable = !info.solid
        && (raw.compression_type == WIMLIB_COMPRESSION_TYPE_LZX
            || raw.compression_type == WIMLIB_COMPRESSION_TYPE_XPRESS)
        && raw.chunk_size == kBootChunkSize;

    progress.beginStage(QStringLiteral("Reading images"), info.imageCount);
    for (int index = 1; index <= info.imageCount; ++index) {
        if (Status s = progress.check(); !s)
            return std::move(s).error();
        WimImageInfo image;
        image.index = index;
        image.name = property(wim.get(), index, "NAME");
        image.description = property(wim.get(), index, "DESCRIPTION");
        bool ok = false;
        const int arch = property(wim.get(), index, "WINDOWS/ARCH").toInt(&ok);
        image.archCode = ok ? arch : -1;
        image.arch = archName(image.archCode);
        image.edition = property(wim.get(), index, "WINDOWS/EDITIONID");
        image.installationType = property(wim.get(), index, "WINDOWS/INSTALLATIONTYPE");
        const QString major = property(wim.get(), index, "WINDOWS/VERSION/MAJOR");
        const QString minor = property(wim.get(), index, "WINDOWS/VERSION/MINOR");
        const QString build = property(wim.get(), index, "WINDOWS/VERSION/BUILD");
        const QString spBuild = property(wim.get(), index, "WINDOWS/VERSION/SPBUILD");
        image.build = build.toInt();
        if (!major.isEmpty() && !build.isEmpty()) {
            image.version = QStringLiteral("%1.%2.%3")
                                .arg(major, minor.isEmpty() ? QStringLiteral("0") : minor, build);
            if (!spBuild.isEmpty() && spBuild != QLatin1String("0"))
                image.version += QLatin1Char('.') + spBuild;
        }
        image.fileCount = property(wim.get(), index, "FILECOUNT").toLongLong();
        image.dirCount = property(wim.get(), index, "DIRCOUNT").toLongLong();
        image.totalBytes = property(wim.get(), index, "TOTALBYTES").toLongLong();
        if (Status s = inspectBootFiles(wim, info, image); !s)
            return std::move(s).error();
        info.images.append(image);
        progress.update(index);
    }
    return info;
}

Status verifyIntegrity(const QString &path, Progress &progress)
{
    WimArchive::OpenOptions options;
    options.checkIntegrity = true;
    Result<WimArchive> opened = WimArchive::open(path, options, progress);
    if (!opened)
        return std::move(opened).error();
    WimArchive &wim = *opened;
    if (Status s = progress.check(); !s)
        return s;
    return wim.check(wimlib_verify_wim(wim.get(), 0), QStringLiteral("verifying"));
}

Result<QByteArray> readFile(const QString &wimPath, int index, const QString &pathInWim)
{
    Progress progress;
    Result<WimImage> opened = openImage(wimPath, index, progress);
    if (!opened)
        return std::move(opened).error();
    WimArchive &wim = opened->archive;
    const int image = opened->index;
    Result<std::optional<WimEntry>> found = findEntry(wim.get(), image, pathInWim, wim.path());
    if (!found)
        return std::move(found).error();
    if (!found->has_value() || (*found)->isDirectory)
        return Error(Errc::NotFound,
            QStringLiteral("%1 has no file %2 in image %3")
                .arg(QDir::toNativeSeparators(wim.path()), pathInWim)
                .arg(image));
    const WimEntry entry = **found;
    if (entry.size > kMaxReadFileSize)
        return Error(Errc::InvalidInput,
            QStringLiteral("%1 in %2 is too large to read into memory (%3 bytes)")
                .arg(pathInWim, QDir::toNativeSeparators(wim.path()))
                .arg(entry.size));
    QTemporaryDir tmp;
    if (!tmp.isValid())
        return Error(Errc::Io,
            QStringLiteral("cannot create a temporary folder: %1").arg(tmp.errorString()));
    const QByteArray wanted = entry.path.toUtf8();
    const char *paths[] = { wanted.constData() };
    if (Status s = wim.check(
            wimlib_extract_paths(wim.get(), image, QFile::encodeName(tmp.path()).constData(), paths,
                1, WIMLIB_EXTRACT_FLAG_NO_PRESERVE_DIR_STRUCTURE),
            QStringLiteral("extracting %1 from").arg(pathInWim));
        !s)
        return std::move(s).error();
    QFile file(tmp.path() + QLatin1Char('/') + entry.path.section(QLatin1Char('/'), -1));
    if (!file.open(QIODevice::ReadOnly))
        return Error(Errc::Io,
            QStringLiteral("reading extracted %1: %2").arg(pathInWim, file.errorString()));
    return file.readAll();
}

} // namespace pecast::wim
