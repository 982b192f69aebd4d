#include "wim/sourcemedia.h"

#include "util/atomicfile.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

#include <archive.h>
#include <archive_entry.h>

#include <array>
#include <memory>

namespace pecast::wim {

namespace {

// ISO 9660 volume descriptors start at sector 16 (32 KiB); UDF's NSR02/NSR03 descriptor follows
// in the same area (ECMA-167 volume recognition sequence).
constexpr qint64 kIsoDescriptorOffset = 32768;
constexpr qint64 kIsoDescriptorSize = 2048;
constexpr int kIsoDescriptorsScanned = 16; // the sequence is a handful of sectors long
// libarchive's read block: large enough to stream a 500 MB boot.wim quickly.
constexpr size_t kReadBlockSize = 1024 * 1024;

struct ArchiveDeleter
{
    void operator()(struct archive *a) const { archive_read_free(a); }
};

QString normalized(QString name)
{
    name.replace(QLatin1Char('\\'), QLatin1Char('/'));
    while (name.startsWith(QLatin1String("./")))
        name.remove(0, 2);
    while (name.startsWith(QLatin1Char('/')))
        name.remove(0, 1);
    return name.toLower();
}

// Finds `relative` ('/' separated) below `root` ignoring case, one component at a time.
QString findCaseInsensitive(const QString &root, const QString &relative)
{
    QString current = root;
    const QStringList parts = relative.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const bool last = i == parts.size() - 1;
        const QDir dir(current);
        const QStringList entries = dir.entryList(
            (last ? QDir::Files : QDir::Dirs) | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
        QString match;
        for (const QString &entry : entries) {
            if (entry.compare(parts.at(i), Qt::CaseInsensitive) == 0) {
                match = entry;
                break;
            }
        }
        if (match.isEmpty())
            return {};
        current = dir.filePath(match);
    }
    return QFileInfo(current).absoluteFilePath();
}

Result<MediaFiles> findInMediaRoot(const QString &root, const QString &label)
{
    MediaFiles files;
    files.wim = findCaseInsensitive(root, QLatin1String(MediaLayout::kWim));
    files.bootmgr = findCaseInsensitive(root, QLatin1String(MediaLayout::kBootmgr));
    files.sdi = findCaseInsensitive(root, QLatin1String(MediaLayout::kSdi));
    files.bcd = findCaseInsensitive(root, QLatin1String(MediaLayout::kBcd));
    QStringList missing;
    if (files.wim.isEmpty())
        missing << QLatin1String(MediaLayout::kWim);
    if (files.bootmgr.isEmpty())
        missing << QLatin1String(MediaLayout::kBootmgr);
    if (files.sdi.isEmpty())
        missing << QLatin1String(MediaLayout::kSdi);
    if (!missing.isEmpty())
        return Error(Errc::NotFound,
            QStringLiteral("%1 has no %2").arg(label, missing.join(QStringLiteral(", "))))
            .withHint(QStringLiteral("Give a copype working folder (with media\\), the root of "
                                     "WinPE or Windows boot media, or an ISO."));
    return files;
}

bool hasIsoSignature(const QByteArray &sector)
{
    const QByteArray id = sector.mid(1, 5);
    return id == "CD001" || id == "BEA01" || id == "NSR02" || id == "NSR03" || id == "TEA01";
}

} // namespace

QString mediaOutputName(const char *mediaPath)
{
    const QString path = QLatin1String(mediaPath);
    if (path == QLatin1String(MediaLayout::kBcd))
        return QStringLiteral("BCD");
    return path.section(QLatin1Char('/'), -1);
}

Result<SourceKind> detectSourceKind(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return Error(Errc::NotFound, QStringLiteral("%1 does not exist").arg(path));
    if (info.isDir()) {
        if (!findCaseInsensitive(path, QStringLiteral("media/sources/boot.wim")).isEmpty())
            return SourceKind::AdkFolder;
        if (!findCaseInsensitive(path, QLatin1String(MediaLayout::kWim)).isEmpty())
            return SourceKind::MediaFolder;
        return Error(Errc::NotFound,
            QStringLiteral("%1 is neither a copype folder nor boot media: no "
                           "media\\sources\\boot.wim or sources\\boot.wim")
                .arg(path));
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error(Errc::Io, QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    if (file.read(8) == QByteArray("MSWIM\0\0\0", 8))
        return SourceKind::Wim;
    for (int i = 0; i < kIsoDescriptorsScanned; ++i) {
        if (!file.seek(kIsoDescriptorOffset + i * kIsoDescriptorSize))
            break;
        if (hasIsoSignature(file.read(kIsoDescriptorSize)))
            return SourceKind::Iso;
    }
    return Error(Errc::BadFormat,
        QStringLiteral("%1 is not a WIM, an ISO image or a folder with boot media").arg(path));
}

Result<MediaFiles> findMediaFiles(const QString &folder)
{
    // copype's working folder keeps the media files in media\ (any case).
    QDir dir(folder);
    for (const QString &entry : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        if (entry.compare(QLatin1String("media"), Qt::CaseInsensitive) == 0
            && !findCaseInsensitive(dir.filePath(entry), QLatin1String(MediaLayout::kWim))
                    .isEmpty())
            return findInMediaRoot(dir.filePath(entry), folder);
    }
    return findInMediaRoot(folder, folder);
}

Result<MediaFiles> extractIso9660Media(
    const QString &iso, const QString &outDir, Progress &progress)
{
    const QString what = QStringLiteral("reading the ISO 9660 file system of %1").arg(iso);
    std::unique_ptr<struct archive, ArchiveDeleter> reader(archive_read_new());
    archive_read_support_format_iso9660(reader.get());
    const QByteArray name = QFile::encodeName(iso);
    if (archive_read_open_filename(reader.get(), name.constData(), kReadBlockSize) != ARCHIVE_OK)
        return Error(Errc::Unsupported,
            QStringLiteral("%1: %2").arg(
                what, QString::fromUtf8(archive_error_string(reader.get()))));

    const std::array<const char *, 4> wanted { MediaLayout::kWim, MediaLayout::kBootmgr,
        MediaLayout::kSdi, MediaLayout::kBcd };
    std::array<QString, 4> found;
    std::array<std::optional<AtomicFile>, 4> outputs;
    struct archive_entry *entry = nullptr;
    int rc = ARCHIVE_OK;
    bool anyEntry = false;
    while ((rc = archive_read_next_header(reader.get(), &entry)) == ARCHIVE_OK) {
        anyEntry = true;
        if (auto s = progress.check(); !s)
            return std::move(s).error();
        if (archive_entry_filetype(entry) != AE_IFREG)
            continue;
        const QString path = normalized(QString::fromUtf8(archive_entry_pathname_utf8(entry)
                ? archive_entry_pathname_utf8(entry)
                : archive_entry_pathname(entry)));
        size_t slot = wanted.size();
        for (size_t i = 0; i < wanted.size(); ++i) {
            if (path == QLatin1String(wanted[i]))
                slot = i;
        }
        if (slot == wanted.size() || !found[slot].isEmpty())
            continue;
        const QString target = QDir(outDir).filePath(mediaOutputName(wanted[slot]));
        auto out = AtomicFile::create(target, AtomicFile::Overwrite::Refuse);
        if (!out)
            return std::move(out).error().context(what);
        const qint64 size = archive_entry_size(entry);
        progress.beginStage(QStringLiteral("Extracting %1").arg(path), size);
        qint64 done = 0;
        const void *buffer = nullptr;
        size_t length = 0;
        la_int64_t offset = 0;
        int block = ARCHIVE_OK;
        while ((block = archive_read_data_block(reader.get(), &buffer, &length, &offset))
            == ARCHIVE_OK) {
            if (auto s = out->pwrite(buffer, qint64(length), offset); !s)
                return std::move(s).error().context(what);
            done = offset + qint64(length);
            progress.update(done);
            if (auto s = progress.check(); !s)
                return std::move(s).error();
        }
        if (block != ARCHIVE_EOF)
            return Error(Errc::Io,
                QStringLiteral("%1: %2: %3")
                    .arg(what, path, QString::fromUtf8(archive_error_string(reader.get()))));
        if (auto s = out->resize(size); !s)
            return std::move(s).error().context(what);
        progress.update(size);
        outputs[slot].emplace(std::move(*out));
        found[slot] = target;
    }
    if (rc != ARCHIVE_EOF && !anyEntry)
        return Error(Errc::Unsupported, QStringLiteral("%1 has no ISO 9660 file system").arg(iso))
            .withHint(QStringLiteral("A UDF-only medium is read through libguestfs."));
    if (rc != ARCHIVE_EOF)
        return Error(Errc::BadFormat,
            QStringLiteral("%1: %2").arg(
                what, QString::fromUtf8(archive_error_string(reader.get()))));
    if (found[0].isEmpty())
        return Error(Errc::Unsupported,
            QStringLiteral("the ISO 9660 file system of %1 has no sources\\boot.wim").arg(iso))
            .withHint(QStringLiteral("A Windows install ISO keeps its files in UDF only."));
    if (found[1].isEmpty() || found[2].isEmpty())
        return Error(Errc::NotFound,
            QStringLiteral("%1 has sources\\boot.wim but no %2")
                .arg(iso,
                    found[1].isEmpty() ? QStringLiteral("bootmgr")
                                       : QStringLiteral("boot\\boot.sdi")))
            .withHint(QStringLiteral("Use a WinPE or Windows boot ISO, or build from the WIM."));
    for (auto &out : outputs) {
        if (out) {
            if (auto s = out->commit(); !s)
                return std::move(s).error().context(what);
        }
    }
    MediaFiles files;
    files.wim = found[0];
    files.bootmgr = found[1];
    files.sdi = found[2];
    files.bcd = found[3];
    return files;
}

} // namespace pecast::wim
