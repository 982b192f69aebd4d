#include "diskimagebuilder.h"

#include "bcd/bcdstore.h"
#include "bcd/winpestore.h"
#include "disk/imagewriter.h"

#include <QFile>

namespace pecast::test {

QString buildDiskImage(const QString &imagePath, qint64 diskBytes,
    const QList<DiskImageFile> &files, quint32 signature)
{
    Progress progress;
    auto grub = disk::GrubBootCode::build(progress);
    if (!grub)
        return grub.error().toString();
    auto layout = disk::planLayout(diskBytes, signature);
    if (!layout)
        return layout.error().toString();
    auto writer = disk::ImageWriter::create(imagePath, *layout, *grub, QStringLiteral("PECAST"),
        AtomicFile::Overwrite::Replace, progress);
    if (!writer)
        return writer.error().toString();
    for (const DiskImageFile &file : files) {
        Status s = file.sourceFile.isEmpty()
            ? writer->volume().writeFile(file.path, file.data)
            : writer->volume().writeFile(file.path, file.sourceFile, progress);
        if (!s)
            return s.error().toString();
        if (file.attributes) {
            if (auto a = writer->volume().setAttributes(file.path, file.attributes); !a)
                return a.error().toString();
        }
    }
    if (auto s = writer->commit(); !s)
        return s.error().toString();
    return {};
}

QByteArray winPeBcd()
{
    auto store = bcd::makeWinPeStore(bcd::WinPeStoreOptions {});
    if (!store)
        return {};
    auto bytes = bcd::writeStore(*store);
    return bytes ? *bytes : QByteArray();
}

bool extractRange(const QString &imagePath, qint64 offset, qint64 size, const QString &outPath)
{
    QFile in(imagePath);
    QFile out(outPath);
    if (!in.open(QIODevice::ReadOnly) || !out.open(QIODevice::WriteOnly) || !in.seek(offset))
        return false;
    constexpr qint64 kChunk = 1024 * 1024;
    qint64 left = size;
    while (left > 0) {
        const QByteArray chunk = in.read(qMin(kChunk, left));
        if (chunk.isEmpty())
            return false;
        // Keep the copy sparse where the image is: skip writing all-zero chunks.
        if (chunk.count('\0') == chunk.size()) {
            if (!out.seek(out.pos() + chunk.size()))
                return false;
        } else if (out.write(chunk) != chunk.size()) {
            return false;
        }
        left -= chunk.size();
    }
    return out.resize(size);
}

bool patchFile(const QString &path, qint64 offset, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::ReadWrite) && file.seek(offset)
        && file.write(bytes) == bytes.size();
}

} // namespace pecast::test
