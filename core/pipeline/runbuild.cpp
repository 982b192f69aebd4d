#include "pipeline/runbuild.h"

#include "pipeline/buildcontext.h"
#include "pipeline/step.h"
#include "pipeline/steps/steps.h"

#include <QElapsedTimer>

namespace pecast::pipeline {

std::vector<std::unique_ptr<Step>> makeSteps(const BuildPlan &plan)
{
    std::vector<std::unique_ptr<Step>> steps;
    steps.push_back(makeCheckOutputStep());
    steps.push_back(makeInspectSourceStep());
    steps.push_back(makeExtractBootFilesStep());
    steps.push_back(makePrepareWimStep());
    steps.push_back(makeAuthorBcdStep());
    steps.push_back(makeCreateDiskStep());
    steps.push_back(makeFormatNtfsStep());
    steps.push_back(makeCopyFilesStep());
    if (plan.gzip)
        steps.push_back(makeGzipStep());
    steps.push_back(makeFinalizeStep());
    return steps;
}

QStringList plannedSteps(const BuildPlan &plan)
{
    QStringList descriptions;
    for (const auto &step : makeSteps(plan))
        descriptions << step->description();
    return descriptions;
}

Result<BuildResult> runBuild(
    const BuildPlan &plan, const BuildCallbacks &callbacks, std::stop_token stop)
{
    Progress progress(callbacks.progress, stop);
    BuildContext ctx(plan, progress, callbacks.log);
    const auto steps = makeSteps(plan);
    const int count = int(steps.size());
    for (int i = 0; i < count; ++i) {
        Step &step = *steps[size_t(i)];
        if (callbacks.stepStarted)
            callbacks.stepStarted(i, count, step.description());
        progress.beginStage(step.description());
        QElapsedTimer timer;
        timer.start();
        Status status = progress.check();
        if (status)
            status = step.run(ctx);
        ctx.result.timings.append({ step.description(), timer.elapsed() });
        if (!status) {
            Error error = std::move(status).error();
            if (!error.isCancelled())
                error.context(QStringLiteral("building %1").arg(plan.outputPath));
            ctx.log(error.isCancelled() ? QStringLiteral("Cancelled; nothing was written")
                                        : QStringLiteral("Failed: %1").arg(error.toString()));
            return error; // ctx's destructor removes every temporary file
        }
    }
    return std::move(ctx.result);
}

} // namespace pecast::pipeline
