#pragma once

// SLAM server for iPXE's x-slam:// client (docs/slam-protocol.md; wire format in slamcodec.h).
//
// One server serves one file on one group. Data goes to group:port (IP_MULTICAST_IF set, so no
// route is needed), header-only pings go unicast to the IP:port each NACK came from. All
// clients' NACKs are merged into one FIFO of wanted blocks (a block already queued is not queued
// twice), including NACKs that arrive while blocks are going out. After the blocks a client
// asked for have been sent, it is pinged; an unanswered ping is repeated after the client's
// measured round trip (srtt + 4 rttvar, doubling), so a lost ping costs milliseconds rather than
// the client's 1 s slave timeout.
//
// Every data packet and ping gets a send sequence number. A NACK shows the client's bitmap as it
// was when the ping it answers arrived, so a block sent after that ping is on its way, not
// lost, and is not sent again (it would reach every client twice): the NACK is matched to the
// first ping of its series, late answers to repeated pings are recognised as stale, and a
// client whose request is entirely on its way is simply pinged again. Output is paced by a token
// bucket: at the configured cap, and lower while clients report overflowing receive queues.
// NACK runs past the end are clamped, malformed lists ignored, empty files refused: the loop
// never spins on a request it cannot serve.
//
// Threads: start() opens the file and binds in the caller's thread (errors come back at once),
// then the server runs a poll() loop on its own thread. Callbacks run on that thread.

#include "serve/clienttransfer.h"
#include "serve/multicastsocket.h"
#include "util/error.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace pecast::serve {

struct SlamServerConfig
{
    QString imagePath;
    QString name = QStringLiteral("image.img"); // reported in transfer events
    // iPXE's defaults (SLAM_DEFAULT_PORT, SLAM_DEFAULT_MULTICAST_IP/PORT): a client URI without
    // a path uses exactly these, and current iPXE cannot be told another group address.
    Endpoint listen { { 0 }, 10000 };
    Endpoint group { { 0 }, 10000 }; // address 0 = 239.255.1.1
    QString interface; // name or IPv4 address; empty: the kernel's multicast route
    int ttl = 1; // stay on the local segment unless the user routes multicast on purpose
    bool loopback = true; // clients on this host (tests, `pecast fetch`) receive the data
    // mini-slamd's 1451 leaves room for a 21-byte header in a 1500-byte frame.
    int blockSize = 1451;
    double rateMbit = 0; // cap; 0: none
    // Slow down when a known client reports a receive-queue overflow (slamratecontroller.h).
    bool adaptiveRate = true;
    bool allowLarge = false; // serve files >= 512 MiB (needs 64-bit iPXE clients)
    // Blocks sent beyond a request that reaches the client's frontier (a full 4-block run):
    // clients accept unrequested blocks, so 32 blocks per round trip instead of 4 cut the round
    // trips (and every listener's wake-ups) by 8. The requested blocks go first, so a client
    // whose NIC drops the rest still advances as fast as without. 0 = exactly what was asked
    // (mini-slamd behaviour).
    int readAhead = 28;
    // Re-ping a silent client after this long until its round trip is measured; then after
    // srtt + 4 rttvar (minRepingMs to 200 ms), doubling with each repeat. Give up after maxPings
    // pings.
    int repingIntervalMs = 20;
    // Floor of the adaptive re-ping timeout: keeps a client that is merely descheduled for a
    // moment from being flooded with pings.
    int minRepingMs = 2;
    int maxPings = 10;
};

struct SlamStats
{
    quint64 dataPackets = 0;
    quint64 dataBytes = 0; // payload bytes of data packets (headers included)
    quint64 blocksResent = 0; // blocks sent more than once
    quint64 resendsSuppressed = 0; // NACKed blocks not resent: sent after the NACK was written
    quint64 pings = 0;
    quint64 repings = 0; // pings repeated because no NACK came back in time
    quint64 staleNacks = 0; // late answers to repeated pings (their blocks were already sent)
    quint64 burstLosses = 0; // NACKs showing a receiver's queue overflowed (4 lost in a row)
    quint64 rateDecreases = 0; // times the adaptive rate was lowered
    quint64 rateLimitKbit = 0; // pacing in force now (adaptive or --rate cap), 0 = none
    quint64 nacks = 0;
    quint64 malformed = 0;
    quint64 clientsKnown = 0;
    quint64 clientsFinished = 0;
};

class SlamServer
{
public:
    using TransferCallback = std::function<void(const ClientTransfer &)>;
    using LogCallback = std::function<void(const QString &)>;

    // Checks the file (not empty, size limits), binds, starts the thread. Warnings (a large
    // file allowed by allowLarge) go to `log` before this returns.
    static Result<std::unique_ptr<SlamServer>> start(
        const SlamServerConfig &config, TransferCallback onTransfer = {}, LogCallback log = {});
    ~SlamServer(); // stops
    SlamServer(const SlamServer &) = delete;
    SlamServer &operator=(const SlamServer &) = delete;

    void stop(); // idempotent; joins the thread
    Endpoint listenEndpoint() const; // the bound NACK port (port 0 in the config: ephemeral)
    Endpoint group() const;
    qint64 fileSize() const;
    int blockSize() const;
    quint64 transactionId() const;
    SlamStats stats() const; // thread-safe snapshot
    QStringList summary() const; // lines for the CLI / Serve page

    class Private;

private:
    explicit SlamServer(std::unique_ptr<Private> priv);
    std::unique_ptr<Private> d;
};

// Checks size limits for a SLAM image; `allowLarge` turns the 512 MiB refusal into a warning.
Status checkSlamImageSize(qint64 size, bool allowLarge, QString *warning);

} // namespace pecast::serve
