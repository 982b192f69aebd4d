#pragma once

// Where a fetch client puts blocks: an AtomicFile written at absolute offsets (or nothing, for
// benchmarks), plus the bitmap of received blocks that the protocols' NACK/ACK rules read.

#include "util/atomicfile.h"
#include "util/error.h"

#include <QString>

#include <cstdint>
#include <optional>
#include <random>
#include <vector>

namespace pecast::serve {

class FetchOutput
{
public:
    // Fails early when the target exists and `force` is not set.
    static Result<FetchOutput> create(const QString &path, bool force);

    // Sets the file size and block count. Received blocks are forgotten when `reset` is true
    // (a SLAM header change) and kept otherwise (a TFTP bitmap growing).
    Status setLayout(qint64 size, qint64 blockSize, qint64 numBlocks, bool reset);
    Status writeBlock(qint64 block, const char *data, qint64 length);
    // Like writeBlock, without marking anything (TFTP without tsize writes before it knows).
    bool has(qint64 block) const { return block < qint64(m_bitmap.size()) && m_bitmap[block]; }
    void mark(qint64 block);
    qint64 firstGap() const; // first missing block, numBlocks() when complete
    bool complete() const { return m_held == qint64(m_bitmap.size()); }
    qint64 numBlocks() const { return qint64(m_bitmap.size()); }
    qint64 held() const { return m_held; }
    qint64 size() const { return m_size; }
    Status commit();

private:
    std::optional<AtomicFile> m_file;
    std::vector<quint8> m_bitmap;
    qint64 m_held = 0;
    mutable qint64 m_gapHint = 0; // no gap below this block
    qint64 m_size = 0;
    qint64 m_blockSize = 0;
};

// Drops a given percentage of datagrams, reproducibly.
class LossInjector
{
public:
    LossInjector(double percent, std::uint64_t seed)
        : m_threshold(percent / 100.0)
        , m_random(seed)
    { }
    bool drop()
    {
        if (m_threshold <= 0)
            return false;
        const bool lost = m_uniform(m_random) < m_threshold;
        m_dropped += lost;
        return lost;
    }
    quint64 dropped() const { return m_dropped; }

private:
    double m_threshold;
    std::mt19937_64 m_random;
    std::uniform_real_distribution<double> m_uniform { 0.0, 1.0 };
    quint64 m_dropped = 0;
};

} // namespace pecast::serve
