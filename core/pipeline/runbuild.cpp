#include "pipeline/runbuild.h"

#include "pipeline/buildcontext.h"
#include "pipeline/step.h"
#include "pipeline/steps/steps.h"

#include <QElapsedTimer>
#include <QFileInfo>

#include <sys/statvfs.h>

namespace pecast::pipeline {

namespace {

// Below this much free space, a "no space" failure is blamed on the host filesystem rather than
// on the image: a write of one 1 MiB chunk failed, so less than a few chunks can be left.
constexpr qint64 kHostFullBytes = 4 * 1024 * 1024;

// libntfs-3g reports a full host filesystem (ENOSPC from the image file) the same way as a full
// NTFS volume; tell the user which one it was.
Error explainNoSpace(Error error, const QString &outputPath)
{
    const QString dir = QFileInfo(outputPath).absolutePath();
    struct statvfs fs = {};
    if (::statvfs(QFile::encodeName(dir).constData(), &fs) != 0
        || qint64(fs.f_bavail) * qint64(fs.f_frsize) >= kHostFullBytes)
        return error;
    return Error(Errc::NoSpace,
        QStringLiteral("No space left on the filesystem holding %1 (%2)")
            .arg(dir, error.toString()))
        .withHint(QStringLiteral("Free some space there, or write the image to another disk."));
}

} // namespace

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
            if (error.code() == Errc::NoSpace)
                error = explainNoSpace(std::move(error), plan.outputPath);
            if (!error.isCancelled())
                error.context(QStringLiteral("building %1").arg(plan.outputPath));
            ctx.log(error.isCancelled() ? QStringLiteral("Cancelled; nothing was written")
                                        : QStringLiteral("Failed: %1").arg(error.toString()));
            if (ctx.volume) {
                // Unmount before the image file goes away; its own error adds nothing here.
                (void)ctx.volume->close(disk::NtfsVolume::Sync::PageCacheOnly); // deleted next
                ctx.volume.reset();
            }
            return error; // ctx's destructor removes every temporary file
        }
    }
    return std::move(ctx.result);
}

} // namespace pecast::pipeline
