#include "serve/tftpserver.h"

#include "serve/multicastlogging.h"
#include "serve/multicastpacer.h"
#include "serve/tftppacket.h"
#include "serve/wakeablethread.h"

#include <QDir>
#include <QFileInfo>

#include <arpa/inet.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <vector>

namespace pecast::serve {

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// RFC 1350 block size without options.
constexpr int kDefaultBlockSize = 512;
// RFC 2348 lower bound for blksize.
constexpr int kMinBlockSize = 8;
// Blocks per 16-bit window as iPXE counts them: block b travels as (b + 1) & 0xFFFF.
constexpr qint64 kWindowBlocks = 65536;
constexpr auto kEventInterval = 250ms;
constexpr int kSocketBuffer = 4 * 1024 * 1024;
// Poll OACKs sent to a silent member before it is treated as gone.
constexpr int kPollRetries = 5;
// Bounds of the repair resend guard (the measured round trip plus four deviations, at least
// twice the round trip, as TCP's RTO): a block is not sent again for a member that still reports
// it missing sooner than this after it went out, because that report may predate the block's
// arrival. Behind a queue the round trip varies with its length.
constexpr auto kMinResendGuard = std::chrono::microseconds(500);
constexpr auto kInitialRtt = 2ms;
// Repeated ACKs of its first gap, although that block went to the group, after which a member
// that never got a block is served unicast. Debian 12's iPXE (1.0.0+git-20190125) never
// delivers group data to its tftm:// download (see docs/slam-protocol.md §12.1); its retry
// timer ACKs after 0.25, 0.75, 1.75 s, so the switch comes about 2 s after the OACK.
constexpr int kGroupMissLimit = 3;
// ... and at least this long after its first ACK: a client that does receive the group but
// lost its first block gets it again within a few milliseconds.
constexpr auto kGroupMissTime = 1s;
// Bound for the master's window inflation by duplicate ACKs (a sane client sends one per block).
constexpr int kMaxInflation = 1024;
// A member reports (is asked to ACK while the stream runs) at most once per this interval. At 2 %
// loss it has ~20 holes per half second at 25 Mbit/s, filled in one round trip each; shorter
// turns cost more OACKs, longer ones leave more for the window's end.
constexpr auto kReportInterval = 500ms;
// The last blocks of a window: everybody reports, so that the window's end finds few holes left
// (what is left is filled one round trip per hole and member). ~0.5 s of stream at 25 Mbit/s.
constexpr qint64 kFinalSweepBlocks = 1024;
constexpr auto kStateLogInterval = 2s;

qint64 windowOf(qint64 block)
{
    return (block + 1) / kWindowBlocks;
}

quint16 wireBlock(qint64 block)
{
    return quint16((block + 1) & 0xFFFF);
}

// First block of 16-bit window w (iPXE's numbering, see windowOf()).
qint64 firstBlockOfWindow(qint64 w)
{
    return std::max<qint64>(0, w * kWindowBlocks - 1);
}

// The absolute block a 16-bit ACK means, taken nearest to `reference` (lock-step unicast, where
// the client's gap never moves far from what the server last saw).
qint64 absoluteAck(quint16 ack, qint64 reference)
{
    qint64 value = (reference & ~qint64(0xFFFF)) | ack;
    if (value < reference - 32768)
        value += 65536;
    else if (value > reference + 32768)
        value -= 65536;
    return std::max<qint64>(0, value);
}

} // namespace

class TftpServer::Private
{
public:
    enum class Mode {
        Listener, // on the group, silent
        Master, // on the group, ACKing, drives the stream
        Reporter, // on the group, ACKing while the stream runs, so that its holes are filled
        Unicast, // plain TFTP: served on its own
    };

    enum class Cross {
        None,
        NeedLast, // was sent the window's last block unicast, its ACK must show it past it
        NeedMove, // was told the next window's group, its ACK confirms
        Moved,
    };

    struct Member
    {
        Endpoint peer;
        quint64 id = 0;
        Mode mode = Mode::Listener;
        qint64 gap = 0; // first missing block, as last reported
        qint64 next = 0; // Unicast: next block to send
        int dupAcks = 0; // duplicate ACKs since the last fast retransmit
        int sameGapAcks = 0; // ACKs of the same gap in a row (not reset by resends)
        bool polling = false; // asked to ACK (OACK ",,1"), answer outstanding
        bool advanced = false; // its gap has moved since it joined: it receives the group
        bool ready = false; // repair: holds everything of the window it can get before a crossing
        int burst = 1; // repair: blocks sent ahead of its gap; doubles while it lacks a whole run
        qint64 repairEnd = 0; // repair: end of the blocks last sent for it
        bool oackPending = false; // the first OACK (or a plain one) awaits its ACK
        bool promoting = false; // Reporter: asked to ACK, no answer yet
        qint64 reportUntil = 0; // Reporter: listens again once it holds the blocks before this
        Cross cross = Cross::None;
        bool repolled = false; // NeedLast: asked again after a timeout
        QByteArray lastOack; // resent when its RRQ or poll repeats
        Clock::time_point firstSeen, firstAck, lastHeard, lastSend, lastEvent;
        Clock::time_point lastReport; // when its last turn as a reporter ended (or it joined)
        int retries = 0;
        bool done = false;
        bool lost = false;
    };

    struct Session
    {
        quint64 id = 0;
        bool multicast = false;
        UniqueFd socket;
        UniqueFd file;
        QString name;
        qint64 size = 0;
        int blockSize = kDefaultBlockSize;
        qint64 numBlocks = 1;
        Endpoint group; // port of window 0; window w uses port + w
        qint64 window = 0; // the stream's current 16-bit window
        qint64 next = 0; // next block of the multicast stream
        qint64 highestSent = -1;
        // Repair: every member was asked to ACK (mc=1) and gets the blocks its first gap shows
        // missing; no master, no fresh blocks. Starts when the master has the window.
        bool repairing = false;
        bool crossing = false; // members are being moved into the next window
        std::vector<Member> members;
        Clock::time_point lastMasterActivity;
        int masterRetries = 0;
        // When each block of the current window last went to the group (index: wire number).
        std::vector<Clock::time_point> sentAt;
        std::chrono::nanoseconds srtt = kInitialRtt; // smoothed send-to-ACK time
        std::chrono::nanoseconds rttvar = kInitialRtt / 2; // its smoothed deviation
        Clock::time_point lastStateLog;
        bool hasMaster() const
        {
            for (const auto &m : members)
                if (m.mode == Mode::Master && !m.done && !m.lost)
                    return true;
            return false;
        }
        Member *master()
        {
            for (auto &m : members)
                if (m.mode == Mode::Master && !m.done && !m.lost)
                    return &m;
            return nullptr;
        }
        qint64 lastBlockOfWindow(qint64 w) const
        {
            return std::min(numBlocks - 1, (w + 1) * kWindowBlocks - 2);
        }
        bool finalWindow() const { return lastBlockOfWindow(window) == numBlocks - 1; }
        bool joinable() const { return multicast && window == 0 && !crossing; }
    };

    TftpServerConfig config;
    TransferCallback onTransfer;
    LogCallback log;
    UniqueFd listenSocket;
    Endpoint bound;
    in_addr interface { };
    WakeableThread worker; // polls the sockets and worker.wakeFd()
    std::vector<std::unique_ptr<Session>> sessions;
    quint64 nextId = 1;
    std::uint16_t nextGroupPort = 0;
    MulticastPacer pacer;
    std::atomic<quint64> dataPackets { 0 }, dataBytes { 0 }, multicastPackets { 0 }, requests { 0 },
        sessionsOpened { 0 }, clientsFinished { 0 }, clientsLost { 0 }, unicastFallbacks { 0 },
        reporterTurns { 0 }, blocksResent { 0 }, windowEndRepairs { 0 };

    std::chrono::milliseconds rto() const { return std::chrono::milliseconds(config.retransmitMs); }

    // --- events -------------------------------------------------------------------------
    void emitTransfer(const Session &s, Member &m, ClientTransfer::State state, bool force)
    {
        const auto now = Clock::now();
        if (!onTransfer || (!force && now - m.lastEvent < kEventInterval))
            return;
        m.lastEvent = now;
        ClientTransfer t;
        t.connectionId = m.id;
        t.peer = m.peer.toString();
        t.protocol = s.multicast ? QStringLiteral("tftm") : QStringLiteral("tftp");
        t.name = s.name;
        t.bytesSent
            = state == ClientTransfer::State::Done ? s.size : std::min(s.size, m.gap * s.blockSize);
        t.total = s.size;
        t.fileSize = s.size;
        const double seconds = std::chrono::duration<double>(now - m.firstSeen).count();
        t.rate = seconds > 0 ? t.bytesSent / seconds : 0;
        t.state = state;
        onTransfer(t);
    }

    // --- sending ------------------------------------------------------------------------
    void sendTo(const Session &s, const QByteArray &packet, const Endpoint &to)
    {
        const sockaddr_in addr = to.toSockaddr();
        ::sendto(s.socket.get(), packet.constData(), size_t(packet.size()), 0,
            reinterpret_cast<const sockaddr *>(&addr), sizeof addr);
    }

    bool sendBlock(Session &s, qint64 block, const Endpoint &to, bool multicastPacket)
    {
        if (block < 0 || block >= s.numBlocks)
            return true;
        char packet[4 + 65536];
        const QByteArray header = tftp::encodeDataHeader(wireBlock(block));
        memcpy(packet, header.constData(), 4);
        const qint64 start = block * s.blockSize;
        const int want = int(std::clamp<qint64>(s.size - start, 0, s.blockSize));
        int got = 0;
        while (got < want) {
            const ssize_t n
                = ::pread(s.file.get(), packet + 4 + got, size_t(want - got), start + got);
            if (n <= 0)
                break;
            got += int(n);
        }
        if (got < want) {
            qCWarning(lcTftp) << s.name << "reading block" << block << "failed";
            return true;
        }
        const sockaddr_in addr = to.toSockaddr();
        const ssize_t sent = ::sendto(s.socket.get(), packet, size_t(4 + want), 0,
            reinterpret_cast<const sockaddr *>(&addr), sizeof addr);
        if (sent < 0) {
            const int err = errno;
            if (err == EAGAIN || err == EWOULDBLOCK || err == ENOBUFS)
                return false;
            qCDebug(lcTftp) << "sending block" << block << "to" << to.toString()
                            << "failed:" << strerror(err);
            return true;
        }
        ++dataPackets;
        dataBytes += quint64(sent);
        if (multicastPacket)
            ++multicastPackets;
        return true;
    }

    Endpoint groupFor(const Session &s, qint64 window) const
    {
        Endpoint g = s.group;
        g.port = std::uint16_t(s.group.port + window);
        return g;
    }

    QByteArray multicastOack(const Session &s, const QString &value, bool full)
    {
        tftp::Options options;
        if (full) {
            options.append({ QStringLiteral("blksize"), QString::number(s.blockSize) });
            options.append({ QStringLiteral("tsize"), QString::number(s.size) });
        }
        options.append({ QStringLiteral("multicast"), value });
        return tftp::encodeOack(options);
    }

    QString groupValue(const Session &s, qint64 window, bool master) const
    {
        char text[INET_ADDRSTRLEN] = {};
        inet_ntop(AF_INET, &s.group.address, text, sizeof text);
        return QStringLiteral("%1,%2,%3")
            .arg(QString::fromLatin1(text))
            .arg(s.group.port + window)
            .arg(master ? 1 : 0);
    }

    void sendControl(Session &s, Member &m, const QByteArray &oack)
    {
        m.lastOack = oack;
        m.lastSend = Clock::now();
        sendTo(s, oack, m.peer);
    }

    // --- the multicast stream -------------------------------------------------------------
    // One block to the current window's group; remembers when, for the repair guard and the
    // round-trip estimate.
    bool sendToGroup(Session &s, qint64 block, Clock::time_point now)
    {
        // Members on this window's group would misplace a block of another window.
        if (windowOf(block) != s.window)
            return true;
        if (!sendBlock(s, block, groupFor(s, s.window), true))
            return false;
        if (s.sentAt[wireBlock(block)] != Clock::time_point {}) {
            ++blocksResent;
            if (s.repairing)
                ++windowEndRepairs;
        }
        s.sentAt[wireBlock(block)] = now;
        s.highestSent = std::max(s.highestSent, block);
        return true;
    }

    // The blocks a member may still get in the current window: all but the window's last, which
    // is held back unless it is the file's last block. A member that got it moves into the next
    // window and would misplace every later block of this one, so it is handed out only once
    // every member holds the rest (see crossWindow()).
    qint64 windowTarget(const Session &s) const
    {
        const qint64 held = s.lastBlockOfWindow(s.window);
        return s.finalWindow() ? s.numBlocks : held;
    }

    // Sends the master's window; returns false when paced out (try again later).
    bool pumpStream(Session &s, Clock::time_point now)
    {
        Member *master = s.master();
        if (!s.multicast || s.repairing || s.crossing || !master)
            return true;
        const qint64 target = windowTarget(s);
        if (!s.finalWindow() && master->gap >= target) {
            // The master holds the whole window but its last block: repair the others.
            startRepair(s);
            return true;
        }
        // iPXE ACKs every block it takes, so each ACK of an unchanged gap means one more block
        // left the network: the window slides by that many (TCP's fast-recovery inflation)
        // instead of stalling behind the hole until the resend arrives.
        const qint64 inflation = std::min(master->sameGapAcks, kMaxInflation);
        promoteReporters(s, now);
        logState(s, *master, now);
        while (s.next < target && s.next < master->gap + config.window + inflation) {
            if (!pacer.tryTake(4 + s.blockSize + 28, now))
                return false;
            if (!sendToGroup(s, s.next, now))
                return false;
            ++s.next;
        }
        return true;
    }

    // Debug: where the stream is, every few seconds.
    void logState(Session &s, const Member &master, Clock::time_point now)
    {
        if (!lcTftp().isDebugEnabled() || now - s.lastStateLog < kStateLogInterval)
            return;
        s.lastStateLog = now;
        int reporting = 0;
        qint64 lowest = s.next;
        for (const auto &m : s.members) {
            reporting += active(m) && m.mode == Mode::Reporter ? 1 : 0;
            if (active(m))
                lowest = std::min(lowest, m.gap);
        }
        qCDebug(lcTftp) << "session" << s.id << "stream at" << s.next << "master at" << master.gap
                        << "lowest known gap" << lowest << reporting << "reporting; resent"
                        << blocksResent.load() << "rtt"
                        << std::chrono::duration<double, std::milli>(s.srtt).count() << "ms +-"
                        << std::chrono::duration<double, std::milli>(s.rttvar).count();
    }

    // --- reporters ----------------------------------------------------------------------------
    bool finalSweep(const Session &s) const
    {
        return windowTarget(s) - s.next <= kFinalSweepBlocks;
    }

    // Asks listeners to ACK, the longest-unheard first, while fewer than config.reporters do (all
    // of them near the window's end).
    void promoteReporters(Session &s, Clock::time_point now)
    {
        if (config.reporters <= 0)
            return;
        const bool sweep = finalSweep(s);
        int reporting = 0;
        for (const auto &m : s.members)
            reporting += active(m) && m.mode == Mode::Reporter ? 1 : 0;
        while (sweep || reporting < config.reporters) {
            Member *due = nullptr;
            for (auto &m : s.members) {
                if (active(m) && m.mode == Mode::Listener && m.cross == Cross::None
                    && (sweep || now - m.lastReport >= kReportInterval)
                    && (!due || m.lastReport < due->lastReport))
                    due = &m;
            }
            if (!due)
                return;
            due->mode = Mode::Reporter;
            due->promoting = true;
            due->reportUntil = s.next;
            due->burst = 1;
            due->repairEnd = -1;
            due->dupAcks = 0;
            due->retries = 0;
            sendControl(s, *due, multicastOack(s, QStringLiteral(",,1"), false));
            ++reporterTurns;
            ++reporting;
        }
    }

    void endReport(Session &s, Member &m, Clock::time_point now)
    {
        m.mode = Mode::Listener;
        m.promoting = false;
        m.lastReport = now;
        sendControl(s, m, multicastOack(s, QStringLiteral(",,0"), false));
    }

    // A reporter's ACK: its gap block goes again unless it went out within the guard (then it is
    // on its way, or was just sent for someone else); a run ahead of the gap doubles while the
    // member takes every block it is sent (a late joiner), as in repairMember(). Only blocks the
    // stream has sent: the ones after are the stream's.
    void reporterAck(Session &s, Member &m, Clock::time_point now)
    {
        m.promoting = false;
        if (m.gap >= m.reportUntil && !finalSweep(s)) {
            endReport(s, m, now);
            return;
        }
        const qint64 limit = std::min(s.next, windowTarget(s));
        if (windowOf(m.gap) != s.window || m.gap >= limit)
            return;
        sendRun(s, m, now, limit);
        fastRetransmit(s, m, now);
    }

    // Sends what a member's gap shows missing, up to `limit` (see repairMember()).
    void sendRun(Session &s, Member &m, Clock::time_point now, qint64 limit)
    {
        if (m.gap == m.repairEnd)
            m.burst = std::min(m.burst * 2, config.window);
        else if (m.gap > m.repairEnd)
            m.burst = 1;
        const qint64 end = std::min(limit, m.gap + m.burst);
        const auto guard = resendGuard(s);
        for (qint64 b = std::max(m.gap, m.repairEnd); b < end; ++b) {
            if (now - s.sentAt[wireBlock(b)] < guard)
                continue;
            if (!pacer.tryTake(4 + s.blockSize + 28, now) || !sendToGroup(s, b, now))
                break;
        }
        m.repairEnd = std::max(m.repairEnd, end);
    }

    bool active(const Member &m) const { return !m.done && !m.lost && m.mode != Mode::Unicast; }

    // Every member is asked to ACK (OACK ",,1") and from then on gets what its first gap shows
    // missing, all members at once: iPXE reports nothing but its first gap, so repairing members
    // one after another would cost one round trip per hole per member in sequence.
    void startRepair(Session &s)
    {
        s.repairing = true;
        int asked = 0;
        for (auto &m : s.members) {
            if (!active(m))
                continue;
            m.mode = Mode::Master;
            m.polling = true;
            m.promoting = false;
            m.ready = false;
            m.burst = 1;
            m.repairEnd = m.gap;
            m.retries = 0;
            m.dupAcks = 0;
            sendControl(s, m, multicastOack(s, QStringLiteral(",,1"), false));
            ++asked;
        }
        qCDebug(lcTftp) << "session" << s.id << "window" << s.window << "repair of" << asked
                        << "members";
        finishRepairIfDone(s);
    }

    std::chrono::nanoseconds resendGuard(const Session &s) const
    {
        const auto guard = std::max<std::chrono::nanoseconds>(2 * s.srtt, s.srtt + 4 * s.rttvar);
        return std::clamp<std::chrono::nanoseconds>(guard, kMinResendGuard, rto());
    }

    // A repairing member's ACK (or its timer). Like a sliding window from its gap: blocks past
    // what it was last sent go out unless they went to the group within the guard (for another
    // member); its gap block again only when later blocks keep arriving without it (duplicate
    // ACKs) or on a timeout, never because an ACK that predates the block's arrival says so.
    // The run ahead of the gap doubles while the member takes every block it is sent (it lacks
    // a contiguous run: a late joiner) and falls back to one when its gap jumps past what it
    // was sent (an isolated hole).
    void repairMember(Session &s, Member &m, Clock::time_point now, bool timedOut)
    {
        const qint64 target = windowTarget(s);
        if (m.gap >= target) {
            if (!m.ready && !s.finalWindow()) {
                m.ready = true;
                m.mode = Mode::Listener;
                sendControl(s, m, multicastOack(s, QStringLiteral(",,0"), false));
            }
            finishRepairIfDone(s);
            return;
        }
        const qint64 repairedBefore = m.repairEnd;
        sendRun(s, m, now, target);
        if (timedOut && m.gap < repairedBefore && pacer.tryTake(4 + s.blockSize + 28, now))
            sendToGroup(s, m.gap, now);
        fastRetransmit(s, m, now);
        m.lastSend = now;
    }

    // Duplicate ACKs: the member gets later blocks but not the one at its gap, which went out
    // before them, so it was lost. It goes again once it is older than the guard (younger, the
    // ACKs may have been sent before it arrived); until then the timers come back for it.
    // Returns when that is, or a default time point when nothing is owed.
    Clock::time_point fastRetransmit(Session &s, Member &m, Clock::time_point now)
    {
        const qint64 sentUpTo = s.repairing ? m.repairEnd : s.next;
        if (m.dupAcks < 1 || m.gap >= sentUpTo || windowOf(m.gap) != s.window
            || (m.mode != Mode::Master && m.mode != Mode::Reporter) || m.ready)
            return {};
        const auto due = s.sentAt[wireBlock(m.gap)] + resendGuard(s);
        if (now < due)
            return due;
        if (pacer.tryTake(4 + s.blockSize + 28, now) && sendToGroup(s, m.gap, now))
            m.dupAcks = 0; // wait for new evidence before sending it again
        return {};
    }

    void finishRepairIfDone(Session &s)
    {
        if (!s.repairing)
            return;
        Member *lowest = nullptr;
        for (auto &m : s.members) {
            if (!active(m))
                continue;
            if (m.polling || (!m.ready && m.gap < windowTarget(s)))
                return;
            if (!lowest || m.gap < lowest->gap)
                lowest = &m;
        }
        s.repairing = false;
        if (!lowest)
            return; // everyone finished or left
        if (!s.finalWindow()) {
            crossWindow(s);
            return;
        }
        elect(s, *lowest);
    }

    // The member furthest behind drives the stream; the others listen.
    void elect(Session &s, Member &chosen)
    {
        for (auto &m : s.members) {
            if (!active(m))
                continue;
            const bool isMaster = &m == &chosen;
            m.mode = isMaster ? Mode::Master : Mode::Listener;
            m.promoting = false;
            if (!isMaster)
                sendControl(s, m, multicastOack(s, QStringLiteral(",,0"), false));
        }
        s.next = chosen.gap;
        s.lastMasterActivity = Clock::now();
        s.masterRetries = 0;
        chosen.dupAcks = 0;
        chosen.oackPending = false;
    }

    // Everyone holds the window but its last block L. Each member gets L unicast (it is still
    // in this window, so L lands right), and once its ACK shows it past L it is moved to the
    // next window's group port. A member whose ACK got lost is asked again with a poll, never
    // sent L twice blindly: after L it is in the next window.
    void crossWindow(Session &s)
    {
        s.crossing = true;
        const qint64 held = s.lastBlockOfWindow(s.window);
        qCDebug(lcTftp) << "session" << s.id << "crossing into window" << s.window + 1;
        for (auto &m : s.members) {
            if (!active(m))
                continue;
            m.retries = 0;
            m.lastSend = Clock::now();
            if (m.gap <= held) {
                m.cross = Cross::NeedLast;
                sendBlock(s, held, m.peer, false);
            } else {
                moveToNextWindow(s, m);
            }
        }
        finishCrossingIfDone(s);
    }

    void moveToNextWindow(Session &s, Member &m)
    {
        m.cross = Cross::NeedMove;
        // mc=1: it ACKs, which confirms the move; the election afterwards demotes all but one.
        sendControl(s, m, multicastOack(s, groupValue(s, s.window + 1, true), false));
    }

    void crossingAck(Session &s, Member &m)
    {
        const qint64 held = s.lastBlockOfWindow(s.window);
        if (m.cross == Cross::NeedLast) {
            if (m.gap > held) {
                moveToNextWindow(s, m);
            } else if (m.repolled) {
                // The answer to our question after a timeout: it really lacks L. (Earlier
                // ACKs of this gap may have been in flight when L went out; L again would
                // then land in the next window.)
                m.repolled = false;
                sendBlock(s, held, m.peer, false);
            }
        } else if (m.cross == Cross::NeedMove) {
            m.cross = Cross::Moved;
            finishCrossingIfDone(s);
        }
    }

    void finishCrossingIfDone(Session &s)
    {
        for (const auto &m : s.members)
            if (active(m) && m.cross != Cross::Moved)
                return;
        s.crossing = false;
        ++s.window;
        std::fill(s.sentAt.begin(), s.sentAt.end(), Clock::time_point {});
        Member *lowest = nullptr;
        for (auto &m : s.members) {
            m.cross = Cross::None;
            m.ready = false;
            if (active(m) && (!lowest || m.gap < lowest->gap))
                lowest = &m;
        }
        if (lowest)
            elect(s, *lowest);
    }

    // A member the group cannot serve any more (it fell out of the session's window, or it
    // does not receive the group at all) gets its blocks unicast, lock-step per 16-bit window.
    // Any unicast packet makes iPXE ACK, so it answers without being asked.
    void toUnicast(Session &s, Member &m)
    {
        qCDebug(lcTftp) << m.peer.toString() << "served unicast from block" << m.gap;
        const bool wasMaster = m.mode == Mode::Master;
        m.mode = Mode::Unicast;
        m.polling = false;
        m.ready = false;
        m.cross = Cross::None;
        m.next = m.gap;
        m.dupAcks = 0;
        m.retries = 0;
        m.lastSend = Clock::now();
        sendBlock(s, m.gap, m.peer, false);
        m.next = m.gap + 1;
        if (s.repairing)
            finishRepairIfDone(s);
        else if (s.crossing)
            finishCrossingIfDone(s);
        else if (wasMaster)
            repairOrIdle(s);
    }

    // --- incoming -----------------------------------------------------------------------
    // A member given up as lost comes back when it speaks again.
    Member *findMember(Session &s, const Endpoint &peer)
    {
        for (auto &m : s.members)
            if (m.peer == peer && !m.done)
                return &m;
        return nullptr;
    }

    void memberDone(Session &s, Member &m)
    {
        m.done = true;
        ++clientsFinished;
        emitTransfer(s, m, ClientTransfer::State::Done, true);
        qCDebug(lcTftp) << m.peer.toString() << "finished" << s.name;
    }

    void memberLost(Session &s, Member &m)
    {
        m.lost = true;
        ++clientsLost;
        emitTransfer(s, m, ClientTransfer::State::Aborted, true);
        qCDebug(lcTftp) << m.peer.toString() << "stopped answering";
    }

    // The absolute gap a multicast member's 16-bit ACK means. The member's gap never goes back
    // and it is only sent blocks of its own 16-bit window, so the gap lies in the window of the
    // last known one, or is that window's end. (Nearest to the last known gap would be wrong: a
    // listener is heard only when asked, and may be 65,000 blocks further by then.)
    qint64 decodeMulticastAck(const Session &s, const Member &m, quint16 wire) const
    {
        const qint64 w = windowOf(m.gap);
        const qint64 offset = (qint64(wire) + 1) & 0xFFFF; // (gap + 1) within the window
        qint64 gap = w * kWindowBlocks + offset - 1;
        if (offset == 0) {
            // Either the window's first block or one past its last. Only a member that got
            // blocks of this window since it was last heard can be at its end.
            const bool atEnd = w == 0
                || (gap + kWindowBlocks <= s.numBlocks
                    && (m.gap > firstBlockOfWindow(w) || m.cross == Cross::NeedLast));
            if (atEnd)
                gap += kWindowBlocks;
        }
        return std::clamp(gap, m.gap, s.numBlocks);
    }

    // A round-trip sample: the ACK shows the block just before its gap arrived.
    void sampleRtt(Session &s, qint64 gap, Clock::time_point now)
    {
        if (gap <= 0 || windowOf(gap - 1) != s.window)
            return;
        const auto sent = s.sentAt[wireBlock(gap - 1)];
        const auto sample = now - sent;
        if (sent == Clock::time_point {} || sample > rto())
            return;
        const auto deviation = sample > s.srtt ? sample - s.srtt : s.srtt - sample;
        s.rttvar = (3 * s.rttvar + deviation) / 4;
        s.srtt = (7 * s.srtt + sample) / 8;
    }

    void handleAck(Session &s, Member &m, quint16 wire)
    {
        const auto now = Clock::now();
        m.lastHeard = now;
        m.retries = 0;
        if (m.firstAck == Clock::time_point {})
            m.firstAck = now;
        const qint64 gap = s.multicast ? decodeMulticastAck(s, m, wire)
                                       : std::min(absoluteAck(wire, m.gap), s.numBlocks);
        const bool duplicate = gap == m.gap && !m.oackPending;
        m.oackPending = false;
        m.dupAcks = duplicate ? m.dupAcks + 1 : 0;
        m.sameGapAcks = duplicate ? m.sameGapAcks + 1 : 0;
        if (s.multicast && gap > m.gap) {
            sampleRtt(s, gap, now);
            m.advanced = true;
        }
        m.gap = gap;
        emitTransfer(s, m, ClientTransfer::State::Progress, false);
        if (gap >= s.numBlocks) {
            const bool wasMaster = m.mode == Mode::Master;
            m.polling = false;
            memberDone(s, m);
            if (s.repairing)
                finishRepairIfDone(s);
            else if (s.crossing)
                finishCrossingIfDone(s);
            else if (wasMaster && s.multicast)
                repairOrIdle(s);
            return;
        }
        if (s.crossing && m.cross != Cross::None) {
            crossingAck(s, m);
            return;
        }
        if (s.multicast && m.mode != Mode::Unicast && !m.advanced
            && m.sameGapAcks >= kGroupMissLimit && now - m.firstAck >= kGroupMissTime
            && windowOf(gap) == s.window && s.sentAt[wireBlock(gap)] != Clock::time_point {}) {
            ++unicastFallbacks;
            toUnicast(s, m);
            return;
        }
        if (s.repairing && m.mode != Mode::Unicast) {
            m.polling = false;
            if (m.ready) {
                // Its demotion got lost: say it again (at most once per timeout).
                if (now - m.lastSend >= rto())
                    sendControl(s, m, multicastOack(s, QStringLiteral(",,0"), false));
                return;
            }
            repairMember(s, m, now, false);
            return;
        }
        switch (m.mode) {
        case Mode::Unicast: {
            // Only blocks of the client's own 16-bit window; and next to a window's end only
            // one at a time: when a filled hole moves the client's gap into the next window,
            // any older block still in flight would land 65536 blocks too far.
            const qint64 lastInWindow = s.lastBlockOfWindow(windowOf(gap));
            const qint64 width = s.multicast ? config.window : 1;
            if (lastInWindow < s.numBlocks - 1 && gap + width > lastInWindow) {
                sendBlock(s, gap, m.peer, false);
                m.next = gap + 1;
            } else {
                if (m.next < gap)
                    m.next = gap;
                if (m.dupAcks == 1)
                    sendBlock(s, gap, m.peer, false); // fast retransmit of the lost block
                while (m.next <= lastInWindow && m.next < gap + width) {
                    sendBlock(s, m.next, m.peer, false);
                    ++m.next;
                }
            }
            m.lastSend = now;
            break;
        }
        case Mode::Master:
            s.lastMasterActivity = now;
            s.masterRetries = 0;
            if (s.next < gap)
                s.next = gap;
            fastRetransmit(s, m, now);
            pumpStream(s, now);
            break;
        case Mode::Reporter:
            reporterAck(s, m, now);
            break;
        case Mode::Listener:
            // Its demotion got lost: say it again (at most once per timeout).
            if (now - m.lastSend >= rto())
                sendControl(s, m, multicastOack(s, QStringLiteral(",,0"), false));
            break;
        }
    }

    void repairOrIdle(Session &s)
    {
        bool any = false;
        for (const auto &m : s.members)
            any = any || active(m);
        if (any)
            startRepair(s);
    }

    Result<std::pair<UniqueFd, QString>> openRequested(const QString &requested)
    {
        QString name = requested;
        while (name.startsWith(QLatin1Char('/')))
            name.remove(0, 1);
        QString path;
        for (const auto &[published, file] : config.files) {
            if (published == name)
                path = file;
        }
        if (path.isEmpty() && !config.rootDirectory.isEmpty()) {
            const QString root = QDir(config.rootDirectory).canonicalPath();
            const QString candidate = QFileInfo(QDir(root).filePath(name)).canonicalFilePath();
            if (!root.isEmpty() && !candidate.isEmpty()
                && candidate.startsWith(root + QLatin1Char('/')))
                path = candidate;
        }
        if (path.isEmpty())
            return Error(Errc::NotFound, QStringLiteral("File not found"));
        UniqueFd fd(::open(path.toLocal8Bit().constData(), O_RDONLY | O_CLOEXEC));
        struct stat st
        {
        };
        if (!fd.valid() || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode))
            return Error(Errc::NotFound, QStringLiteral("File not found"));
        return std::make_pair(std::move(fd), name);
    }

    void replyError(quint16 code, const QString &message, const sockaddr_in &to)
    {
        const QByteArray packet = tftp::encodeError(code, message);
        ::sendto(listenSocket.get(), packet.constData(), size_t(packet.size()), 0,
            reinterpret_cast<const sockaddr *>(&to), sizeof to);
    }

    std::unique_ptr<Session> newSession(
        UniqueFd file, const QString &name, int blockSize, bool multicast)
    {
        auto s = std::make_unique<Session>();
        s->id = nextId++;
        s->multicast = multicast;
        s->file = std::move(file);
        s->name = name;
        struct stat st
        {
        };
        ::fstat(s->file.get(), &st);
        s->size = st.st_size;
        s->blockSize = blockSize;
        s->numBlocks = s->size / blockSize + 1; // a full last block is followed by an empty one
        Endpoint local = bound;
        local.port = 0;
        auto socket = openUdpSocket(local);
        if (!socket)
            return nullptr;
        s->socket = std::move(*socket);
        setSocketBuffers(s->socket.get(), kSocketBuffer, kSocketBuffer);
        if (multicast) {
            if (!setMulticastSendOptions(s->socket.get(), interface, config.ttl, config.loopback))
                return nullptr;
            const qint64 windows = windowOf(s->numBlocks - 1) + 1;
            s->sentAt.assign(size_t(kWindowBlocks), Clock::time_point {});
            s->group = config.group;
            if (nextGroupPort == 0 || nextGroupPort + windows > 65535)
                nextGroupPort = config.group.port;
            s->group.port = nextGroupPort;
            nextGroupPort = std::uint16_t(nextGroupPort + windows);
            ++sessionsOpened;
        }
        return s;
    }

    void handleRequest(const char *data, int length, const sockaddr_in &from)
    {
        ++requests;
        if (length >= 2 && quint8(data[0]) == 0 && quint8(data[1]) == tftp::kWrq) {
            replyError(
                tftp::kErrorAccessViolation, QStringLiteral("This server is read-only"), from);
            return;
        }
        const auto request = tftp::decodeRequest(data, length);
        if (!request) {
            qCDebug(lcTftp) << Endpoint::fromSockaddr(from).toString() << "malformed request";
            return;
        }
        const Endpoint peer = Endpoint::fromSockaddr(from);
        // A repeated RRQ (our OACK got lost): answer from the same session again.
        for (auto &s : sessions) {
            if (Member *m = findMember(*s, peer); m && !m->lost && !m->lastOack.isEmpty()) {
                sendTo(*s, m->lastOack, peer);
                return;
            }
        }
        auto opened = openRequested(request->filename);
        if (!opened) {
            replyError(tftp::kErrorFileNotFound, QStringLiteral("File not found"), from);
            return;
        }
        bool wantMulticast = false;
        int blockSize = kDefaultBlockSize;
        bool haveBlksize = false, haveTsize = false;
        for (const auto &[name, value] : request->options) {
            if (name == QLatin1String("blksize")) {
                bool ok = false;
                const int asked = value.toInt(&ok);
                if (ok && asked >= kMinBlockSize) {
                    blockSize = std::min(asked, config.maxBlockSize);
                    haveBlksize = true;
                }
            } else if (name == QLatin1String("tsize")) {
                haveTsize = true;
            } else if (name == QLatin1String("multicast")) {
                wantMulticast = config.multicast;
            }
        }
        const auto now = Clock::now();
        if (wantMulticast) {
            Session *session = nullptr;
            for (auto &s : sessions) {
                if (s->multicast && s->name == opened->second && s->blockSize == blockSize
                    && s->joinable())
                    session = s.get();
            }
            if (!session) {
                auto created
                    = newSession(std::move(opened->first), opened->second, blockSize, true);
                if (!created) {
                    replyError(tftp::kErrorNotDefined, QStringLiteral("Server error"), from);
                    return;
                }
                session = created.get();
                sessions.push_back(std::move(created));
                qCDebug(lcTftp) << "TFTM session" << session->id << session->name << session->size
                                << "bytes, group" << session->group.toString();
            }
            Member m;
            m.peer = peer;
            m.id = nextId++;
            m.firstSeen = m.lastHeard = m.lastReport = now;
            const bool master = !session->hasMaster() && !session->repairing;
            m.mode = master ? Mode::Master : Mode::Listener;
            m.oackPending = master;
            session->members.push_back(m);
            Member &added = session->members.back();
            if (session->repairing) {
                // Joins during a repair are repaired too (from block 0).
                added.mode = Mode::Master;
                added.polling = true;
                added.oackPending = true;
                sendControl(*session, added,
                    multicastOack(*session, groupValue(*session, session->window, true), true));
            } else {
                sendControl(*session, added,
                    multicastOack(*session, groupValue(*session, session->window, master), true));
            }
            if (master) {
                session->lastMasterActivity = now;
                session->masterRetries = 0;
            }
            emitTransfer(*session, added, ClientTransfer::State::Started, true);
            return;
        }
        // Plain TFTP: its own session and TID, lock-step.
        auto created = newSession(std::move(opened->first), opened->second, blockSize, false);
        if (!created) {
            replyError(tftp::kErrorNotDefined, QStringLiteral("Server error"), from);
            return;
        }
        Session &s = *created;
        Member m;
        m.peer = peer;
        m.id = nextId++;
        m.firstSeen = m.lastHeard = m.lastSend = now;
        m.mode = Mode::Unicast;
        s.members.push_back(m);
        Member &added = s.members.back();
        emitTransfer(s, added, ClientTransfer::State::Started, true);
        if (haveBlksize || haveTsize) {
            tftp::Options options;
            if (haveBlksize)
                options.append({ QStringLiteral("blksize"), QString::number(blockSize) });
            if (haveTsize)
                options.append({ QStringLiteral("tsize"), QString::number(s.size) });
            added.oackPending = true;
            sendControl(s, added, tftp::encodeOack(options));
        } else {
            sendBlock(s, 0, peer, false);
            added.next = 1;
        }
        sessions.push_back(std::move(created));
    }

    void handleSessionPacket(Session &s, const char *data, int length, const sockaddr_in &from)
    {
        Member *m = findMember(s, Endpoint::fromSockaddr(from));
        if (!m || length < 4) {
            qCDebug(lcTftp) << "session" << s.id << "ignored" << length << "bytes from"
                            << Endpoint::fromSockaddr(from).toString();
            return;
        }
        if (m->lost) {
            m->lost = false;
            m->retries = 0;
            if (clientsLost > 0)
                --clientsLost;
            // It missed whatever happened meanwhile (a crossing, a repair): serve it on its own.
            if (s.multicast && m->mode != Mode::Unicast)
                toUnicast(s, *m);
        }
        const quint16 opcode = quint16((quint8(data[0]) << 8) | quint8(data[1]));
        if (opcode == tftp::kAck) {
            handleAck(s, *m, quint16((quint8(data[2]) << 8) | quint8(data[3])));
        } else if (opcode == tftp::kError) {
            // The client aborted (or finished early, "TFTP Aborted" after a size query).
            m->lost = true;
            emitTransfer(s, *m, ClientTransfer::State::Aborted, true);
            if (s.repairing)
                finishRepairIfDone(s);
            else if (s.crossing)
                finishCrossingIfDone(s);
            else if (m->mode == Mode::Master && s.multicast)
                repairOrIdle(s);
        }
    }

    // --- timers ------------------------------------------------------------------------------
    Clock::time_point serviceTimers(Session &s, Clock::time_point now)
    {
        Clock::time_point next = now + 1s;
        for (auto &m : s.members) {
            if (m.done || m.lost)
                continue;
            if (s.multicast && !s.crossing) {
                if (const auto due = fastRetransmit(s, m, now); due != Clock::time_point {})
                    next = std::min(next, due);
            }
            if (m.mode == Mode::Reporter) {
                // It ACKs every block it gets: silence means the question or its answers got
                // lost, or the stream waits; ask again a few times, then let it listen.
                const auto since = std::max(m.lastSend, m.lastHeard);
                if (now - since < rto()) {
                    next = std::min(next, since + rto());
                } else if (m.promoting && ++m.retries <= kPollRetries) {
                    m.lastSend = now;
                    sendTo(s, m.lastOack, m.peer);
                    next = std::min(next, now + rto());
                } else {
                    endReport(s, m, now);
                }
                continue;
            }
            const bool crossing = m.cross == Cross::NeedLast || m.cross == Cross::NeedMove;
            const bool repair = s.repairing && !m.ready && m.mode != Mode::Unicast;
            const bool waiting
                = m.polling || m.oackPending || crossing || repair || m.mode == Mode::Unicast;
            if (!waiting)
                continue;
            const auto since = std::max(m.lastSend, m.lastHeard);
            if (now - since < rto()) {
                next = std::min(next, since + rto());
                continue;
            }
            // Poll answers come within milliseconds; a member that stays silent has usually
            // finished and closed its sockets, so do not hold everyone up for long.
            const int limit = m.polling ? kPollRetries : config.maxRetries;
            if (++m.retries > limit) {
                // A listener ACKs nothing, and iPXE closes as soon as its last block is in: one
                // that never answers a poll after the whole file went out has finished (one
                // that still lacks blocks answers, it is listening).
                const bool finishedSilently = m.polling && m.mode != Mode::Unicast
                    && s.finalWindow() && s.highestSent >= s.numBlocks - 1;
                if (finishedSilently)
                    memberDone(s, m);
                else
                    memberLost(s, m);
                if (s.repairing)
                    finishRepairIfDone(s);
                else if (s.crossing)
                    finishCrossingIfDone(s);
                continue;
            }
            m.lastSend = now;
            if (m.cross == Cross::NeedLast) {
                m.repolled = true;
                sendControl(s, m, multicastOack(s, QStringLiteral(",,1"), false)); // ask again
            } else if (m.polling || m.oackPending || m.cross == Cross::NeedMove)
                sendTo(s, m.lastOack, m.peer);
            else if (repair)
                repairMember(s, m, now, true);
            else if (m.mode == Mode::Unicast)
                sendBlock(s, m.gap, m.peer, false);
            next = std::min(next, now + rto());
        }
        if (s.multicast && !s.repairing && !s.crossing) {
            if (Member *master = s.master(); master && !master->oackPending) {
                if (now - s.lastMasterActivity >= rto()) {
                    s.lastMasterActivity = now;
                    if (++s.masterRetries > config.maxRetries) {
                        memberLost(s, *master);
                        repairOrIdle(s);
                    } else if (master->gap <= s.highestSent && windowOf(master->gap) == s.window) {
                        sendToGroup(s, master->gap, now);
                    } else {
                        pumpStream(s, now);
                    }
                }
                next = std::min(next, s.lastMasterActivity + rto());
            }
        }
        return next;
    }

    bool sessionOver(const Session &s) const
    {
        for (const auto &m : s.members)
            if (!m.done && !m.lost)
                return false;
        return true;
    }

    void run()
    {
        std::vector<char> buffer(65536);
        std::vector<pollfd> fds;
        while (!worker.stopping()) {
            auto now = Clock::now();
            Clock::time_point deadline = now + 1s;
            bool paced = false;
            for (auto &s : sessions) {
                deadline = std::min(deadline, serviceTimers(*s, now));
                if (!pumpStream(*s, now))
                    paced = true;
            }
            std::erase_if(sessions, [&](const auto &s) { return sessionOver(*s); });
            fds.clear();
            fds.push_back({ worker.wakeFd(), POLLIN, 0 });
            fds.push_back({ listenSocket.get(), POLLIN, 0 });
            for (auto &s : sessions)
                fds.push_back({ s->socket.get(), POLLIN, 0 });
            if (paced)
                deadline = std::min(deadline,
                    now + std::max(pacer.waitFor(1500, now), std::chrono::microseconds(100)));
            const auto wait = std::chrono::ceil<std::chrono::milliseconds>(deadline - now);
            if (::poll(fds.data(), nfds_t(fds.size()), int(std::max<qint64>(0, wait.count()))) < 0
                && errno != EINTR)
                break;
            if (fds[0].revents)
                break;
            for (int i = 0; i < 256; ++i) {
                sockaddr_in from {};
                socklen_t fromLength = sizeof from;
                const ssize_t n = ::recvfrom(listenSocket.get(), buffer.data(), buffer.size(), 0,
                    reinterpret_cast<sockaddr *>(&from), &fromLength);
                if (n < 0)
                    break;
                handleRequest(buffer.data(), int(n), from);
            }
            // Sessions may have been added by requests; poll indexes cover the older ones.
            const size_t polled = fds.size() - 2;
            for (size_t i = 0; i < polled && i < sessions.size(); ++i) {
                Session &s = *sessions[i];
                for (int k = 0; k < 256; ++k) {
                    sockaddr_in from {};
                    socklen_t fromLength = sizeof from;
                    const ssize_t n = ::recvfrom(s.socket.get(), buffer.data(), buffer.size(), 0,
                        reinterpret_cast<sockaddr *>(&from), &fromLength);
                    if (n < 0)
                        break;
                    handleSessionPacket(s, buffer.data(), int(n), from);
                }
            }
        }
    }
};

Result<std::unique_ptr<TftpServer>> TftpServer::start(
    const TftpServerConfig &config, TransferCallback onTransfer, LogCallback log)
{
    const QString what = QStringLiteral("starting the TFTP server");
    auto d = std::make_unique<Private>();
    d->config = config;
    d->onTransfer = std::move(onTransfer);
    d->log = std::move(log);
    if (config.maxBlockSize < kMinBlockSize || config.maxBlockSize > 65464)
        return Error(Errc::InvalidInput, QStringLiteral("block size must be 8 to 65464"))
            .context(what);
    if (config.retransmitMs < 1 || config.maxRetries < 1)
        return Error(
            Errc::InvalidInput, QStringLiteral("retransmit time and retries must be positive"))
            .context(what);
    if (config.window < 1 || config.window > 1024)
        return Error(Errc::InvalidInput, QStringLiteral("window must be 1 to 1024 blocks"))
            .context(what);
    for (const auto &[name, path] : config.files) {
        if (!QFileInfo(path).isFile()) {
            return Error(Errc::NotFound,
                QStringLiteral("%1 (published as %2) is not a file").arg(path, name))
                .context(what);
        }
    }
    if (d->config.group.address.s_addr == 0)
        inet_pton(AF_INET, "239.255.2.1", &d->config.group.address);
    if (!isMulticast(d->config.group.address)) {
        return Error(Errc::InvalidInput,
            QStringLiteral("%1 is not a multicast address").arg(d->config.group.toString()))
            .context(what);
    }
    auto iface = interfaceAddress(config.interface);
    if (!iface)
        return std::move(iface).error().context(what);
    d->interface = *iface;
    auto socket = openUdpSocket(config.listen);
    if (!socket)
        return std::move(socket).error().context(what);
    auto bound = localEndpoint(socket->get());
    if (!bound)
        return std::move(bound).error().context(what);
    d->bound = *bound;
    d->listenSocket = std::move(*socket);
    if (auto s = d->worker.init(); !s)
        return std::move(s).error().context(what);
    d->pacer = MulticastPacer(config.rateMbit);
    Private *p = d.get();
    d->worker.start([p] { p->run(); });
    return std::unique_ptr<TftpServer>(new TftpServer(std::move(d)));
}

TftpServer::TftpServer(std::unique_ptr<Private> priv)
    : d(std::move(priv))
{ }

TftpServer::~TftpServer()
{
    stop();
}

void TftpServer::stop()
{
    d->worker.stop();
}

Endpoint TftpServer::listenEndpoint() const
{
    return d->bound;
}

TftpStats TftpServer::stats() const
{
    TftpStats s;
    s.dataPackets = d->dataPackets;
    s.dataBytes = d->dataBytes;
    s.multicastPackets = d->multicastPackets;
    s.requests = d->requests;
    s.sessions = d->sessionsOpened;
    s.clientsFinished = d->clientsFinished;
    s.clientsLost = d->clientsLost;
    s.unicastFallbacks = d->unicastFallbacks;
    s.reporterTurns = d->reporterTurns;
    s.blocksResent = d->blocksResent;
    s.windowEndRepairs = d->windowEndRepairs;
    return s;
}

QStringList TftpServer::summary() const
{
    QStringList names;
    for (const auto &[name, path] : d->config.files)
        names << name;
    return { QStringLiteral(
        "TFTP/TFTM: requests on UDP %1, multicast %2 (groups from %3); files: %4")
                 .arg(d->bound.toString(),
                     d->config.multicast ? QStringLiteral("on") : QStringLiteral("off"))
                 .arg(d->config.group.toString())
                 .arg(names.join(QStringLiteral(", "))) };
}

} // namespace pecast::serve
