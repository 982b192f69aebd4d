#include "pipeline/steps/steps.h"
#include "pipeline/writeback.h"

#include <QFileInfo>

#include <optional>

namespace pecast::pipeline {

namespace {

// The original recipe makes \bootmgr system + hidden + read-only, as Windows setup does.
constexpr quint32 kBootmgrAttributes
    = disk::AttrReadOnly | disk::AttrHidden | disk::AttrSystem | disk::AttrArchive;

class CopyFilesStep : public Step
{
public:
    QString description() const override { return QStringLiteral("Copying files into NTFS"); }

    Status run(BuildContext &ctx) override
    {
        const LayoutPaths paths = layoutPaths(ctx.plan.layout);
        struct Item
        {
            QString path;
            QString source;
        };
        const QList<Item> items { { paths.bootmgr, ctx.bootmgrFile }, { paths.sdi, ctx.sdiFile },
            { paths.wim, ctx.wimFile } };
        qint64 total = ctx.bcd.size();
        for (const Item &item : items)
            total += QFileInfo(item.source).size();

        disk::NtfsVolume &volume = *ctx.volume;
        ctx.progress.beginStage(description(), total);
        // The disk writes while we copy, so the final fsync only waits for the tail. A raw image
        // that is gzipped next is a work file: it never needs to reach the disk.
        std::optional<Writeback> writeback;
        if (!ctx.plan.gzip)
            writeback.emplace(ctx.rawImage->fd());
        if (auto s = volume.makeDirectories(QStringLiteral("/boot")); !s)
            return s;
        if (auto s = volume.writeFile(paths.bcd, ctx.bcd); !s)
            return std::move(s).error().context(QStringLiteral("writing %1").arg(paths.bcd));
        qint64 base = ctx.bcd.size();
        ctx.progress.update(base, paths.bcd);
        for (const Item &item : items) {
            // Per-file progress from NtfsVolume, mapped onto the step's byte total.
            Progress fileProgress(
                [&ctx, &base, &item](const ProgressEvent &e) {
                    ctx.progress.update(base + qMax<qint64>(e.done, 0), item.path);
                },
                ctx.progress.stopToken());
            if (auto s = volume.writeFile(item.path, item.source, fileProgress); !s)
                return std::move(s).error().context(QStringLiteral("writing %1").arg(item.path));
            base += QFileInfo(item.source).size();
            ctx.progress.update(base, item.path);
        }
        if (auto s = volume.setAttributes(paths.bootmgr, kBootmgrAttributes); !s)
            return s;
        // Unmount now: this flushes the MFT and bitmaps into the image before it is hashed or
        // gzipped. Its fsync is the one in FinalizeStep (AtomicFile::commit, or alongside the
        // digest), so it is not done twice, and never for a work file.
        Status closed = volume.close(disk::NtfsVolume::Sync::PageCacheOnly);
        ctx.volume.reset();
        if (!closed)
            return std::move(closed).error().context(QStringLiteral("closing the NTFS volume"));
        return ctx.progress.check();
    }
};

} // namespace

std::unique_ptr<Step> makeCopyFilesStep()
{
    return std::make_unique<CopyFilesStep>();
}

} // namespace pecast::pipeline
