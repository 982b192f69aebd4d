#include "serve/slamcodec.h"

#include <bit>

namespace pecast::serve::slam {

void appendInt(QByteArray &out, std::uint64_t value)
{
    const int bits = value ? std::bit_width(value) : 0;
    const int length = std::max(1, (bits + 3 + 7) / 8);
    const auto start = out.size();
    for (int i = length - 1; i >= 0; --i)
        out.append(char((value >> (8 * i)) & 0xFF));
    out[start] = char(quint8(out[start]) | quint8(length << 5));
}

QByteArray encodeInt(std::uint64_t value)
{
    QByteArray out;
    appendInt(out, value);
    return out;
}

std::optional<std::uint64_t> decodeInt(const char *data, int size, int &pos)
{
    if (pos >= size)
        return std::nullopt;
    const auto first = quint8(data[pos]);
    const int length = first >> 5;
    if (length == 0 || pos + length > size)
        return std::nullopt;
    std::uint64_t value = first & 0x1F;
    for (int i = 1; i < length; ++i)
        value = (value << 8) | quint8(data[pos + i]);
    pos += length;
    return value;
}

QByteArray encodeHeader(std::uint64_t transactionId, std::uint64_t totalBytes, int blockSize)
{
    QByteArray out;
    appendInt(out, transactionId);
    appendInt(out, totalBytes);
    appendInt(out, std::uint64_t(blockSize));
    return out;
}

std::optional<Header> decodeHeader(const char *data, int size)
{
    int pos = 0;
    Header header;
    const auto txid = decodeInt(data, size, pos);
    const auto total = decodeInt(data, size, pos);
    const auto blockSize = decodeInt(data, size, pos);
    if (!txid || !total || !blockSize)
        return std::nullopt;
    header.transactionId = *txid;
    header.totalBytes = *total;
    header.blockSize = *blockSize;
    header.length = pos;
    return header;
}

Nack parseNack(const char *data, int size, std::uint64_t numBlocks, int maxRuns)
{
    Nack nack;
    if (size == 1 && data[0] == 0) {
        nack.leave = true;
        return nack;
    }
    int pos = 0;
    std::uint64_t position = 0;
    bool firstPair = true;
    while (pos < size) {
        if (data[pos] == 0)
            return nack; // terminator
        const auto received = decodeInt(data, size, pos);
        if (!received) {
            nack.malformed = true;
            return nack;
        }
        const auto missing = decodeInt(data, size, pos);
        if (!missing) {
            // A list may end after a received-run (the old Etherboot client does); a
            // truncated Int is garbage.
            if (pos < size && data[pos] != 0)
                nack.malformed = true;
            if (firstPair)
                nack.firstGap = std::min(*received, numBlocks);
            return nack;
        }
        if (firstPair) {
            nack.firstGap = std::min(*received, numBlocks);
            firstPair = false;
        }
        // Saturating arithmetic: a hostile list must not wrap around.
        position = std::min(kMaxIntValue, position + *received);
        const std::uint64_t end = std::min(kMaxIntValue, position + *missing);
        if (position >= numBlocks) {
            if (*missing)
                nack.clamped = true;
            position = end;
            continue;
        }
        const std::uint64_t clampedEnd = std::min(end, numBlocks);
        if (clampedEnd < end)
            nack.clamped = true;
        if (clampedEnd > position && int(nack.runs.size()) < maxRuns)
            nack.runs.push_back({ position, clampedEnd - position });
        position = end;
    }
    return nack;
}

QByteArray encodeNack(std::uint64_t firstGap, std::uint64_t count)
{
    QByteArray out;
    appendInt(out, firstGap);
    appendInt(out, count);
    out.append('\0');
    return out;
}

} // namespace pecast::serve::slam
