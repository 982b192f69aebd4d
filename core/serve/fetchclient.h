#pragma once

// Download clients for testing PEcast's servers from a Linux box, and for benchmarks that run
// many clients in one process (each fetchUrl() call is independent and thread-safe):
//   http://HOST[:PORT]/PATH
//   x-slam://HOST[:PORT][/GROUP[:GROUPPORT]]   SLAM, with iPXE's client rules (slam.c): 1 s of
//        silent listening, a NACK for the first gap of at most 4 blocks when pinged, 1 s slave
//        timer doubling to a give-up after ~15 s without multicast data, 00 when done.
//   tftm://HOST[:PORT]/PATH   RFC 2090 with blksize 1432 and tsize, iPXE's rules (tftp.c): only
//        the master client ACKs its first missing block; 16-bit block numbers are placed in
//        the 65536-block window of the first gap.
//   tftp://HOST[:PORT]/PATH   the same without the multicast option.
// Output appears atomically (AtomicFile) once complete; nothing is left behind on failure.

#include "util/error.h"
#include "util/progress.h"

#include <QString>

#include <cstdint>

namespace pecast::serve {

struct FetchOptions
{
    QString url;
    QString outputPath; // empty: discard the data (benchmarks), still tracking every block
    bool force = false; // replace an existing output file
    // Injected loss, for tests: this percentage of received and of sent datagrams is dropped
    // (multicast protocols only). Deterministic for a given seed.
    double lossPercent = 0;
    std::uint64_t seed = 1;
    QString interface; // where to join multicast groups: interface name or address
    // Gives up when nothing at all arrives for this long (HTTP; the UDP protocols follow
    // iPXE's own timers).
    int httpTimeoutMs = 30000;
};

struct FetchStats
{
    qint64 bytes = 0; // size of the file
    double seconds = 0;
    quint64 packetsReceived = 0; // data packets accepted (UDP protocols)
    quint64 duplicates = 0; // data packets for blocks already held
    quint64 requestsSent = 0; // NACKs or ACKs
    quint64 droppedByLossInjection = 0;
};

Result<FetchStats> fetchUrl(const FetchOptions &options, Progress &progress);

} // namespace pecast::serve
