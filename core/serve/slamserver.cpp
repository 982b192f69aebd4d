#include "serve/slamserver.h"

#include "serve/multicastlogging.h"
#include "serve/multicastpacer.h"
#include "serve/slamcodec.h"
#include "serve/slamratecontroller.h"
#include "serve/slamrttestimator.h"
#include "serve/wakeablethread.h"

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
#include <deque>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace pecast::serve {

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// Largest UDP payload that fits one 1500-byte Ethernet frame (1500 - 20 IP - 8 UDP).
constexpr int kMaxPayload = 1472;
// Blocks sent per loop turn before looking at incoming NACKs again: keeps NACK latency low
// while the queue is long.
constexpr int kBlocksPerTurn = 32;
// How often the image file is checked for replacement (a rebuilt image gets a new id).
constexpr auto kFileCheckInterval = 1s;
// Per-client transfer events at most this often (the final one always passes).
constexpr auto kEventInterval = 250ms;
// Forget clients that said nothing for this long (bounds memory under a NACK flood).
constexpr auto kClientExpiry = 120s;
// Hard bound on remembered clients; far above any classroom.
constexpr std::size_t kMaxClients = 65536;
// The listening socket's buffer: many clients NACK at once after a ping round.
constexpr int kSocketBuffer = 4 * 1024 * 1024;
// SLAM_MAX_BLOCKS_PER_NACK: an iPXE client asks for at most this many blocks at a time.
constexpr quint64 kIpxeBlocksPerNack = 4;
// Ceiling of the adaptive re-ping timeout (srtt + 4 rttvar, like TCP's RTO): below iPXE's 0.25 s
// master timer, so the server, not the client, recovers a lost ping.
constexpr auto kMaxRepingTimeout = std::chrono::microseconds(200000);
// Answers to the repeats of an answered ping series are expected at most this long after the
// first answer (plus the series' own span): later NACKs are taken as fresh ones.
constexpr auto kDuplicateAnswerSlack = 5ms;

struct FileIdentity
{
    dev_t device = 0;
    ino_t inode = 0;
    off_t size = 0;
    struct timespec mtime = {};
    bool operator==(const FileIdentity &o) const
    {
        return device == o.device && inode == o.inode && size == o.size
            && mtime.tv_sec == o.mtime.tv_sec && mtime.tv_nsec == o.mtime.tv_nsec;
    }
};

FileIdentity identityOf(const struct stat &st)
{
    return { st.st_dev, st.st_ino, st.st_size, st.st_mtim };
}

// Fixed per file version and < 2^29, so it stays a 4-byte Int that 32-bit iPXE decodes too.
quint64 transactionIdFor(const FileIdentity &id)
{
    quint64 h = 1469598103934665603ull;
    for (quint64 v : { quint64(id.inode), quint64(id.size), quint64(id.mtime.tv_sec),
             quint64(id.mtime.tv_nsec), quint64(id.device) }) {
        h ^= v;
        h *= 1099511628211ull;
    }
    const quint64 id29 = (h ^ (h >> 29) ^ (h >> 58)) & slam::kMaxValue32BitClient;
    return id29 ? id29 : 1;
}

quint64 keyOf(const sockaddr_in &addr)
{
    return (quint64(addr.sin_addr.s_addr) << 16) | addr.sin_port;
}

} // namespace

Status checkSlamImageSize(qint64 size, bool allowLarge, QString *warning)
{
    if (size <= 0) {
        return Error(Errc::InvalidInput, QStringLiteral("the image is empty"))
            .withHint(QStringLiteral("SLAM cannot send an empty file; build the image first."));
    }
    if (quint64(size) > slam::kMaxIntValue)
        return Error(Errc::Unsupported, QStringLiteral("the image is too large for SLAM"));
    if (quint64(size) > slam::kMaxValue32BitClient) {
        const QString why = QStringLiteral(
            "the image is %1 bytes; 32-bit iPXE clients (undionly.kpxe, ipxe.lkrn, NIC ROMs) "
            "reject SLAM files of 512 MiB (536870912 bytes) or more and hang without an error")
                                .arg(size);
        if (!allowLarge) {
            return Error(Errc::Unsupported, why)
                .withHint(QStringLiteral("Serve it over HTTP or TFTM, make the image smaller, or "
                                         "pass --allow-large if every client runs a 64-bit "
                                         "iPXE."));
        }
        if (warning)
            *warning = QStringLiteral("warning: %1; serving anyway (--allow-large)").arg(why);
    }
    return {};
}

class SlamServer::Private
{
public:
    struct Client
    {
        sockaddr_in address {};
        quint64 connectionId = 0;
        Clock::time_point firstSeen;
        Clock::time_point lastHeard;
        Clock::time_point lastPing;
        Clock::time_point lastEvent;
        quint64 firstGap = 0;
        quint64 pingAfter = 0; // ping once this many blocks have been dequeued
        int pings = 0; // pings sent since the last NACK (the current series)
        bool awaitingSend = false; // its blocks are queued; ping when they are out
        bool awaitingNack = false; // pinged, waiting for its NACK
        bool finished = false;
        // Send sequence number of the first ping of the current series, and of the ping the
        // last fresh NACK answered: a NACK describes the client's bitmap when that ping came
        // in, so blocks sent after it are on their way, not lost.
        quint64 seriesSequence = 0;
        quint64 answeredSequence = 0;
        quint64 joinedSequence = 0; // blocks sent before its first NACK it may never have heard
        Clock::time_point seriesStart;
        // Repeats of an answered series may still bring their own (stale) answers: soon, and
        // without progress past the first answer's gap.
        int staleAnswers = 0;
        Clock::time_point staleUntil;
        quint64 staleGap = 0;
        // Ping round trip (ping sent -> NACK received), from series with a single ping only
        // (Karn's rule: an answer to a repeated ping is ambiguous).
        SlamRttEstimator rtt { kMaxRepingTimeout, kMaxRepingTimeout, kMaxRepingTimeout };
    };

    SlamServerConfig config;
    TransferCallback onTransfer;
    LogCallback log;
    UniqueFd socket;
    UniqueFd file;
    FileIdentity identity;
    Endpoint bound;
    Endpoint groupEndpoint;
    sockaddr_in groupAddr {};
    qint64 size = 0;
    quint64 numBlocks = 0;
    quint64 txid = 0;
    QByteArray header;
    WakeableThread worker; // polls the socket and worker.wakeFd()

    // Scheduling state (server thread only).
    std::deque<quint32> queue;
    std::vector<quint8> queued; // 1 while a block sits in the queue
    std::vector<quint64> lastSent; // send sequence number of the block's last copy, 0 = never
    quint64 sequence = 0; // counts data packets and pings sent, in order
    quint64 frontier = 0; // blocks from here on were never queued (the sweep's front)
    quint64 enqueued = 0;
    quint64 dequeued = 0;
    std::unordered_map<quint64, Client> clients;
    quint64 nextConnectionId = 1;
    MulticastPacer pacer;
    SlamRateController rateControl;
    Clock::time_point lastFileCheck;

    // Stats, readable from any thread.
    std::atomic<quint64> dataPackets { 0 }, dataBytes { 0 }, blocksResent { 0 },
        resendsSuppressed { 0 }, pings { 0 }, repings { 0 }, staleNacks { 0 }, burstLosses { 0 },
        rateDecreases { 0 }, rateLimitKbit { 0 }, nacks { 0 }, malformed { 0 }, clientsKnown { 0 },
        clientsFinished { 0 };

    void setFile(UniqueFd fd, const struct stat &st)
    {
        file = std::move(fd);
        identity = identityOf(st);
        size = st.st_size;
        numBlocks = (quint64(size) + config.blockSize - 1) / config.blockSize;
        txid = transactionIdFor(identity);
        header = slam::encodeHeader(txid, quint64(size), config.blockSize);
        queue.clear();
        queued.assign(numBlocks, 0);
        lastSent.assign(numBlocks, 0);
        enqueued = dequeued = 0;
        frontier = 0;
        for (auto &[key, client] : clients) {
            client.awaitingSend = client.awaitingNack = false;
            client.firstGap = 0;
            client.staleAnswers = 0;
            client.answeredSequence = client.seriesSequence = sequence;
        }
    }

    void emitTransfer(Client &client, ClientTransfer::State state, bool force)
    {
        const auto now = Clock::now();
        if (!onTransfer || (!force && now - client.lastEvent < kEventInterval))
            return;
        client.lastEvent = now;
        ClientTransfer t;
        t.connectionId = client.connectionId;
        t.peer = Endpoint::fromSockaddr(client.address).toString();
        t.protocol = QStringLiteral("slam");
        t.name = config.name;
        t.status = 0;
        t.bytesSent = std::min<qint64>(size, qint64(client.firstGap) * config.blockSize);
        if (state == ClientTransfer::State::Done)
            t.bytesSent = size;
        t.total = size;
        t.fileSize = size;
        const double seconds = std::chrono::duration<double>(now - client.firstSeen).count();
        t.rate = seconds > 0 ? t.bytesSent / seconds : 0;
        t.state = state;
        onTransfer(t);
    }

    void handlePacket(const char *data, int length, const sockaddr_in &from)
    {
        const auto now = Clock::now();
        const quint64 key = keyOf(from);
        const slam::Nack nack = slam::parseNack(data, length, numBlocks);
        if (nack.leave) {
            auto it = clients.find(key);
            if (it != clients.end()) {
                if (!it->second.finished) {
                    it->second.finished = true;
                    ++clientsFinished;
                    qCDebug(lcSlam) << Endpoint::fromSockaddr(from).toString() << "left";
                    // A client leaves when complete or when it gives up; iPXE sends 00 in both
                    // cases. Its last NACK tells which.
                    emitTransfer(it->second, ClientTransfer::State::Done, true);
                }
                clients.erase(it);
            }
            return;
        }
        if (nack.malformed || nack.runs.empty()) {
            ++malformed;
            qCDebug(lcSlam) << Endpoint::fromSockaddr(from).toString() << "ignored NACK of"
                            << length << "bytes"
                            << (nack.malformed ? "(malformed)" : "(no blocks)");
            return;
        }
        ++nacks;
        auto it = clients.find(key);
        const bool isNew = it == clients.end();
        if (isNew) {
            if (clients.size() >= kMaxClients)
                expireClients(now, true);
            Client client;
            client.address = from;
            client.connectionId = nextConnectionId++;
            client.firstSeen = now;
            client.joinedSequence = sequence;
            const auto floor = std::min<std::chrono::microseconds>(
                std::chrono::milliseconds(std::max(0, config.minRepingMs)), kMaxRepingTimeout);
            client.rtt = SlamRttEstimator(
                std::chrono::milliseconds(config.repingIntervalMs), floor, kMaxRepingTimeout);
            it = clients.emplace(key, client).first;
            ++clientsKnown;
            qCDebug(lcSlam) << Endpoint::fromSockaddr(from).toString() << "joined";
            emitTransfer(it->second, ClientTransfer::State::Started, true);
        }
        Client &client = it->second;
        client.lastHeard = now;
        client.firstGap = nack.firstGap;
        client.finished = false;

        // Which ping does this NACK answer? The current series' first ping (conservative when
        // pings were repeated), or, for the late answer to a repeat of a series already
        // answered, that older series; a NACK nobody asked for (the client's own timers)
        // describes its bitmap no later than its previous answer did.
        bool stale = false;
        bool answered = false; // a fresh answer to a ping
        quint64 reference = client.answeredSequence;
        if (client.staleAnswers > 0 && now <= client.staleUntil
            && nack.firstGap <= client.staleGap) {
            stale = true;
            --client.staleAnswers;
            ++staleNacks;
        } else if (client.awaitingNack) {
            // Overflow is judged only on unambiguous answers: one ping in the series and no
            // answer to an earlier series' repeats outstanding (a late one, written before the
            // last blocks arrived, would make them look lost).
            answered = true;
            const bool unambiguous
                = client.pings == 1 && (client.staleAnswers == 0 || now > client.staleUntil);
            reference = client.seriesSequence;
            if (client.pings == 1)
                client.rtt.addSample(now - client.seriesStart);
            client.staleAnswers = client.pings - 1;
            client.staleGap = nack.firstGap;
            client.staleUntil = now + (client.lastPing - client.seriesStart) + client.rtt.timeout()
                + kDuplicateAnswerSlack;
            client.answeredSequence = reference;
            client.awaitingNack = false;
            client.pings = 0;
            if (config.adaptiveRate && unambiguous
                && isBurstLoss(nack, client.joinedSequence, reference)) {
                ++burstLosses;
                if (rateControl.burstLoss(now)) {
                    ++rateDecreases;
                    rateLimitKbit = quint64(rateControl.rateAt(now) * 8 / 1000);
                    qCDebug(lcSlam) << "receiver overflow reported by"
                                    << Endpoint::fromSockaddr(from).toString() << "; pacing at"
                                    << rateControl.rateAt(now) * 8 / 1e6 << "Mbit/s";
                }
            }
        } else if (isNew) {
            reference = client.answeredSequence = sequence;
        }

        // Read ahead only from what looks like the client's frontier: iPXE stops its run at the
        // first block it holds, so after a short run the next block is there already; and a
        // block sent after the last one it asks for probably reached it (it was listening by
        // then), so only blocks sent no later than that one, or never, are read ahead.
        const auto &last = nack.runs.back();
        const quint64 end = last.first + last.count;
        const quint64 frontierBefore = frontier;
        const bool readAhead = last.count >= kIpxeBlocksPerNack && end < numBlocks;
        const quint64 anchor = readAhead ? lastSent[end - 1] : 0;
        bool waitsForQueued = false;
        for (const auto &run : nack.runs) {
            for (quint64 b = run.first; b < run.first + run.count; ++b)
                waitsForQueued |= request(b, reference, true);
        }
        if (readAhead) {
            for (quint64 b = end; b < std::min(numBlocks, end + quint64(config.readAhead)); ++b) {
                if (lastSent[b] <= anchor)
                    request(b, reference, false);
            }
        } else if (answered && sweepStalled(frontierBefore, reference)) {
            // The client is busy with a hole and nobody moved the sweep since its ping: move
            // it on its behalf, so that the others' holes do not stop new blocks for all.
            const quint64 stop = std::min(numBlocks, frontierBefore + quint64(config.readAhead));
            for (quint64 b = frontierBefore; b < stop; ++b)
                request(b, reference, false);
        }
        if (!stale || (!client.awaitingSend && !client.awaitingNack)) {
            // Ping once what it asked for is out; at once when all of it already is.
            const quint64 after = waitsForQueued ? enqueued : dequeued;
            client.pingAfter = client.awaitingSend ? std::max(client.pingAfter, after) : after;
            client.awaitingSend = true;
        }
        emitTransfer(client, ClientTransfer::State::Progress, false);
    }

    // kIpxeBlocksPerNack blocks in a row, all sent to the client (after it joined, before the
    // ping it answers) and all missing: its receive queue overflowed.
    bool isBurstLoss(const slam::Nack &nack, quint64 joined, quint64 reference) const
    {
        for (const auto &run : nack.runs) {
            quint64 inRow = 0;
            for (quint64 b = run.first; b < run.first + run.count; ++b) {
                const bool lost = lastSent[b] > joined && lastSent[b] <= reference;
                inRow = lost ? inRow + 1 : 0;
                if (inRow >= kIpxeBlocksPerNack)
                    return true;
            }
        }
        return false;
    }

    // True when the first never-sent block is `frontierAt` and the block before it went out
    // before `reference` (the ping a client answered): the sweep has not moved since.
    bool sweepStalled(quint64 frontierAt, quint64 reference) const
    {
        return frontierAt > 0 && frontierAt < numBlocks && lastSent[frontierAt - 1] != 0
            && lastSent[frontierAt - 1] <= reference;
    }

    // Queues `block` unless it is queued already or went out after `reference` (the client had
    // not seen that copy when it wrote the NACK). Returns true when the block is (now) queued.
    bool request(quint64 block, quint64 reference, bool asked)
    {
        if (queued[block])
            return true;
        if (lastSent[block] > reference) {
            if (asked)
                ++resendsSuppressed;
            return false;
        }
        queued[block] = 1;
        queue.push_back(quint32(block));
        ++enqueued;
        frontier = std::max(frontier, block + 1);
        return true;
    }

    void expireClients(Clock::time_point now, bool force)
    {
        for (auto it = clients.begin(); it != clients.end();) {
            if (now - it->second.lastHeard > kClientExpiry || (force && !it->second.awaitingSend))
                it = clients.erase(it);
            else
                ++it;
        }
    }

    // Returns false when the socket is full (try again when writable).
    bool sendBlock(quint64 block)
    {
        char packet[kMaxPayload + 64];
        const int headerLength = int(header.size());
        memcpy(packet, header.constData(), headerLength);
        QByteArray blockInt = slam::encodeInt(block);
        memcpy(packet + headerLength, blockInt.constData(), blockInt.size());
        const int offset = headerLength + int(blockInt.size());
        const qint64 start = qint64(block) * config.blockSize;
        const int want = int(std::min<qint64>(config.blockSize, size - start));
        int got = 0;
        while (got < want) {
            const ssize_t n = ::pread(file.get(), packet + offset + got, want - got, start + got);
            if (n <= 0) {
                // The file shrank under us: send nothing for this block; it stays missing for
                // clients and the file check picks up the new version.
                qCWarning(lcSlam) << "reading block" << block << "failed";
                return true;
            }
            got += int(n);
        }
        const ssize_t sent = ::sendto(socket.get(), packet, offset + want, 0,
            reinterpret_cast<const sockaddr *>(&groupAddr), sizeof groupAddr);
        if (sent < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)
                return false;
            qCWarning(lcSlam) << "sending block" << block << "failed:" << strerror(errno);
            return true;
        }
        ++dataPackets;
        dataBytes += quint64(sent);
        rateControl.sent(int(sent), Clock::now());
        if (lastSent[block])
            ++blocksResent;
        lastSent[block] = ++sequence;
        return true;
    }

    void sendPing(Client &client, Clock::time_point now)
    {
        ::sendto(socket.get(), header.constData(), size_t(header.size()), 0,
            reinterpret_cast<const sockaddr *>(&client.address), sizeof client.address);
        ++pings;
        ++sequence;
        if (!client.awaitingNack) {
            client.seriesSequence = sequence;
            client.seriesStart = now;
            client.pings = 0;
        }
        ++client.pings;
        client.lastPing = now;
        client.awaitingNack = true;
    }

    // Pings clients whose blocks are out; re-pings silent ones. Returns the next deadline.
    Clock::time_point servicePings(Clock::time_point now)
    {
        Clock::time_point next = now + 1h;
        for (auto &[key, client] : clients) {
            if (client.finished)
                continue;
            // Doubles with every repeat (the client may just be slow), like any RTO.
            const auto interval = client.rtt.timeoutForRepeat(client.pings);
            if (client.awaitingSend && dequeued >= client.pingAfter) {
                client.awaitingSend = false;
                sendPing(client, now);
            } else if (client.awaitingNack && now - client.lastPing >= interval) {
                if (client.pings >= config.maxPings) {
                    client.awaitingNack = false;
                    qCDebug(lcSlam) << Endpoint::fromSockaddr(client.address).toString()
                                    << "silent after" << client.pings << "pings";
                    emitTransfer(client, ClientTransfer::State::Progress, true);
                    continue;
                }
                ++repings;
                sendPing(client, now);
            }
            if (client.awaitingNack)
                next = std::min(next, client.lastPing + client.rtt.timeoutForRepeat(client.pings));
        }
        return next;
    }

    void checkFile(Clock::time_point now)
    {
        lastFileCheck = now;
        struct stat st
        {
        };
        if (::stat(config.imagePath.toLocal8Bit().constData(), &st) != 0)
            return; // replaced right now, or removed: keep serving the open file
        if (identityOf(st) == identity)
            return;
        QString warning;
        if (!checkSlamImageSize(st.st_size, config.allowLarge, &warning)) {
            qCWarning(lcSlam) << "image changed to an unusable size; still serving the old one";
            return;
        }
        UniqueFd fd(::open(config.imagePath.toLocal8Bit().constData(), O_RDONLY | O_CLOEXEC));
        struct stat fst
        {
        };
        if (!fd.valid() || ::fstat(fd.get(), &fst) != 0)
            return;
        setFile(std::move(fd), fst);
        if (log)
            log(QStringLiteral("SLAM: image changed, new transfer id %1 (clients restart)")
                    .arg(txid));
    }

    void run()
    {
        std::vector<char> buffer(65536);
        lastFileCheck = Clock::now();
        bool waitWritable = false;
        while (!worker.stopping()) {
            auto now = Clock::now();
            const double rate = rateControl.rateAt(now);
            pacer.setBytesPerSecond(rate);
            rateLimitKbit = quint64(rate * 8 / 1000);
            const auto pingDeadline = servicePings(now);
            auto deadline = std::min(pingDeadline, lastFileCheck + kFileCheckInterval);
            if (!queue.empty() && !waitWritable) {
                const int bytes = int(header.size()) + 4 + config.blockSize;
                deadline = std::min(deadline, now + pacer.waitFor(bytes, now));
            }
            const auto waitMs = std::chrono::ceil<std::chrono::milliseconds>(deadline - now);
            pollfd fds[2] = { { socket.get(), short(POLLIN | (waitWritable ? POLLOUT : 0)), 0 },
                { worker.wakeFd(), POLLIN, 0 } };
            int timeout = int(std::max<qint64>(0, waitMs.count()));
            if (!queue.empty() && !waitWritable && pacer.waitFor(1500, now).count() == 0)
                timeout = 0;
            if (::poll(fds, 2, timeout) < 0 && errno != EINTR) {
                qCWarning(lcSlam) << "poll failed:" << strerror(errno);
                break;
            }
            if (fds[1].revents)
                break;
            if (fds[0].revents & POLLOUT)
                waitWritable = false;
            // Drain every waiting NACK before sending: merged requests, never dropped ones.
            for (int i = 0; i < 1024; ++i) {
                sockaddr_in from {};
                socklen_t fromLength = sizeof from;
                const ssize_t n = ::recvfrom(socket.get(), buffer.data(), buffer.size(), 0,
                    reinterpret_cast<sockaddr *>(&from), &fromLength);
                if (n < 0)
                    break;
                handlePacket(buffer.data(), int(n), from);
            }
            now = Clock::now();
            for (int i = 0; i < kBlocksPerTurn && !queue.empty() && !waitWritable; ++i) {
                const quint32 block = queue.front();
                const int bytes = int(header.size()) + 4 + config.blockSize;
                if (!pacer.tryTake(bytes, now))
                    break;
                if (!sendBlock(block)) {
                    waitWritable = true;
                    break;
                }
                queue.pop_front();
                queued[block] = 0;
                ++dequeued;
            }
            now = Clock::now();
            if (now - lastFileCheck >= kFileCheckInterval) {
                checkFile(now);
                expireClients(now, false);
            }
        }
    }
};

Result<std::unique_ptr<SlamServer>> SlamServer::start(
    const SlamServerConfig &config, TransferCallback onTransfer, LogCallback log)
{
    auto d = std::make_unique<Private>();
    d->config = config;
    d->onTransfer = std::move(onTransfer);
    d->log = std::move(log);
    const QString what = QStringLiteral("starting the SLAM server");

    UniqueFd file(::open(config.imagePath.toLocal8Bit().constData(), O_RDONLY | O_CLOEXEC));
    if (!file.valid())
        return Error::fromErrno(errno, QStringLiteral("opening %1").arg(config.imagePath))
            .context(what);
    struct stat st
    {
    };
    if (::fstat(file.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
        return Error(
            Errc::InvalidInput, QStringLiteral("%1 is not a regular file").arg(config.imagePath))
            .context(what);
    }
    QString warning;
    if (auto s = checkSlamImageSize(st.st_size, config.allowLarge, &warning); !s)
        return std::move(s).error().context(QStringLiteral("%1: %2").arg(what, config.imagePath));
    if (!warning.isEmpty() && d->log)
        d->log(warning);

    // Header (<= 15 bytes for sizes below 2^37) + block number Int + data must fit one frame.
    const auto headerLength
        = slam::encodeHeader(slam::kMaxValue32BitClient, quint64(st.st_size), config.blockSize)
              .size();
    const auto blockIntLength
        = slam::encodeInt(quint64(st.st_size) / std::max(1, config.blockSize)).size();
    const int maxBlockSize = kMaxPayload - int(headerLength) - int(blockIntLength);
    if (config.blockSize < 64 || config.blockSize > maxBlockSize) {
        return Error(Errc::InvalidInput,
            QStringLiteral("block size %1 is out of range (64 to %2 for this image)")
                .arg(config.blockSize)
                .arg(maxBlockSize))
            .withHint(QStringLiteral("Larger blocks would not fit one 1500-byte Ethernet frame."))
            .context(what);
    }
    if (config.ttl < 0 || config.ttl > 255)
        return Error(Errc::InvalidInput, QStringLiteral("TTL must be 0 to 255")).context(what);

    d->groupEndpoint = config.group;
    if (d->groupEndpoint.address.s_addr == 0)
        inet_pton(AF_INET, "239.255.1.1", &d->groupEndpoint.address);
    if (!isMulticast(d->groupEndpoint.address)) {
        return Error(Errc::InvalidInput,
            QStringLiteral("%1 is not a multicast address").arg(d->groupEndpoint.toString()))
            .context(what);
    }
    d->groupAddr = d->groupEndpoint.toSockaddr();

    auto iface = interfaceAddress(config.interface);
    if (!iface)
        return std::move(iface).error().context(what);
    auto socket = openUdpSocket(config.listen);
    if (!socket)
        return std::move(socket).error().context(what);
    if (auto s = setMulticastSendOptions(socket->get(), *iface, config.ttl, config.loopback); !s)
        return std::move(s).error().context(what);
    setSocketBuffers(socket->get(), kSocketBuffer, kSocketBuffer);
    auto bound = localEndpoint(socket->get());
    if (!bound)
        return std::move(bound).error().context(what);
    d->bound = *bound;
    d->socket = std::move(*socket);
    if (auto s = d->worker.init(); !s)
        return std::move(s).error().context(what);
    d->pacer = MulticastPacer(config.rateMbit);
    d->rateControl = SlamRateController(std::max(0.0, config.rateMbit) * 1e6 / 8);
    d->setFile(std::move(file), st);
    qCDebug(lcSlam) << "serving" << config.imagePath << d->size << "bytes," << d->numBlocks
                    << "blocks of" << config.blockSize << "on" << d->bound.toString() << "->"
                    << d->groupEndpoint.toString() << "txid" << d->txid;
    Private *p = d.get();
    d->worker.start([p] { p->run(); });
    return std::unique_ptr<SlamServer>(new SlamServer(std::move(d)));
}

SlamServer::SlamServer(std::unique_ptr<Private> priv)
    : d(std::move(priv))
{ }

SlamServer::~SlamServer()
{
    stop();
}

void SlamServer::stop()
{
    d->worker.stop();
}

Endpoint SlamServer::listenEndpoint() const
{
    return d->bound;
}

Endpoint SlamServer::group() const
{
    return d->groupEndpoint;
}

qint64 SlamServer::fileSize() const
{
    return d->size;
}

int SlamServer::blockSize() const
{
    return d->config.blockSize;
}

quint64 SlamServer::transactionId() const
{
    return d->txid;
}

SlamStats SlamServer::stats() const
{
    SlamStats s;
    s.dataPackets = d->dataPackets;
    s.dataBytes = d->dataBytes;
    s.blocksResent = d->blocksResent;
    s.resendsSuppressed = d->resendsSuppressed;
    s.pings = d->pings;
    s.repings = d->repings;
    s.staleNacks = d->staleNacks;
    s.burstLosses = d->burstLosses;
    s.rateDecreases = d->rateDecreases;
    s.rateLimitKbit = d->rateLimitKbit;
    s.nacks = d->nacks;
    s.malformed = d->malformed;
    s.clientsKnown = d->clientsKnown;
    s.clientsFinished = d->clientsFinished;
    return s;
}

QStringList SlamServer::summary() const
{
    return { QStringLiteral("SLAM: NACKs on UDP %1, data to %2 (%3 blocks of %4 bytes, id %5)")
                 .arg(d->bound.toString(), d->groupEndpoint.toString())
                 .arg(d->numBlocks)
                 .arg(d->config.blockSize)
                 .arg(d->txid) };
}

} // namespace pecast::serve
