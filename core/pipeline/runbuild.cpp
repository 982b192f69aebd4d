#include "pipeline/runbuild.h"

namespace pecast::pipeline {

QStringList plannedSteps(const BuildPlan &plan)
{
    QStringList steps { QStringLiteral("Checking the output"),
        QStringLiteral("Inspecting the source WIM"),
        QStringLiteral("Extracting bootmgr and boot.sdi"), QStringLiteral("Preparing the WIM"),
        QStringLiteral("Authoring \\boot\\BCD"), QStringLiteral("Creating the disk and boot code"),
        QStringLiteral("Formatting NTFS"), QStringLiteral("Copying files into NTFS") };
    if (plan.gzip)
        steps << QStringLiteral("Compressing with gzip");
    steps << QStringLiteral("Finishing the output");
    return steps;
}

Result<BuildResult> runBuild(const BuildPlan &plan, const BuildCallbacks &, std::stop_token)
{
    if (auto s = plan.validate(); !s)
        return std::move(s).error();
    return Error(Errc::Unsupported, QStringLiteral("the build pipeline is not wired up yet"));
}

} // namespace pecast::pipeline
