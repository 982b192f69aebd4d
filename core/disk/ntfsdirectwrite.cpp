#include "disk/ntfsdirectwrite.h"

#include "disk/rangecopy.h"

#include <unistd.h>

#include <cerrno>
#include <memory>

namespace pecast::disk {

namespace {

// Clusters are allocated this much at a time. One ntfs_attr_truncate_solid of a whole big file
// fails on nearly-full or fragmented volumes: the allocator takes the MFT zone's clusters too,
// and then the many runs need an extent MFT record there is no room for any more. Small steps
// record the runs as they grow (like the buffered path's 1 MiB writes) and fill volumes to 98 %
// in tests. Allocation is bitmap work only: 1 GiB in 1 MiB steps takes a few milliseconds.
constexpr qint64 kAllocationStep = 1024 * 1024;

struct SearchContextDeleter
{
    void operator()(ntfs_attr_search_ctx *ctx) const { ntfs_attr_put_search_ctx(ctx); }
};

// Records initialized_size = data_size in the attribute record (the allocation leaves it at 0,
// which readers show as zeros); libntfs-3g writes the record when the inode is closed.
Status markInitialized(ntfs_attr *na, qint64 size, const QString &display)
{
    std::unique_ptr<ntfs_attr_search_ctx, SearchContextDeleter> ctx(
        ntfs_attr_get_search_ctx(na->ni, nullptr));
    if (!ctx)
        return ntfsError(errno, QStringLiteral("recording the size of %1").arg(display));
    if (ntfs_attr_lookup(na->type, na->name, na->name_len, CASE_SENSITIVE, 0, nullptr, 0, ctx.get())
        != 0)
        return ntfsError(errno, QStringLiteral("finding the data of %1").arg(display));
    ctx->attr->initialized_size = cpu_to_sle64(size);
    na->initialized_size = size;
    ntfs_inode_mark_dirty(ctx->ntfs_ino);
    return {};
}

// Zeros the bytes between the end of the data and the end of its last cluster, so the image
// holds no stale bytes there (a replaced file's clusters may be reused).
Status zeroTail(int imageFd, qint64 at, qint64 bytes)
{
    if (bytes <= 0)
        return {};
    const QByteArray zeros(int(bytes), '\0');
    return pwriteAll(imageFd, zeros.constData(), bytes, at);
}

} // namespace

bool canWriteDirect(const ntfs_attr *na)
{
    return na->type == AT_DATA && na->name_len == 0
        && !(na->data_flags & (ATTR_COMPRESSION_MASK | ATTR_IS_ENCRYPTED | ATTR_IS_SPARSE))
        && !(na->ni->flags & (FILE_ATTR_COMPRESSED | FILE_ATTR_ENCRYPTED | FILE_ATTR_SPARSE_FILE));
}

Status writeDirect(ntfs_attr *na, int sourceFd, qint64 size, int imageFd, qint64 partitionOffset,
    Progress &progress, const QString &display)
{
    const QString sizeText
        = QStringLiteral("%1 (%2 MiB)").arg(display).arg((size + (1 << 20) - 1) >> 20);
    for (qint64 allocated = na->data_size; allocated < size;) {
        if (auto s = progress.check(); !s)
            return s;
        const qint64 next = qMin(size, allocated + kAllocationStep);
        if (ntfs_attr_truncate_solid(na, next) != 0)
            return ntfsError(errno, QStringLiteral("allocating %1").arg(sizeText));
        allocated = next;
    }
    if (!NAttrNonResident(na) || na->data_size != size)
        return Error(Errc::Library,
            QStringLiteral("libntfs-3g left %1 in an unexpected state after allocating it")
                .arg(display));
    if (ntfs_attr_map_whole_runlist(na) != 0)
        return ntfsError(errno, QStringLiteral("mapping the clusters of %1").arg(display));

    const qint64 clusterSize = na->ni->vol->cluster_size;
    qint64 done = 0;
    qint64 lastClusterEnd = 0;
    for (const runlist_element *run = na->rl; run && run->length > 0 && done < size; ++run) {
        const qint64 start = run->vcn * clusterSize;
        if (run->lcn < 0 || start != done)
            return Error(Errc::Library,
                QStringLiteral("%1 has unallocated clusters after allocation (run at cluster "
                               "%2, LCN %3)")
                    .arg(display)
                    .arg(run->vcn)
                    .arg(run->lcn));
        const qint64 bytes = qMin(run->length * clusterSize, size - start);
        const qint64 target = partitionOffset + run->lcn * clusterSize;
        if (auto s = copyRange(sourceFd, start, imageFd, target, bytes, progress, done); !s) {
            if (s.error().code() == Errc::Cancelled)
                return s;
            return std::move(s).error().context(QStringLiteral("writing %1").arg(sizeText));
        }
        lastClusterEnd = target + ((bytes + clusterSize - 1) / clusterSize) * clusterSize;
        if (done == size) {
            if (auto s = zeroTail(imageFd, target + bytes, lastClusterEnd - target - bytes); !s)
                return std::move(s).error().context(QStringLiteral("writing %1").arg(sizeText));
        }
    }
    if (done != size)
        return Error(Errc::Library,
            QStringLiteral("the clusters of %1 hold %2 of its %3 bytes")
                .arg(display)
                .arg(done)
                .arg(size));
    return markInitialized(na, size, display);
}

} // namespace pecast::disk
