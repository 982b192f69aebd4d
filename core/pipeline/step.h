#pragma once

// One all-or-nothing piece of the build (kpmcore's Job): a description for people and run().
// A step reports through ctx.progress, checks ctx.progress.check() between chunks, and leaves
// whatever it created owned by the context, so a failure anywhere cleans up in one place.

#include "pipeline/buildcontext.h"
#include "util/error.h"

#include <QString>

#include <memory>
#include <vector>

namespace pecast::pipeline {

class Step
{
public:
    virtual ~Step() = default;
    virtual QString description() const = 0;
    virtual Status run(BuildContext &ctx) = 0;
};

// The steps for a plan, in order (steps/*.cpp each define one).
std::vector<std::unique_ptr<Step>> makeSteps(const BuildPlan &plan);

} // namespace pecast::pipeline
