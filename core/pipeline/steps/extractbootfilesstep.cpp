#include "pipeline/steps/steps.h"
#include "wim/bootfiles.h"
#include "wim/wiminfo.h"

#include <QFileInfo>

namespace pecast::pipeline {

namespace {

class ExtractBootFilesStep : public Step
{
public:
    QString description() const override
    {
        return QStringLiteral("Extracting bootmgr and boot.sdi");
    }

    Status run(BuildContext &ctx) override
    {
        const BuildPlan &plan = ctx.plan;
        ctx.bootmgrFile = plan.bootmgrPath;
        ctx.sdiFile = plan.sdiPath;
        if (ctx.bootmgrFile.isEmpty() || ctx.sdiFile.isEmpty()) {
            auto files = wim::extractBootFiles(
                plan.wimPath, ctx.imageIndex, ctx.workPath(QStringLiteral("boot")), ctx.progress);
            if (!files)
                return std::move(files).error().context(
                    QStringLiteral("taking the boot files from image %1").arg(ctx.imageIndex));
            const wim::BootFile *bootmgr = files->find(QStringLiteral("bootmgr"));
            const wim::BootFile *sdi = files->find(QStringLiteral("bootsdi"));
            if (ctx.bootmgrFile.isEmpty() && bootmgr)
                ctx.bootmgrFile = bootmgr->outputPath;
            if (ctx.sdiFile.isEmpty() && sdi)
                ctx.sdiFile = sdi->outputPath;
        }
        if (ctx.bootmgrFile.isEmpty() || ctx.sdiFile.isEmpty())
            return Error(Errc::NotFound, QStringLiteral("bootmgr or boot.sdi is missing"))
                .withHint(QStringLiteral("Give them with --bootmgr and --sdi."));
        if (auto s = ctx.progress.check(); !s)
            return s;

        const qint64 bootmgrSize = QFileInfo(ctx.bootmgrFile).size();
        ctx.log(QStringLiteral("bootmgr: %1 (%2 bytes)").arg(ctx.bootmgrFile).arg(bootmgrSize));
        ctx.log(QStringLiteral("boot.sdi: %1 (%2 bytes)")
                    .arg(ctx.sdiFile)
                    .arg(QFileInfo(ctx.sdiFile).size()));
        if (bootmgrSize > wim::kMaxSafeBootmgrSize)
            ctx.warn(QStringLiteral("bootmgr is %1 KiB; under memdisk only about %2 KiB fit below "
                                    "640 KiB, so it may hang at boot")
                         .arg((bootmgrSize + 1023) / 1024)
                         .arg(wim::kMaxSafeBootmgrSize / 1024));
        if (bootmgrSize == 0)
            return Error(
                Errc::InvalidInput, QStringLiteral("bootmgr %1 is empty").arg(ctx.bootmgrFile));
        return {};
    }
};

} // namespace

std::unique_ptr<Step> makeExtractBootFilesStep()
{
    return std::make_unique<ExtractBootFilesStep>();
}

} // namespace pecast::pipeline
