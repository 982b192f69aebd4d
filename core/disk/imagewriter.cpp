#include "disk/imagewriter.h"

#include "disk/logging.h"
#include "disk/ntfsformat.h"

namespace pecast::disk {

ImageWriter::ImageWriter(AtomicFile file, DiskLayout layout, NtfsVolume volume)
    : m_file(std::move(file))
    , m_layout(layout)
    , m_volume(std::move(volume))
{ }

ImageWriter::~ImageWriter()
{
    // Uncommitted: unmount quietly, then the AtomicFile removes the temporary image.
    if (m_volume && m_volume->isOpen()) {
        if (auto s = m_volume->close(); !s)
            qCDebug(lcDisk) << "closing an abandoned image:" << s.error().toString();
    }
}

Result<ImageWriter> ImageWriter::create(const QString &target, const DiskLayout &layout,
    const GrubBootCode &bootCode, const QString &label, AtomicFile::Overwrite overwrite,
    Progress &progress)
{
    auto file = AtomicFile::create(target, overwrite);
    if (!file)
        return std::move(file).error();
    const QString what = QStringLiteral("creating image %1").arg(target);
    if (auto s = file->resize(layout.diskBytes); !s)
        return std::move(s).error().context(what);
    if (auto s = bootCode.writeTo(file->fd(), layout); !s)
        return std::move(s).error().context(what);
    if (auto s = formatNtfs(file->fd(), layout, label, progress); !s)
        return std::move(s).error().context(what);
    auto volume
        = NtfsVolume::open(file->fd(), layout.partitionOffset(), NtfsVolume::Mode::ReadWrite);
    if (!volume)
        return std::move(volume).error().context(what);
    return ImageWriter(std::move(file).value(), layout, std::move(volume).value());
}

Status ImageWriter::commit()
{
    if (m_volume) {
        if (auto s = m_volume->close(); !s)
            return s;
    }
    return m_file.commit();
}

} // namespace pecast::disk
