#pragma once

// The state the build's steps share, owned by runBuild() for one build. Members are declared in
// the order they must be destroyed last-to-first: the NTFS volume goes before the image file,
// the image file before the work directory, so an error or cancel at any point leaves no debris.

#include "disk/disklayout.h"
#include "disk/ntfsvolume.h"
#include "pipeline/buildplan.h"
#include "pipeline/buildresult.h"
#include "util/atomicfile.h"
#include "util/progress.h"

#include <QByteArray>
#include <QString>
#include <QTemporaryDir>

#include <functional>
#include <memory>
#include <optional>

namespace pecast::pipeline {

struct BuildContext
{
    BuildContext(const BuildPlan &buildPlan, Progress &buildProgress,
        std::function<void(const QString &)> log)
        : plan(buildPlan)
        , progress(buildProgress)
        , m_log(std::move(log))
    { }

    const BuildPlan &plan;
    Progress &progress;

    void log(const QString &line) const;
    void warn(const QString &warning); // records it in the result and logs "warning: ..."

    // Scratch space beside the output (same filesystem; removed whatever happens).
    std::unique_ptr<QTemporaryDir> workDir;
    QString workPath(const QString &name) const { return workDir->filePath(name); }

    // Resolved from the source.
    int imageIndex = 0;
    int sourceImageCount = 0;
    bool copyWimAsIs = false; // the source can go into the image byte for byte
    QString bootmgrFile; // local files that will be copied into the partition
    QString sdiFile;
    QString wimFile;
    QByteArray bcd; // the \boot\BCD hive

    disk::DiskLayout layout;
    quint32 diskSignature = 0;

    // The raw disk image being written: the output itself, or a work file when gzipping.
    std::optional<AtomicFile> rawImage;
    std::optional<disk::NtfsVolume> volume;
    // The gzip stream, when plan.gzip.
    std::optional<AtomicFile> gzipImage;
    QString sha256; // set by the step that already hashed every output byte, if any (gzip)

    BuildResult result;

private:
    std::function<void(const QString &)> m_log;
};

} // namespace pecast::pipeline
