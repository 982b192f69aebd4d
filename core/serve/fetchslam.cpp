// SLAM client with iPXE's rules (src/net/udp/slam.c; docs/slam-protocol.md §6-7).

#include "serve/fetchoutput.h"
#include "serve/fetchprotocols.h"
#include "serve/fetchretrytimer.h"
#include "serve/multicastlogging.h"
#include "serve/multicastsocket.h"
#include "serve/slamcodec.h"

#include <arpa/inet.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <deque>
#include <optional>
#include <vector>

namespace pecast::serve {

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// SLAM_SLAVE_TIMEOUT: listen this long before asking; restarted by every multicast packet.
constexpr auto kSlaveTimeout = std::chrono::duration_cast<FetchRetryTimer::Duration>(1s);
// SLAM_MAX_BLOCKS_PER_NACK: iPXE's flow-control window, "a policy decision".
constexpr quint64 kMaxBlocksPerNack = 4;
// Wake up at least this often to notice a cancel request.
constexpr int kMaxPollMs = 100;
// The receive buffers: a server may send ahead, and many clients share a host in benchmarks.
constexpr int kReceiveBuffer = 4 * 1024 * 1024;
// Multicast packets handled per wake-up before timers and cancel are looked at again.
constexpr int kMaxPacketsPerWake = 256;
// Multicast packets handled between two looks at the unicast socket.
constexpr int kMulticastBatch = 32;
// Pings held while the data that arrived before them is handled (iPXE answers a ping at once,
// so more than a few are never waiting).
constexpr std::size_t kMaxQueuedUnicast = 16;
// Largest unicast datagram we read: a ping is <= 21 bytes; anything longer is dropped anyway.
constexpr std::size_t kUnicastCapacity = 2048;

// One received datagram and its kernel arrival time (SO_TIMESTAMPNS).
struct ReceivedPacket
{
    std::vector<char> buffer;
    int length = 0;
    timespec arrival {};

    explicit ReceivedPacket(std::size_t capacity)
        : buffer(capacity)
    { }
    bool receive(int fd)
    {
        char control[CMSG_SPACE(sizeof(timespec))];
        iovec iov { buffer.data(), buffer.size() };
        msghdr msg {};
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control;
        msg.msg_controllen = sizeof control;
        const ssize_t n = ::recvmsg(fd, &msg, 0);
        if (n < 0)
            return false;
        length = int(n);
        arrival = {};
        for (cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS)
                memcpy(&arrival, CMSG_DATA(c), sizeof arrival);
        }
        return true;
    }
    bool arrivedBefore(const ReceivedPacket &other) const
    {
        return arrival.tv_sec != other.arrival.tv_sec ? arrival.tv_sec < other.arrival.tv_sec
                                                      : arrival.tv_nsec < other.arrival.tv_nsec;
    }
};

void enableArrivalTimestamps(int fd)
{
    const int on = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
}

class SlamFetch
{
public:
    SlamFetch(const FetchOptions &options, Progress &progress, FetchOutput output)
        : m_options(options)
        , m_progress(progress)
        , m_output(std::move(output))
        , m_loss(options.lossPercent, options.seed)
    { }

    Result<FetchStats> run(const QUrl &url)
    {
        if (auto s = open(url); !s)
            return std::move(s).error();
        // The initial state pretends a one-block file, so the first NACK is (0,1).
        if (auto s = m_output.setLayout(0, 1, 1, true); !s)
            return std::move(s).error();
        m_progress.beginStage(QStringLiteral("Receiving %1").arg(url.toString()), -1);
        const auto started = Clock::now();
        m_slave.startFixed(started, kSlaveTimeout);
        while (!m_done) {
            if (auto s = m_progress.check(); !s)
                return finish(std::move(s).error());
            auto now = Clock::now();
            auto next = now + std::chrono::milliseconds(kMaxPollMs);
            if (m_slave.running())
                next = std::min(next, m_slave.expiry());
            if (m_master.running())
                next = std::min(next, m_master.expiry());
            const auto wait = std::chrono::ceil<std::chrono::milliseconds>(next - now);
            pollfd fds[2] = { { m_unicast.get(), POLLIN, 0 }, { m_multicast.get(), POLLIN, 0 } };
            const bool held = !m_unicastQueue.empty();
            if (::poll(fds, 2, held ? 0 : int(std::max<qint64>(0, wait.count()))) < 0
                && errno != EINTR)
                return finish(Error::fromErrno(errno, QStringLiteral("waiting for SLAM packets")));
            if (auto s = receivePackets(); !s)
                return finish(std::move(s).error());
            now = Clock::now();
            if (!m_done && m_slave.due(now)) {
                // "Try to become the master client", or give up after ~15 s of silence.
                if (m_slave.expire()) {
                    return finish(Error(Errc::Network,
                        QStringLiteral("no SLAM data for 15 seconds from %1 (group %2)")
                            .arg(m_server.toString(), m_group.toString()))
                                      .withHint(QStringLiteral(
                                          "Check that the server runs, that multicast reaches "
                                          "this host (route or --interface), and the group.")));
                }
                m_slave.start(now);
                sendNack();
            }
            if (!m_done && m_master.due(now)) {
                if (!m_master.expire()) {
                    m_master.start(now);
                    sendNack();
                }
            }
        }
        m_stats.seconds = std::chrono::duration<double>(Clock::now() - started).count();
        return finish(std::nullopt);
    }

private:
    // iPXE has one NIC queue and handles packets in the order they arrived, so data sent before
    // a ping is in the bitmap when the ping is answered. With two sockets that order would be
    // lost (a ping read before the data queued ahead of it brings a NACK for blocks already
    // here); the kernel's receive timestamps restore it.
    Status receivePackets()
    {
        for (int handled = 0; handled < kMaxPacketsPerWake && !m_done;) {
            while (m_unicastQueue.size() < kMaxQueuedUnicast) {
                ReceivedPacket packet(kUnicastCapacity);
                if (!packet.receive(m_unicast.get()))
                    break;
                m_unicastQueue.push_back(std::move(packet));
            }
            bool multicastEmpty = false;
            for (int i = 0; i < kMulticastBatch && !m_done; ++i, ++handled) {
                if (!m_multicastPacket.receive(m_multicast.get())) {
                    multicastEmpty = true;
                    break;
                }
                while (!m_done && !m_unicastQueue.empty()
                    && m_unicastQueue.front().arrivedBefore(m_multicastPacket)) {
                    if (auto s = handleQueuedUnicast(); !s)
                        return s;
                }
                if (m_loss.drop())
                    continue;
                if (auto s
                    = multicastPacket(m_multicastPacket.buffer.data(), m_multicastPacket.length);
                    !s)
                    return s;
            }
            if (!multicastEmpty)
                continue;
            // Everything that arrived before the held pings has been handled.
            while (!m_done && !m_unicastQueue.empty()) {
                if (auto s = handleQueuedUnicast(); !s)
                    return s;
            }
            break;
        }
        return {};
    }

    Status handleQueuedUnicast()
    {
        ReceivedPacket packet = std::move(m_unicastQueue.front());
        m_unicastQueue.pop_front();
        if (m_loss.drop())
            return {};
        return unicastPacket(packet.buffer.data(), packet.length);
    }

    Status open(const QUrl &url)
    {
        if (url.host().isEmpty())
            return Error(Errc::InvalidInput, QStringLiteral("x-slam URL without a server"));
        auto server = parseAddress(url.host());
        if (!server)
            return std::move(server).error();
        m_server.address = *server;
        m_server.port = std::uint16_t(url.port(10000));
        inet_pton(AF_INET, "239.255.1.1", &m_group.address);
        m_group.port = 10000;
        // "/GROUP:PORT" as iPXE intended it (before the v1.21.1 parsing bug, slam-protocol §3).
        QString path = url.path();
        if (path.startsWith(QLatin1Char('/')))
            path.remove(0, 1);
        if (!path.isEmpty()) {
            const auto colon = path.indexOf(QLatin1Char(':'));
            if (colon >= 0) {
                bool ok = false;
                const uint port = path.mid(colon + 1).toUInt(&ok, 0);
                if (!ok || port == 0 || port > 65535)
                    return Error(Errc::InvalidInput,
                        QStringLiteral("invalid multicast port in %1").arg(path));
                m_group.port = std::uint16_t(port);
            }
            in_addr group {};
            if (inet_pton(AF_INET, path.left(colon).toLatin1().constData(), &group) == 1)
                m_group.address = group;
        }
        auto iface = interfaceAddress(m_options.interface);
        if (!iface)
            return std::move(iface).error();
        auto unicast = openUdpSocket(Endpoint {});
        if (!unicast)
            return std::move(unicast).error();
        const sockaddr_in serverAddr = m_server.toSockaddr();
        if (::connect(
                unicast->get(), reinterpret_cast<const sockaddr *>(&serverAddr), sizeof serverAddr)
            != 0)
            return Error::fromErrno(
                errno, QStringLiteral("connecting to %1").arg(m_server.toString()));
        auto multicast = openMulticastReceiver(m_group, *iface);
        if (!multicast)
            return std::move(multicast).error();
        setSocketBuffers(multicast->get(), kReceiveBuffer, 0);
        enableArrivalTimestamps(unicast->get());
        enableArrivalTimestamps(multicast->get());
        m_unicast = std::move(*unicast);
        m_multicast = std::move(*multicast);
        return {};
    }

    // Header check shared by data and pings: identical bytes, or a new transfer (reset).
    Status pullHeader(const char *data, int length, int &pos, bool &valid)
    {
        valid = false;
        if (m_header.size() > 0 && length >= m_header.size()
            && memcmp(data, m_header.constData(), size_t(m_header.size())) == 0) {
            pos = int(m_header.size());
            valid = true;
            return {};
        }
        const auto header = slam::decodeHeader(data, length);
        if (!header || header->blockSize == 0 || header->totalBytes == 0)
            return {}; // malformed: dropped (it already restarted the slave timer)
        m_header = QByteArray(data, header->length);
        m_blockSize = qint64(header->blockSize);
        const qint64 total = qint64(header->totalBytes);
        const qint64 blocks = (total + m_blockSize - 1) / m_blockSize;
        qCDebug(lcFetch) << "SLAM transfer" << header->transactionId << total << "bytes," << blocks
                         << "blocks of" << m_blockSize;
        if (auto s = m_output.setLayout(total, m_blockSize, blocks, true); !s)
            return s;
        m_progress.setTotal(total);
        m_stats.bytes = total;
        pos = header->length;
        valid = true;
        return {};
    }

    Status multicastPacket(const char *data, int length)
    {
        const auto now = Clock::now();
        m_slave.startFixed(now, kSlaveTimeout);
        m_master.stop(now);
        int pos = 0;
        bool valid = false;
        if (auto s = pullHeader(data, length, pos, valid); !s || !valid)
            return s;
        const auto block = slam::decodeInt(data, length, pos);
        if (!block || qint64(*block) >= m_output.numBlocks())
            return {};
        const qint64 dataLength = length - pos;
        const bool last = qint64(*block) == m_output.numBlocks() - 1;
        if (dataLength > m_blockSize || (!last && dataLength != m_blockSize))
            return {};
        if (m_output.has(qint64(*block))) {
            ++m_stats.duplicates;
            return {};
        }
        ++m_stats.packetsReceived;
        if (auto s = m_output.writeBlock(qint64(*block), data + pos, dataLength); !s)
            return s;
        m_progress.update(std::min(m_output.size(), m_output.held() * m_blockSize));
        if (m_output.complete())
            m_done = true;
        return {};
    }

    Status unicastPacket(const char *data, int length)
    {
        const auto now = Clock::now();
        m_master.stop(now);
        m_master.start(now);
        int pos = 0;
        bool valid = false;
        if (auto s = pullHeader(data, length, pos, valid); !s || !valid)
            return s;
        if (pos != length)
            return {}; // a ping is the header and nothing else
        sendNack();
        if (m_output.complete())
            m_done = true;
        return {};
    }

    void sendNack()
    {
        const qint64 first = m_output.firstGap();
        qint64 count = 0;
        while (count < qint64(kMaxBlocksPerNack) && first + count < m_output.numBlocks()
            && !m_output.has(first + count))
            ++count;
        if (count == 0)
            return; // complete
        const QByteArray nack = slam::encodeNack(quint64(first), quint64(count));
        m_everNacked = true;
        ++m_stats.requestsSent;
        if (m_loss.drop())
            return;
        ::send(m_unicast.get(), nack.constData(), size_t(nack.size()), 0);
    }

    Result<FetchStats> finish(std::optional<Error> error)
    {
        // slam_finished(): a client that ever NACKed says goodbye with one 00 byte.
        if (m_everNacked) {
            const char leave = 0;
            ::send(m_unicast.get(), &leave, 1, 0);
        }
        if (error)
            return std::move(*error);
        if (auto s = m_output.commit(); !s)
            return std::move(s).error();
        m_stats.droppedByLossInjection = m_loss.dropped();
        m_progress.update(m_output.size());
        return m_stats;
    }

    const FetchOptions &m_options;
    Progress &m_progress;
    FetchOutput m_output;
    LossInjector m_loss;
    Endpoint m_server;
    Endpoint m_group;
    UniqueFd m_unicast;
    UniqueFd m_multicast;
    ReceivedPacket m_multicastPacket { 65536 };
    std::deque<ReceivedPacket> m_unicastQueue;
    FetchRetryTimer m_slave;
    FetchRetryTimer m_master;
    QByteArray m_header; // cached raw header bytes (slam_pull_header)
    qint64 m_blockSize = 1;
    bool m_everNacked = false;
    bool m_done = false;
    FetchStats m_stats;
};

} // namespace

Result<FetchStats> fetchSlam(const QUrl &url, const FetchOptions &options, Progress &progress)
{
    auto output = FetchOutput::create(options.outputPath, options.force);
    if (!output)
        return std::move(output).error();
    SlamFetch fetch(options, progress, std::move(*output));
    auto result = fetch.run(url);
    if (!result)
        return std::move(result).error().context(QStringLiteral("fetching %1").arg(url.toString()));
    return result;
}

} // namespace pecast::serve
