#include "pipeline/steps/steps.h"

#include <QDir>
#include <QFileInfo>

namespace pecast::pipeline {

namespace {

class CheckOutputStep : public Step
{
public:
    QString description() const override { return QStringLiteral("Checking the output"); }

    Status run(BuildContext &ctx) override
    {
        if (auto s = ctx.plan.validate(); !s)
            return s;
        const QFileInfo out(ctx.plan.outputPath);
        if (out.isDir())
            return Error(
                Errc::InvalidInput, QStringLiteral("%1 is a directory").arg(out.filePath()))
                .withHint(QStringLiteral("Give a file name for the output image."));
        if (out.exists() && !ctx.plan.overwrite)
            return Error(Errc::Exists, QStringLiteral("%1 already exists").arg(out.filePath()))
                .withHint(QStringLiteral("Choose another name, or use --force to replace it."));
        const QString dir = out.absolutePath();
        if (!QFileInfo(dir).isDir())
            return Error(
                Errc::NotFound, QStringLiteral("output directory %1 does not exist").arg(dir))
                .withHint(QStringLiteral("Create the directory first."));
        if (QFileInfo(ctx.plan.wimPath).absoluteFilePath() == out.absoluteFilePath())
            return Error(
                Errc::InvalidInput, QStringLiteral("the output would replace the source WIM"));

        // Work files (extracted boot files, the exported WIM, the raw image before gzip) live
        // beside the output: same filesystem, so nothing is copied across devices, and a
        // directory that refuses them refuses the output too, before any long work.
        auto work = std::make_unique<QTemporaryDir>(
            QDir(dir).filePath(QStringLiteral(".%1.pecast-work-XXXXXX").arg(out.fileName())));
        if (!work->isValid())
            return Error(Errc::Io,
                QStringLiteral("cannot create a work directory in %1: %2")
                    .arg(dir, work->errorString()))
                .withHint(
                    QStringLiteral("Check that the output directory is writable and not full."));
        work->setAutoRemove(true);
        ctx.workDir = std::move(work);
        ctx.log(QStringLiteral("Output: %1").arg(out.absoluteFilePath()));
        return {};
    }
};

} // namespace

std::unique_ptr<Step> makeCheckOutputStep()
{
    return std::make_unique<CheckOutputStep>();
}

} // namespace pecast::pipeline
