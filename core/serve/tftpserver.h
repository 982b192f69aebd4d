#pragma once

// TFTP server with RFC 2090 multicast ("TFTM") as iPXE's tftm:// client uses it, and plain
// unicast TFTP (RFC 1350, options RFC 2347 blksize 2348, tsize 2349) on the same port for clients
// without the multicast option (undionly.kpxe chainloads, tftp://).
//
// TFTM, one session per file and per join "generation" (own server socket = TID, own group):
//   * RRQ with "multicast" -> unicast OACK blksize, tsize, multicast "addr,port,mc" from the
//     session socket. The first member is master (mc=1) and ACKs its first missing block; the
//     others listen (mc=0). The server sends a sliding window of fresh blocks after the master's
//     gap to the group (each duplicate ACK slides it by one: a block taken); a block the master
//     lacks goes again once it is older than twice the measured round trip.
//   * Reporters: meanwhile up to `reporters` other members at a time are asked to ACK too
//     (OACK ",,1"), each in turn: a reporter's gap blocks go again to the group while the
//     stream runs, until it holds what was streamed before it was asked; then it listens again
//     (",,0"). Near a window's end everybody reports. So holes are filled while the stream
//     still fills the link, not one round trip per hole and member after it.
//   * Repair: when the master holds the window (or the file), or stops answering, every member
//     is told to ACK (OACK ",,1") and all get what their first gaps show missing at once, each
//     from its gap (a doubling run while it takes every block, one block after its gap jumped);
//     complete ones are told to stop ACKing (",,0"). Late joiners thereby get the start.
//   * ACKs are 16-bit: they are read within the member's own 16-bit window (its gap only grows,
//     and it is never sent another window's blocks), not near its last known gap.
//   * 16-bit block numbers: iPXE places a block in the 65536-block window of its own first gap,
//     so a window may only carry one window's blocks. Each window gets its own group port; its
//     last block is held back until every member holds the rest, then handed out unicast, and
//     each member is moved to the next port. New clients join a session only while it is in its
//     first window; later ones start a new session.
//   * A member that never gets a group block although it keeps ACKing its gap for a second
//     (Debian 12's iPXE: its TFTM socket never matches group data) is served unicast, lock-step
//     per 16-bit window, as is a member that fell out of the session's window.
// Threads: start() binds in the caller's thread, then one poll() loop serves everything.

#include "serve/clienttransfer.h"
#include "serve/multicastsocket.h"
#include "util/error.h"

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace pecast::serve {

struct TftpServerConfig
{
    Endpoint listen { { 0 }, 69 }; // RFC 1350 port; iPXE's tftm:// default
    QList<QPair<QString, QString>> files; // name (as clients ask for it) -> path
    QString rootDirectory; // optional: also any regular file below this directory
    bool multicast = true; // answer the RFC 2090 option
    // Group and first port of TFTM sessions; each session uses one port per 65536-block window.
    Endpoint group { { 0 }, 1758 }; // address 0 = 239.255.2.1
    QString interface; // name or IPv4 address for IP_MULTICAST_IF; empty: kernel route
    int ttl = 1;
    bool loopback = true;
    // iPXE asks for 1432 (TFTP_MAX_BLKSIZE); 1468 is the most one 1500-byte frame carries.
    int maxBlockSize = 1468;
    double rateMbit = 0; // multicast output cap, 0 = unlimited
    // Blocks in flight ahead of the master's ACK (46 KB at 1432 bytes; iPXE's own TCP takes
    // windows of 256 KB at line rate). iPXE accepts blocks out of order. Measured on a 25 Mbit/s
    // link with 32 receivers at 2 % loss: 8 left the link idle while reporters' repairs and
    // the clients' scheduling delays stretched the round trip (38 s for 33 s of bytes), 32 did
    // not (33.9 s); 64 overran the link's queue more often and gained nothing.
    int window = 32;
    // Members asked to ACK besides the master while the stream runs, so that their holes are
    // filled meanwhile (0: only at the window's end). Each costs one ACK per block it receives.
    // Off by default for now: with reporters, tst_tftmserver's 4-client 2 % loss crossing case
    // once ended with a client the server never counted as finished (not yet understood);
    // the bench's 1.53 x at 2 % loss was measured with 8 (`--tftm-reporters 8`).
    int reporters = 0;
    int retransmitMs = 100; // resend / re-poll after this much silence
    int maxRetries = 30; // then the client is considered gone (3 s at 100 ms)
};

struct TftpStats
{
    quint64 dataPackets = 0;
    quint64 dataBytes = 0; // bytes of DATA packets (multicast + unicast, TFTP headers included)
    quint64 multicastPackets = 0;
    quint64 requests = 0;
    quint64 sessions = 0; // TFTM sessions opened
    quint64 clientsFinished = 0;
    quint64 clientsLost = 0;
    // TFTM members that never received a group block and were served unicast instead.
    quint64 unicastFallbacks = 0;
    quint64 reporterTurns = 0; // members asked to report while the stream ran
    quint64 blocksResent = 0; // blocks sent to the group more than once (repairs)
    quint64 windowEndRepairs = 0; // of those, sent in a repair at a window's (or file's) end
};

class TftpServer
{
public:
    using TransferCallback = std::function<void(const ClientTransfer &)>;
    using LogCallback = std::function<void(const QString &)>;

    static Result<std::unique_ptr<TftpServer>> start(
        const TftpServerConfig &config, TransferCallback onTransfer = {}, LogCallback log = {});
    ~TftpServer();
    TftpServer(const TftpServer &) = delete;
    TftpServer &operator=(const TftpServer &) = delete;

    void stop();
    Endpoint listenEndpoint() const;
    TftpStats stats() const;
    QStringList summary() const;

    class Private;

private:
    explicit TftpServer(std::unique_ptr<Private> priv);
    std::unique_ptr<Private> d;
};

} // namespace pecast::serve
