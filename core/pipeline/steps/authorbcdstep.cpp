#include "bcd/bcdstore.h"
#include "bcd/winpestore.h"
#include "disk/disklayout.h"
#include "pipeline/steps/steps.h"

#include <QRandomGenerator>

namespace pecast::pipeline {

namespace {

class AuthorBcdStep : public Step
{
public:
    QString description() const override { return QStringLiteral("Authoring \\boot\\BCD"); }

    Status run(BuildContext &ctx) override
    {
        ctx.progress.beginStage(description());
        // The signature is chosen now because a partition-mode BCD names it.
        quint32 signature = ctx.plan.diskSignature.value_or(0);
        while (signature == 0)
            signature = QRandomGenerator::system()->generate();
        ctx.diskSignature = signature;

        const LayoutPaths paths = layoutPaths(ctx.plan.layout);
        bcd::WinPeStoreOptions options;
        options.device = ctx.plan.bcdDevice == BcdDevice::Partition ? bcd::DeviceMode::Partition
                                                                    : bcd::DeviceMode::Boot;
        options.diskSignature = signature;
        options.partitionOffset = quint64(disk::kPartitionStartLba) * disk::kSectorSize;
        options.wimPath = paths.wim;
        options.sdiPath = paths.sdi;
        options.description = ctx.plan.description;
        options.timeout = ctx.plan.bcdTimeoutSeconds;
        auto store = bcd::makeWinPeStore(options);
        if (!store)
            return std::move(store).error().context(QStringLiteral("creating the BCD store"));
        auto hive = bcd::writeStore(*store);
        if (!hive)
            return std::move(hive).error().context(QStringLiteral("writing the BCD hive"));
        ctx.bcd = std::move(hive).value();
        ctx.log(QStringLiteral("BCD: device %1, disk signature %2, %3 bytes")
                    .arg(bcdDeviceName(ctx.plan.bcdDevice))
                    .arg(signature, 8, 16, QLatin1Char('0'))
                    .arg(ctx.bcd.size()));
        return ctx.progress.check();
    }
};

} // namespace

std::unique_ptr<Step> makeAuthorBcdStep()
{
    return std::make_unique<AuthorBcdStep>();
}

} // namespace pecast::pipeline
