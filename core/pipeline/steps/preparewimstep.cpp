#include "pipeline/steps/steps.h"
#include "wim/wimexport.h"

namespace pecast::pipeline {

namespace {

class PrepareWimStep : public Step
{
public:
    QString description() const override { return QStringLiteral("Preparing the WIM"); }

    Status run(BuildContext &ctx) override
    {
        if (ctx.copyWimAsIs) {
            ctx.wimFile = ctx.plan.wimPath;
            ctx.log(QStringLiteral("The source holds just the boot image: it is copied as-is"));
            return ctx.progress.check();
        }
        wim::ExportOptions options;
        options.compression = ctx.plan.recompress ? wim::ExportOptions::Compression::Lzx32k
                                                  : wim::ExportOptions::Compression::Keep;
        const QString out = ctx.workPath(QStringLiteral("winpe.wim"));
        ctx.log(
            QStringLiteral("Exporting image %1 alone%2")
                .arg(ctx.imageIndex)
                .arg(ctx.plan.recompress ? QStringLiteral(", recompressed to LZX") : QString()));
        if (auto s = wim::exportImage(ctx.plan.wimPath, ctx.imageIndex, out, options, ctx.progress);
            !s)
            return std::move(s).error().context(QStringLiteral("exporting image %1 of %2")
                                                    .arg(ctx.imageIndex)
                                                    .arg(ctx.plan.wimPath));
        ctx.wimFile = out;
        return {};
    }
};

} // namespace

std::unique_ptr<Step> makePrepareWimStep()
{
    return std::make_unique<PrepareWimStep>();
}

} // namespace pecast::pipeline
