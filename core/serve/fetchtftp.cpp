// TFTP / TFTM (RFC 1350, 2347-2349, 2090) client with iPXE's rules (src/net/udp/tftp.c;
// docs/slam-protocol.md §12).

#include "serve/fetchoutput.h"
#include "serve/fetchprotocols.h"
#include "serve/fetchretrytimer.h"
#include "serve/multicastlogging.h"
#include "serve/multicastsocket.h"
#include "serve/tftppacket.h"

#include <arpa/inet.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <optional>
#include <vector>

namespace pecast::serve {

namespace {

using Clock = std::chrono::steady_clock;

// TFTP_MAX_BLKSIZE: what iPXE asks for (fits a 1500-byte frame with IP/UDP/TFTP headers).
constexpr int kRequestBlockSize = 1432;
// RFC 1350 block size when the server does not acknowledge options.
constexpr int kDefaultBlockSize = 512;
constexpr int kMaxPollMs = 100;
constexpr int kReceiveBuffer = 4 * 1024 * 1024;
// Unicast datagrams taken per wake-up before the timers are looked at again.
constexpr int kMaxUnicastPerWake = 256;

class TftpFetch
{
public:
    TftpFetch(const FetchOptions &options, Progress &progress, FetchOutput output, bool multicast)
        : m_options(options)
        , m_progress(progress)
        , m_output(std::move(output))
        , m_loss(options.lossPercent, options.seed)
        , m_multicastOption(multicast)
    { }

    Result<FetchStats> run(const QUrl &url)
    {
        if (auto s = open(url); !s)
            return std::move(s).error();
        m_progress.beginStage(QStringLiteral("Receiving %1").arg(url.toString()), -1);
        const auto started = Clock::now();
        sendPacket(started); // start_timer_nodelay: the RRQ goes out at once
        std::vector<char> buffer(65536);
        while (!m_done) {
            if (auto s = m_progress.check(); !s)
                return std::move(s).error();
            auto now = Clock::now();
            auto next = now + std::chrono::milliseconds(kMaxPollMs);
            if (m_timer.running())
                next = std::min(next, m_timer.expiry());
            const auto wait = std::chrono::ceil<std::chrono::milliseconds>(next - now);
            pollfd fds[2] = { { m_socket.get(), POLLIN, 0 }, { m_multicast.get(), POLLIN, 0 } };
            const int nfds = m_multicast.valid() ? 2 : 1;
            if (::poll(fds, nfds, int(std::max<qint64>(0, wait.count()))) < 0 && errno != EINTR)
                return Error::fromErrno(errno, QStringLiteral("waiting for TFTP packets"));
            // A NIC hands iPXE its packets in arrival order; here they wait in two sockets.
            // Group data queued before a unicast packet must be taken first: after the unicast
            // last block of a 16-bit window the client counts in the next window, and an older
            // group block would land 65536 blocks too far. So the group socket is drained
            // before each unicast packet (on one host, what was sent first is queued first).
            for (int i = 0; i < kMaxUnicastPerWake && !m_done; ++i) {
                if (auto s = drain(m_multicast.get(), buffer, false, -1); !s)
                    return std::move(s).error();
                if (m_done)
                    break;
                auto taken = drain(m_socket.get(), buffer, true, 1);
                if (!taken)
                    return std::move(taken).error();
                if (*taken == 0)
                    break;
            }
            now = Clock::now();
            if (!m_done && m_timer.due(now)) {
                if (m_timer.expire()) {
                    return Error(Errc::Network,
                        QStringLiteral("TFTP timed out waiting for %1 (holding %2 of %3 blocks, "
                                       "first gap %4, %5)")
                            .arg(m_server.toString())
                            .arg(m_output.held())
                            .arg(m_output.numBlocks())
                            .arg(m_output.firstGap())
                            .arg(m_sendAck ? QStringLiteral("master") : QStringLiteral("listener")))
                        .withHint(QStringLiteral("Check that the server runs and that multicast "
                                                 "reaches this host."));
                }
                sendPacket(now);
            }
        }
        m_stats.seconds = std::chrono::duration<double>(Clock::now() - started).count();
        if (auto s = m_output.commit(); !s)
            return std::move(s).error();
        m_stats.bytes = m_output.size();
        m_stats.droppedByLossInjection = m_loss.dropped();
        m_progress.update(m_output.size());
        return m_stats;
    }

private:
    Status open(const QUrl &url)
    {
        if (url.host().isEmpty() || url.path().isEmpty())
            return Error(Errc::InvalidInput, QStringLiteral("TFTP URL needs a server and a path"));
        auto server = parseAddress(url.host());
        if (!server)
            return std::move(server).error();
        m_server.address = *server;
        m_server.port = std::uint16_t(url.port(69));
        m_path = url.path(QUrl::FullyDecoded);
        if (m_path.startsWith(QLatin1Char('/')))
            m_path.remove(0, 1);
        auto iface = interfaceAddress(m_options.interface);
        if (!iface)
            return std::move(iface).error();
        m_interface = *iface;
        auto socket = openUdpSocket(Endpoint {});
        if (!socket)
            return std::move(socket).error();
        setSocketBuffers(socket->get(), kReceiveBuffer, 0);
        m_socket = std::move(*socket);
        return {};
    }

    void send(const QByteArray &packet, const Endpoint &to)
    {
        if (m_loss.drop())
            return;
        const sockaddr_in addr = to.toSockaddr();
        ::sendto(m_socket.get(), packet.constData(), size_t(packet.size()), 0,
            reinterpret_cast<const sockaddr *>(&addr), sizeof addr);
    }

    // Reads up to `limit` datagrams (-1: until none is queued); returns how many.
    Result<int> drain(int fd, std::vector<char> &buffer, bool unicast, int limit)
    {
        int count = 0;
        while (fd >= 0 && !m_done && (limit < 0 || count < limit)) {
            sockaddr_in from {};
            socklen_t fromLength = sizeof from;
            const ssize_t n = ::recvfrom(fd, buffer.data(), buffer.size(), 0,
                reinterpret_cast<sockaddr *>(&from), &fromLength);
            if (n < 0)
                break;
            ++count;
            if (m_loss.drop())
                continue;
            // Any unicast datagram re-enables ACKs (tftp_socket_deliver); an OACK with mc=0
            // turns them off again.
            if (unicast)
                m_sendAck = true;
            if (auto s = receive(buffer.data(), int(n), from); !s)
                return std::move(s).error();
        }
        return count;
    }

    // tftp_send_packet(): restart the retry timer, then RRQ or (if master) ACK.
    void sendPacket(Clock::time_point now)
    {
        m_timer.stop(now);
        m_timer.start(now);
        if (!m_havePeer) {
            tftp::Options options;
            options.append({ QStringLiteral("blksize"), QString::number(kRequestBlockSize) });
            options.append({ QStringLiteral("tsize"), QStringLiteral("0") });
            if (m_multicastOption)
                options.append({ QStringLiteral("multicast"), QString() });
            send(tftp::encodeRequest(m_path, options), m_server);
        } else if (m_sendAck) {
            ++m_stats.requestsSent;
            send(tftp::encodeAck(quint16(m_output.firstGap() & 0xFFFF)), m_peer);
        }
    }

    Status presize(qint64 fileSize)
    {
        if (fileSize <= m_fileSize)
            return {};
        m_fileSize = fileSize;
        m_progress.setTotal(fileSize);
        // Files that are an exact multiple of the block size end with an empty block.
        return m_output.setLayout(fileSize, m_blockSize, fileSize / m_blockSize + 1, false);
    }

    Status receive(const char *data, int length, const sockaddr_in &from)
    {
        if (length < 2)
            return {};
        const Endpoint source = Endpoint::fromSockaddr(from);
        if (!m_havePeer) {
            m_peer = source;
            m_havePeer = true;
        } else if (!(source == m_peer)) {
            return {}; // wrong TID
        }
        const quint16 opcode = quint16((quint8(data[0]) << 8) | quint8(data[1]));
        switch (opcode) {
        case tftp::kOack:
            return receiveOack(data, length);
        case tftp::kData:
            return receiveData(data, length);
        case tftp::kError: {
            const auto error = tftp::decodeError(data, length);
            return Error(Errc::Network,
                QStringLiteral("the TFTP server answered: %1 (code %2)")
                    .arg(error.message)
                    .arg(error.code));
        }
        default:
            return {};
        }
    }

    Status receiveOack(const char *data, int length)
    {
        const tftp::Options options = tftp::decodeOptions(data + 2, length - 2);
        qint64 tsize = 0;
        for (const auto &[name, value] : options) {
            const QString key = name.toLower();
            bool ok = true;
            if (key == QLatin1String("blksize")) {
                m_blockSize = value.toInt(&ok);
                if (!ok || m_blockSize <= 0)
                    return Error(
                        Errc::BadFormat, QStringLiteral("invalid blksize \"%1\"").arg(value));
            } else if (key == QLatin1String("tsize")) {
                tsize = value.toLongLong(&ok);
                if (!ok)
                    return Error(
                        Errc::BadFormat, QStringLiteral("invalid tsize \"%1\"").arg(value));
                m_tsize = tsize;
            } else if (key == QLatin1String("multicast")) {
                if (auto s = processMulticast(value); !s)
                    return s;
            }
        }
        if (m_tsize > 0) {
            if (auto s = presize(m_tsize); !s)
                return s;
        }
        sendPacket(Clock::now());
        return {};
    }

    Status processMulticast(const QString &value)
    {
        const QStringList parts = value.split(QLatin1Char(','));
        if (parts.size() < 3)
            return Error(
                Errc::BadFormat, QStringLiteral("invalid multicast option \"%1\"").arg(value));
        bool ok = false;
        const ulong mc = parts[2].toULong(&ok, 0);
        if (!ok)
            return Error(
                Errc::BadFormat, QStringLiteral("invalid multicast mc \"%1\"").arg(parts[2]));
        if (mc == 0)
            m_sendAck = false;
        if (!parts[0].isEmpty() && !parts[1].isEmpty()) {
            Endpoint group;
            if (inet_pton(AF_INET, parts[0].toLatin1().constData(), &group.address) != 1)
                return Error(Errc::BadFormat,
                    QStringLiteral("invalid multicast address \"%1\"").arg(parts[0]));
            group.port = std::uint16_t(parts[1].toUInt(&ok, 0));
            if (!ok)
                return Error(
                    Errc::BadFormat, QStringLiteral("invalid multicast port \"%1\"").arg(parts[1]));
            auto socket = openMulticastReceiver(group, m_interface);
            if (!socket)
                return std::move(socket).error();
            setSocketBuffers(socket->get(), kReceiveBuffer, 0);
            m_multicast = std::move(*socket);
            qCDebug(lcFetch) << "TFTM group" << group.toString() << (mc ? "master" : "listener");
        }
        return {};
    }

    Status receiveData(const char *data, int length)
    {
        if (length < 4)
            return {};
        const quint16 wire = quint16((quint8(data[2]) << 8) | quint8(data[3]));
        qint64 block = (m_output.firstGap() + 1) & ~qint64(0xFFFF);
        if (wire == 0 && block == 0)
            return Error(Errc::BadFormat, QStringLiteral("received TFTP data block 0"));
        block += wire - 1;
        const qint64 dataLength = length - 4;
        if (dataLength > m_blockSize) {
            return Error(Errc::BadFormat,
                QStringLiteral("TFTP block of %1 bytes exceeds blksize %2")
                    .arg(dataLength)
                    .arg(m_blockSize));
        }
        if (auto s = presize(block * m_blockSize + dataLength); !s)
            return s;
        if (m_output.has(block)) {
            ++m_stats.duplicates;
        } else {
            ++m_stats.packetsReceived;
            if (auto s = m_output.writeBlock(block, data + 4, dataLength); !s)
                return s;
        }
        m_progress.update(std::min(m_output.size(), m_output.held() * m_blockSize));
        sendPacket(Clock::now());
        if (m_output.complete())
            m_done = true;
        return {};
    }

    const FetchOptions &m_options;
    Progress &m_progress;
    FetchOutput m_output;
    LossInjector m_loss;
    bool m_multicastOption = false;
    Endpoint m_server;
    Endpoint m_peer;
    bool m_havePeer = false;
    in_addr m_interface {};
    QString m_path;
    UniqueFd m_socket;
    UniqueFd m_multicast;
    FetchRetryTimer m_timer;
    bool m_sendAck = false;
    qint64 m_blockSize = kDefaultBlockSize;
    qint64 m_tsize = 0;
    qint64 m_fileSize = 0;
    bool m_done = false;
    FetchStats m_stats;
};

} // namespace

Result<FetchStats> fetchTftp(
    const QUrl &url, const FetchOptions &options, Progress &progress, bool multicast)
{
    auto output = FetchOutput::create(options.outputPath, options.force);
    if (!output)
        return std::move(output).error();
    TftpFetch fetch(options, progress, std::move(*output), multicast);
    auto result = fetch.run(url);
    if (!result)
        return std::move(result).error().context(QStringLiteral("fetching %1").arg(url.toString()));
    return result;
}

} // namespace pecast::serve
