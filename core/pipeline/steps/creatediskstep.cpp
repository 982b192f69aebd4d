#include "disk/grubbootcode.h"
#include "disk/sizeplan.h"
#include "pipeline/steps/steps.h"

#include <QFileInfo>

namespace pecast::pipeline {

namespace {

class CreateDiskStep : public Step
{
public:
    QString description() const override
    {
        return QStringLiteral("Creating the disk and boot code");
    }

    Status run(BuildContext &ctx) override
    {
        const QList<qint64> sizes { QFileInfo(ctx.bootmgrFile).size(), qint64(ctx.bcd.size()),
            QFileInfo(ctx.sdiFile).size(), QFileInfo(ctx.wimFile).size() };
        auto size = disk::planImageSize(sizes, ctx.plan.sizeBytes);
        if (!size)
            return std::move(size).error().context(QStringLiteral("sizing the image"));
        auto layout = disk::planLayout(size->diskBytes, ctx.diskSignature);
        if (!layout)
            return std::move(layout).error().context(QStringLiteral("planning the partition"));
        ctx.layout = *layout;
        ctx.log(QStringLiteral("Disk: %1 MiB (files %2 MiB, NTFS overhead %3 MiB, headroom %4 MiB)")
                    .arg(double(size->diskBytes) / (1 << 20), 0, 'f', 1)
                    .arg(double(size->contentBytes) / (1 << 20), 0, 'f', 1)
                    .arg(double(size->overheadBytes) / (1 << 20), 0, 'f', 1)
                    .arg(double(size->headroomBytes) / (1 << 20), 0, 'f', 1));

        // GRUB first: a missing grub-pc-bin fails before a big file is created.
        auto grub = disk::GrubBootCode::build(ctx.progress);
        if (!grub)
            return std::move(grub).error().context(QStringLiteral("preparing the GRUB boot code"));

        const QString target
            = ctx.plan.gzip ? ctx.workPath(QStringLiteral("disk.img")) : ctx.plan.outputPath;
        auto file = AtomicFile::create(target,
            ctx.plan.overwrite ? AtomicFile::Overwrite::Replace : AtomicFile::Overwrite::Refuse);
        if (!file)
            return std::move(file).error();
        ctx.rawImage.emplace(std::move(file).value());
        if (auto s = ctx.rawImage->resize(ctx.layout.diskBytes); !s)
            return s;
        if (auto s = disk::writeBootCode(ctx.rawImage->fd(), ctx.layout, *grub); !s)
            return std::move(s).error().context(QStringLiteral("writing the boot code"));
        return ctx.progress.check();
    }
};

} // namespace

std::unique_ptr<Step> makeCreateDiskStep()
{
    return std::make_unique<CreateDiskStep>();
}

} // namespace pecast::pipeline
