#include "pipeline/outputdigest.h"
#include "pipeline/steps/steps.h"

#include <QFileInfo>

namespace pecast::pipeline {

namespace {

class FinalizeStep : public Step
{
public:
    QString description() const override { return QStringLiteral("Finishing the output"); }

    Status run(BuildContext &ctx) override
    {
        AtomicFile &out = ctx.plan.gzip ? *ctx.gzipImage : *ctx.rawImage;
        if (ctx.sha256.isEmpty() && ctx.plan.sha256) {
            auto digest = digestAndSync(out.fd(), out.targetPath(), ctx.progress);
            if (!digest)
                return std::move(digest).error();
            ctx.sha256 = *digest;
        }
        if (auto s = ctx.progress.check(); !s)
            return s;
        const qint64 size = QFileInfo(out.tempPath()).size();
        // The point of no return: fsync, rename into place, fsync the directory.
        if (auto s = out.commit(); !s)
            return s;

        BuildResult &r = ctx.result;
        r.outputPath = QFileInfo(ctx.plan.outputPath).absoluteFilePath();
        r.sizeBytes = size;
        r.diskSizeBytes = ctx.layout.diskBytes;
        r.sha256 = ctx.sha256;
        r.diskSignature = ctx.layout.signature;
        r.partitionOffset = ctx.layout.partitionOffset();
        r.partitionSize = ctx.layout.partitionBytes();
        r.layout = ctx.plan.layout;
        r.bcdDevice = ctx.plan.bcdDevice;
        r.gzip = ctx.plan.gzip;
        r.imageIndex = ctx.imageIndex;
        r.wimCopiedAsIs = ctx.copyWimAsIs;
        ctx.log(QStringLiteral("Wrote %1 (%2 bytes)").arg(r.outputPath).arg(size));
        return {};
    }
};

} // namespace

std::unique_ptr<Step> makeFinalizeStep()
{
    return std::make_unique<FinalizeStep>();
}

} // namespace pecast::pipeline
