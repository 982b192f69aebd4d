#include "serve/fetchoutput.h"

namespace pecast::serve {

Result<FetchOutput> FetchOutput::create(const QString &path, bool force)
{
    FetchOutput out;
    if (!path.isEmpty()) {
        auto file = AtomicFile::create(
            path, force ? AtomicFile::Overwrite::Replace : AtomicFile::Overwrite::Refuse);
        if (!file)
            return std::move(file).error();
        out.m_file.emplace(std::move(*file));
    }
    return out;
}

Status FetchOutput::setLayout(qint64 size, qint64 blockSize, qint64 numBlocks, bool reset)
{
    m_size = size;
    m_blockSize = blockSize;
    if (reset) {
        m_bitmap.assign(size_t(numBlocks), 0);
        m_held = 0;
        m_gapHint = 0;
    } else {
        m_bitmap.resize(size_t(numBlocks), 0);
    }
    if (m_file)
        return m_file->resize(size);
    return {};
}

Status FetchOutput::writeBlock(qint64 block, const char *data, qint64 length)
{
    if (m_file && length > 0) {
        if (auto s = m_file->pwrite(data, length, block * m_blockSize); !s)
            return s;
    }
    mark(block);
    return {};
}

void FetchOutput::mark(qint64 block)
{
    if (block < 0 || block >= qint64(m_bitmap.size()) || m_bitmap[block])
        return;
    m_bitmap[block] = 1;
    ++m_held;
}

qint64 FetchOutput::firstGap() const
{
    const qint64 n = qint64(m_bitmap.size());
    while (m_gapHint < n && m_bitmap[m_gapHint])
        ++m_gapHint;
    return m_gapHint;
}

Status FetchOutput::commit()
{
    if (!m_file)
        return {};
    // A file grown by writes past a sparse size must end exactly at the transfer size.
    if (auto s = m_file->resize(m_size); !s)
        return s;
    return m_file->commit();
}

} // namespace pecast::serve
