#pragma once

// Builds a fresh PEcast image file in one place for the pipeline: an AtomicFile beside the
// target, sized sparsely to the layout, the MBR + GRUB boot code, an NTFS partition, and the
// volume opened read-write for the caller to fill. commit() unmounts and renames into place;
// destroying an uncommitted writer leaves nothing behind.
//
//   auto grub = GrubBootCode::build(progress);
//   auto layout = planLayout(sizePlan.diskBytes);
//   auto writer = ImageWriter::create(out, *layout, *grub, "PECAST", Overwrite::Refuse, progress);
//   writer->volume().writeFile("/bootmgr", bootmgrPath, progress); ...
//   writer->commit();

#include "disk/disklayout.h"
#include "disk/grubbootcode.h"
#include "disk/ntfsvolume.h"
#include "util/atomicfile.h"
#include "util/error.h"
#include "util/progress.h"

#include <QString>

#include <optional>

namespace pecast::disk {

class ImageWriter
{
public:
    static Result<ImageWriter> create(const QString &target, const DiskLayout &layout,
        const GrubBootCode &bootCode, const QString &label, AtomicFile::Overwrite overwrite,
        Progress &progress);

    ImageWriter(ImageWriter &&) noexcept = default;
    ImageWriter(const ImageWriter &) = delete;
    ~ImageWriter();

    NtfsVolume &volume() { return *m_volume; }
    const DiskLayout &layout() const { return m_layout; }
    const QString &tempPath() const { return m_file.tempPath(); }

    // Unmounts the volume, then fsyncs and renames the image into place.
    Status commit();

private:
    ImageWriter(AtomicFile file, DiskLayout layout, NtfsVolume volume);

    AtomicFile m_file;
    DiskLayout m_layout;
    std::optional<NtfsVolume> m_volume;
};

} // namespace pecast::disk
