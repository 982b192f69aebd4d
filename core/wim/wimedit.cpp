#include "wim/wimedit.h"

#include "util/atomicfile.h"
#include "wim/wimarchive.h"

#include <QFileInfo>
#include <QTemporaryDir>

#include <wimlib.h>

#include <optional>

namespace pecast::wim {

namespace {

// wimlib's default LZX chunk size, and the one Windows' boot loader handles for boot.wim; set
// explicitly so that a WIM recompressed from another chunk size stays bootable.
constexpr uint32_t kBootableChunkSize = 32768;

// wimlib takes paths as tchar (char, UTF-8 on Linux) and accepts '/' or '\\' inside images.
QByteArray wimPath(const QString &path)
{
    QString p = path;
    p.replace(QLatin1Char('\\'), QLatin1Char('/'));
    if (!p.startsWith(QLatin1Char('/')))
        p.prepend(QLatin1Char('/'));
    return p.toUtf8();
}

int compressionType(WimCompression compression)
{
    switch (compression) {
    case WimCompression::Lzx:
        return WIMLIB_COMPRESSION_TYPE_LZX;
    case WimCompression::Xpress:
        return WIMLIB_COMPRESSION_TYPE_XPRESS;
    case WimCompression::None:
        return WIMLIB_COMPRESSION_TYPE_NONE;
    case WimCompression::Keep:
        break;
    }
    return -1;
}

QString describe(const WimChange &change)
{
    switch (change.kind) {
    case WimChange::Kind::Add:
        return QStringLiteral("adding %1 as %2").arg(change.source, change.path);
    case WimChange::Kind::Delete:
        return QStringLiteral("deleting %1").arg(change.path);
    case WimChange::Kind::Rename:
        return QStringLiteral("renaming %1 to %2").arg(change.path, change.newPath);
    case WimChange::Kind::WriteFile:
        return QStringLiteral("writing %1").arg(change.path);
    }
    return {};
}

// Applies the changes one command at a time so that an error names the change that failed.
Status applyChanges(const WimArchive &wim, int image, const std::vector<WimChange> &changes,
    Progress &progress, const QTemporaryDir &scratch)
{
    int written = 0;
    for (const WimChange &change : changes) {
        if (auto s = progress.check(); !s)
            return s;
        QByteArray source;
        QByteArray target = wimPath(change.path);
        QByteArray newPath;
        wimlib_update_command cmd {};
        switch (change.kind) {
        case WimChange::Kind::Add:
            if (!QFileInfo::exists(change.source))
                return Error(Errc::NotFound, QStringLiteral("%1 does not exist").arg(change.source))
                    .context(describe(change));
            source = QFile::encodeName(change.source);
            cmd.op = WIMLIB_UPDATE_OP_ADD;
            cmd.add.fs_source_path = source.data();
            cmd.add.wim_target_path = target.data();
            cmd.add.add_flags = 0;
            break;
        case WimChange::Kind::WriteFile: {
            // wimlib adds files from the filesystem: stage the content in the scratch folder.
            const QString staged = scratch.filePath(QStringLiteral("file%1").arg(++written));
            if (auto s = AtomicFile::writeFile(staged, change.data, AtomicFile::Overwrite::Replace);
                !s)
                return Error(s.error()).context(describe(change));
            source = QFile::encodeName(staged);
            cmd.op = WIMLIB_UPDATE_OP_ADD;
            cmd.add.fs_source_path = source.data();
            cmd.add.wim_target_path = target.data();
            cmd.add.add_flags = 0;
            break;
        }
        case WimChange::Kind::Delete:
            cmd.op = WIMLIB_UPDATE_OP_DELETE;
            cmd.delete_.wim_path = target.data();
            cmd.delete_.delete_flags = WIMLIB_DELETE_FLAG_RECURSIVE;
            break;
        case WimChange::Kind::Rename:
            newPath = wimPath(change.newPath);
            cmd.op = WIMLIB_UPDATE_OP_RENAME;
            cmd.rename.wim_source_path = target.data();
            cmd.rename.wim_target_path = newPath.data();
            cmd.rename.rename_flags = 0;
            break;
        }
        if (auto s = wim.check(wimlib_update_image(wim.get(), image, &cmd, 1, 0), describe(change));
            !s)
            return s;
    }
    return {};
}

} // namespace

WimChange WimChange::add(const QString &source, const QString &destination)
{
    WimChange c;
    c.kind = Kind::Add;
    c.source = source;
    c.path = destination;
    return c;
}

WimChange WimChange::remove(const QString &path)
{
    WimChange c;
    c.kind = Kind::Delete;
    c.path = path;
    return c;
}

WimChange WimChange::rename(const QString &from, const QString &to)
{
    WimChange c;
    c.kind = Kind::Rename;
    c.path = from;
    c.newPath = to;
    return c;
}

WimChange WimChange::writeFile(const QString &path, const QByteArray &data)
{
    WimChange c;
    c.kind = Kind::WriteFile;
    c.path = path;
    c.data = data;
    return c;
}

std::optional<WimCompression> parseCompression(const QString &name)
{
    const QString n = name.toLower();
    if (n == QLatin1String("lzx"))
        return WimCompression::Lzx;
    if (n == QLatin1String("xpress"))
        return WimCompression::Xpress;
    if (n == QLatin1String("none"))
        return WimCompression::None;
    if (n == QLatin1String("keep"))
        return WimCompression::Keep;
    return std::nullopt;
}

QByteArray toWindowsText(const QByteArray &text)
{
    QByteArray out;
    out.reserve(text.size() + text.count('\n') + 2);
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text.at(i);
        if (c == '\r' && i + 1 < text.size() && text.at(i + 1) == '\n')
            continue; // the LF that follows writes the pair
        if (c == '\n')
            out.append('\r');
        out.append(c);
    }
    if (!out.isEmpty() && !out.endsWith("\r\n"))
        out.append("\r\n");
    return out;
}

Result<int> resolveImage(const QString &wimPathOnDisk, const QString &image)
{
    Progress quiet;
    auto wim = WimArchive::open(wimPathOnDisk, quiet);
    if (!wim)
        return std::move(wim).error();
    const QByteArray spec = image.toUtf8();
    const int index = wimlib_resolve_image(wim->get(), spec.constData());
    if (index == WIMLIB_NO_IMAGE || index == WIMLIB_ALL_IMAGES)
        return Error(Errc::NotFound, QStringLiteral("%1 has no image %2").arg(wimPathOnDisk, image))
            .withHint(QStringLiteral("Run 'pecast wim info' to list the images."));
    return index;
}

Status editWim(const WimEditRequest &request, Progress &progress)
{
    const QString what = QStringLiteral("editing %1").arg(request.input);
    if (auto s = progress.check(); !s)
        return s;
    auto out = AtomicFile::create(request.output,
        request.overwrite ? AtomicFile::Overwrite::Replace : AtomicFile::Overwrite::Refuse);
    if (!out)
        return std::move(out).error();

    auto source = WimArchive::open(request.input, progress);
    if (!source)
        return std::move(source).error().context(what);

    wimlib_wim_info info {};
    wimlib_get_wim_info(source->get(), &info);
    int image = request.image;
    if (image == 0)
        image = info.boot_index != 0 ? int(info.boot_index) : 1;
    if (image < 1 || image > int(info.image_count))
        return Error(Errc::NotFound,
            QStringLiteral("%1 has no image %2 (it has %3)")
                .arg(request.input)
                .arg(image)
                .arg(info.image_count));

    QTemporaryDir scratch;
    if (!scratch.isValid())
        return Error(Errc::Io, QStringLiteral("cannot create a temporary folder"));

    // Declared after `source`: an exported image reads its data from the source WIM, so the
    // new WIM is freed first.
    std::optional<WimArchive> exported;
    const WimArchive *target = &*source;
    const int ctype = compressionType(request.compression);
    // Changes go to the source image in memory (its file is not written) before an export:
    // wimlib shares an exported image's metadata with its source and refuses to update it then.
    if (auto s = applyChanges(*source, image, request.changes, progress, scratch); !s)
        return std::move(s).error().context(what);
    if (request.onlyImage) {
        auto created
            = WimArchive::createNew(ctype >= 0 ? ctype : int(info.compression_type), progress);
        if (!created)
            return std::move(created).error().context(what);
        exported.emplace(std::move(*created));
        if (auto s = exported->check(wimlib_export_image(source->get(), image, exported->get(),
                                         nullptr, nullptr, WIMLIB_EXPORT_FLAG_BOOT),
                QStringLiteral("exporting image %1").arg(image));
            !s)
            return std::move(s).error().context(what);
        target = &*exported;
        image = 1;
    }

    if (request.bootIndex && !request.onlyImage) {
        if (*request.bootIndex < 0 || *request.bootIndex > int(info.image_count))
            return Error(Errc::InvalidInput,
                QStringLiteral("boot index %1 is out of range (the WIM has %2 images)")
                    .arg(*request.bootIndex)
                    .arg(info.image_count));
        wimlib_wim_info change {};
        change.boot_index = uint32_t(*request.bootIndex);
        if (auto s
            = target->check(wimlib_set_wim_info(target->get(), &change, WIMLIB_CHANGE_BOOT_INDEX),
                QStringLiteral("setting the boot index"));
            !s)
            return std::move(s).error().context(what);
    }

    int writeFlags = 0;
    if (ctype >= 0) {
        if (auto s = target->check(wimlib_set_output_compression_type(target->get(),
                                       static_cast<enum wimlib_compression_type>(ctype)),
                QStringLiteral("choosing the compression"));
            !s)
            return s;
        if (request.compression == WimCompression::Lzx
            || request.compression == WimCompression::Xpress) {
            if (auto s
                = target->check(wimlib_set_output_chunk_size(target->get(), kBootableChunkSize),
                    QStringLiteral("choosing the chunk size"));
                !s)
                return s;
        }
        writeFlags |= WIMLIB_WRITE_FLAG_RECOMPRESS;
    }
    if (auto s = progress.check(); !s)
        return s;
    if (auto s = target->check(
            wimlib_write_to_fd(target->get(), out->fd(), WIMLIB_ALL_IMAGES, writeFlags, 0),
            QStringLiteral("writing %1").arg(request.output));
        !s)
        return std::move(s).error().context(what);
    if (auto s = progress.check(); !s)
        return s;
    return out->commit();
}

} // namespace pecast::wim
