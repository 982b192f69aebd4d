#include "disk/ntfsformat.h"
#include "pipeline/steps/steps.h"

namespace pecast::pipeline {

namespace {

class FormatNtfsStep : public Step
{
public:
    QString description() const override { return QStringLiteral("Formatting NTFS"); }

    Status run(BuildContext &ctx) override
    {
        if (auto s = disk::formatNtfs(
                ctx.rawImage->fd(), ctx.layout, ctx.plan.label, ctx.progress, ctx.workDir->path());
            !s)
            return std::move(s).error().context(QStringLiteral("formatting the partition"));
        if (auto s = ctx.progress.check(); !s)
            return s;
        auto volume = disk::NtfsVolume::open(
            ctx.rawImage->fd(), ctx.layout.partitionOffset(), disk::NtfsVolume::Mode::ReadWrite);
        if (!volume)
            return std::move(volume).error().context(QStringLiteral("opening the new NTFS volume"));
        ctx.volume.emplace(std::move(volume).value());
        return {};
    }
};

} // namespace

std::unique_ptr<Step> makeFormatNtfsStep()
{
    return std::make_unique<FormatNtfsStep>();
}

} // namespace pecast::pipeline
