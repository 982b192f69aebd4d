#include "pipeline/steps/steps.h"
#include "wim/wiminspect.h"

#include <QFileInfo>

namespace pecast::pipeline {

namespace {

class InspectSourceStep : public Step
{
public:
    QString description() const override { return QStringLiteral("Inspecting the source WIM"); }

    Status run(BuildContext &ctx) override
    {
        const BuildPlan &plan = ctx.plan;
        for (const QString &file : { plan.bootmgrPath, plan.sdiPath }) {
            if (!file.isEmpty() && !QFileInfo(file).isFile())
                return Error(Errc::NotFound, QStringLiteral("%1 does not exist").arg(file));
        }
        auto info = wim::inspectWim(plan.wimPath, ctx.progress);
        if (!info)
            return std::move(info).error();

        int index = plan.imageIndex;
        if (index == 0)
            index = info->bootIndex > 0 ? info->bootIndex : 1;
        const wim::WimImageInfo *image = info->image(index);
        if (!image)
            return Error(Errc::NotFound,
                QStringLiteral("%1 has no image %2 (it has %3)")
                    .arg(plan.wimPath)
                    .arg(index)
                    .arg(info->imageCount))
                .withHint(
                    QStringLiteral("Pick an index with --index; `pecast wim info` lists them."));
        ctx.imageIndex = index;
        ctx.sourceImageCount = info->imageCount;
        ctx.log(QStringLiteral("Image %1 of %2: %3 (%4, %5)")
                    .arg(index)
                    .arg(info->imageCount)
                    .arg(image->name, image->arch, info->compression));

        // What would stop a RAM-disk boot, minus what the user supplies or the export fixes.
        QStringList blockers;
        if (!image->boot.hasWinload)
            blockers << QStringLiteral("the image has no \\Windows\\System32\\boot\\winload.exe");
        if (!image->boot.hasBootmgr && plan.bootmgrPath.isEmpty())
            blockers << QStringLiteral("the image has no bootmgr (give one with --bootmgr)");
        if (!image->boot.hasBootSdi && plan.sdiPath.isEmpty())
            blockers << QStringLiteral("the image has no boot.sdi (give one with --sdi)");
        if (image->arch != QLatin1String("x86") && image->arch != QLatin1String("x64")
            && image->arch != QLatin1String("unknown"))
            blockers << QStringLiteral("the image is %1; BIOS memdisk boots only x86/x64")
                            .arg(image->arch);
        if (!blockers.isEmpty()) {
            if (!plan.allowNonBootable)
                return Error(Errc::InvalidInput,
                    QStringLiteral("image %1 of %2 does not look bootable: %3")
                        .arg(index)
                        .arg(plan.wimPath, blockers.join(QStringLiteral("; "))))
                    .withHint(QStringLiteral("Use --force to build it anyway."));
            for (const QString &b : blockers)
                ctx.warn(QStringLiteral("building anyway (--force): %1").arg(b));
        }
        for (const QString &w : image->boot.warnings)
            ctx.warn(w);

        // Copy the source byte for byte when it already is what we would export: one image,
        // the boot index, bootable compression, one part. Otherwise export the image alone.
        ctx.copyWimAsIs = info->imageCount == 1 && info->bootIndex == 1 && info->compressionBootable
            && !info->solid && info->totalParts == 1 && !plan.recompress;
        if (info->solid && !plan.recompress)
            ctx.log(QStringLiteral("The source is solid (%1): bootmgr cannot read it, so the image "
                                   "is recompressed to LZX")
                        .arg(info->solidCompression));
        return {};
    }
};

} // namespace

std::unique_ptr<Step> makeInspectSourceStep()
{
    return std::make_unique<InspectSourceStep>();
}

} // namespace pecast::pipeline
