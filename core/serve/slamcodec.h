#pragma once

// SLAM wire format (iPXE src/net/udp/slam.c; docs/slam-protocol.md §4-5).
//
// Every number is a self-delimiting big-endian "Int": the top 3 bits of the first byte hold the
// total length n (1-7 bytes), the low 5 bits plus the next n-1 bytes hold the value. A byte 00
// can never start an Int: it terminates NACK lists and, alone, is the client's disconnect.
//
//   data   server -> group:mport   Int txid | Int total | Int blocksize | Int block | data
//   ping   server -> client        Int txid | Int total | Int blocksize   (nothing else)
//   NACK   client -> server:port   Int received-run | Int missing-run | ... | 00
//   leave  client -> server:port   00

#include <QByteArray>

#include <cstdint>
#include <optional>
#include <vector>

namespace pecast::serve::slam {

// Largest value an Int can carry: 7 bytes, 53 value bits.
constexpr std::uint64_t kMaxIntValue = (std::uint64_t(1) << 53) - 1;
// Largest value a 32-bit (i386) iPXE accepts: it rejects Ints longer than sizeof(long) = 4.
constexpr std::uint64_t kMaxValue32BitClient = (std::uint64_t(1) << 29) - 1;
// Longest header: three 7-byte Ints (SLAM_MAX_HEADER_LEN).
constexpr int kMaxHeaderLength = 21;

// Appends the minimal encoding of `value` (must be <= kMaxIntValue).
void appendInt(QByteArray &out, std::uint64_t value);
QByteArray encodeInt(std::uint64_t value);

// Decodes one Int at `pos`, advancing it. std::nullopt when the first byte is 00, the length is
// 0 or the packet ends inside the Int.
std::optional<std::uint64_t> decodeInt(const char *data, int size, int &pos);

// The header every data packet and ping carries, encoded once per transfer.
QByteArray encodeHeader(std::uint64_t transactionId, std::uint64_t totalBytes, int blockSize);

struct Header
{
    std::uint64_t transactionId = 0;
    std::uint64_t totalBytes = 0;
    std::uint64_t blockSize = 0;
    int length = 0; // encoded bytes
};
std::optional<Header> decodeHeader(const char *data, int size);

// One run of missing blocks from a NACK, already clamped to [0, numBlocks).
struct MissingRun
{
    std::uint64_t first = 0;
    std::uint64_t count = 0;
};

struct Nack
{
    bool leave = false; // the packet was exactly 00
    bool malformed = false; // garbage before the terminator (runs parsed so far are kept)
    bool clamped = false; // some run pointed past the end of the file
    std::uint64_t firstGap = 0; // the first received-run: blocks the client holds from 0
    std::vector<MissingRun> runs;
};

// Parses alternating (received-run, missing-run) Ints until 00 or the end of the packet.
// Runs are clamped to [0, numBlocks); zero-length and out-of-range runs are dropped. At most
// `maxRuns` runs are kept (a hostile list cannot make the server allocate without bound).
Nack parseNack(const char *data, int size, std::uint64_t numBlocks, int maxRuns = 4096);

// The NACK an iPXE client sends: one pair (first gap, count) and the terminator.
QByteArray encodeNack(std::uint64_t firstGap, std::uint64_t count);

} // namespace pecast::serve::slam
