#include "wim/wimexport.h"

#include "util/atomicfile.h"
#include "wim/wimarchive.h"
#include "wim/wimerror.h"
#include "wim/wiminfo.h"
#include "wim/wimlookup.h"

#include <QFileInfo>

#include <wimlib.h>

namespace pecast::wim {

Status exportImage(const QString &src, int index, const QString &dst, const ExportOptions &options,
    Progress &progress)
{
    Result<WimImage> opened = openImage(src, index, progress);
    if (!opened)
        return std::move(opened).error();
    WimArchive &source = opened->archive;
    const int image = opened->index;
    wimlib_wim_info info {};
    if (Status s
        = source.check(wimlib_get_wim_info(source.get(), &info), QStringLiteral("reading"));
        !s)
        return s;
    const Result<bool> solid = isSolid(source.get(), source.path());
    if (!solid)
        return solid.error();

    int ctype = info.compression_type;
    quint32 chunk = info.chunk_size;
    const bool sourceBootable = !*solid
        && (ctype == WIMLIB_COMPRESSION_TYPE_LZX || ctype == WIMLIB_COMPRESSION_TYPE_XPRESS)
        && chunk == kBootChunkSize;
    bool recompress = false;
    int wanted = -1; // the compression to recompress to unless the source has it; -1: keep
    if (options.compression == ExportOptions::Compression::Xpress32k)
        wanted = WIMLIB_COMPRESSION_TYPE_XPRESS;
    else if (options.compression == ExportOptions::Compression::Lzx32k || *solid
        || ctype == WIMLIB_COMPRESSION_TYPE_LZMS)
        wanted = WIMLIB_COMPRESSION_TYPE_LZX;
    if (wanted >= 0 && !(sourceBootable && ctype == wanted)) {
        ctype = wanted;
        chunk = kBootChunkSize;
        recompress = true;
    }

    Result<WimArchive> created = WimArchive::createNew(ctype, progress);
    if (!created)
        return std::move(created).error();
    WimArchive &out = *created;
    if (ctype != WIMLIB_COMPRESSION_TYPE_NONE) {
        if (Status s = out.check(wimlib_set_output_chunk_size(out.get(), chunk),
                QStringLiteral("setting the chunk size for"));
            !s)
            return s;
    }
    if (Status s = source.check(wimlib_export_image(source.get(), image, out.get(), nullptr,
                                    nullptr, WIMLIB_EXPORT_FLAG_BOOT),
            QStringLiteral("exporting image %1 of").arg(image));
        !s)
        return s;

    Result<AtomicFile> file = AtomicFile::create(
        dst, options.overwrite ? AtomicFile::Overwrite::Replace : AtomicFile::Overwrite::Refuse);
    if (!file)
        return std::move(file).error();
    int flags = 0;
    if (recompress)
        flags |= WIMLIB_WRITE_FLAG_RECOMPRESS;
    if (options.integrity)
        flags |= WIMLIB_WRITE_FLAG_CHECK_INTEGRITY;
    // The progress trampoline of the new WIM reports the write; the source's reads happen
    // inside it.
    const int ret = wimlib_write_to_fd(out.get(), file->fd(), WIMLIB_ALL_IMAGES, flags, 0);
    if (ret != 0)
        return fromWimlib(ret, dst, QStringLiteral("writing"));
    if (Status s = progress.check(); !s)
        return s;
    return file->commit();
}

} // namespace pecast::wim
