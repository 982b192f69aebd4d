#pragma once

// The synchronous build: runs the plan's steps in order on the calling thread. The CLI calls it
// directly, BuildRunner calls it on a worker thread. Every output appears atomically: on error
// or cancel, nothing is left under the target name and no temporary file remains.

#include "pipeline/buildplan.h"
#include "pipeline/buildresult.h"
#include "util/error.h"
#include "util/progress.h"

#include <QString>

#include <functional>
#include <stop_token>

namespace pecast::pipeline {

struct BuildCallbacks
{
    // A step begins: index 0..count-1, its description ("Writing files into NTFS").
    std::function<void(int index, int count, const QString &description)> stepStarted;
    // Bytes or items done within the current step (throttled to ~10/s; stage ends always pass).
    Progress::Callback progress;
    // A line for the user's log (also every warning, prefixed "warning: ").
    std::function<void(const QString &line)> log;
};

Result<BuildResult> runBuild(
    const BuildPlan &plan, const BuildCallbacks &callbacks, std::stop_token stop = {});

// The descriptions of the steps runBuild() will run for this plan, in order.
QStringList plannedSteps(const BuildPlan &plan);

} // namespace pecast::pipeline
