// The SLAM server against iPXE-rule clients inside a network namespace the test creates:
// the exact wire exchange, 20 clients joining at staggered times (with and without 2 % loss),
// a hostile NACK stream, and the image checks. Root only (label "root").

#include "multicastnetns.h"
#include "multicasttestutil.h"
#include "serve/slamcodec.h"
#include "serve/slamserver.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

#include <arpa/inet.h>
#include <poll.h>
#include <sys/socket.h>

#include <atomic>

using namespace pecast;
using namespace pecast::serve;

namespace {

Endpoint loopback(std::uint16_t port)
{
    Endpoint e;
    inet_pton(AF_INET, "127.0.0.1", &e.address);
    e.port = port;
    return e;
}

Endpoint group(std::uint16_t port)
{
    Endpoint e;
    inet_pton(AF_INET, "239.255.1.1", &e.address);
    e.port = port;
    return e;
}

SlamServerConfig configFor(const QString &path, std::uint16_t groupPort)
{
    SlamServerConfig config;
    config.imagePath = path;
    config.listen = loopback(0);
    config.group = group(groupPort);
    config.interface = QStringLiteral("127.0.0.1");
    return config;
}

QString urlFor(const SlamServer &server)
{
    return QStringLiteral("x-slam://127.0.0.1:%1/239.255.1.1:%2")
        .arg(server.listenEndpoint().port)
        .arg(server.group().port);
}

int recvWithin(int fd, QByteArray &out, int timeoutMs)
{
    pollfd pfd { fd, POLLIN, 0 };
    if (::poll(&pfd, 1, timeoutMs) <= 0)
        return -1;
    out.resize(65536);
    const ssize_t n = ::recv(fd, out.data(), size_t(out.size()), 0);
    out.resize(n > 0 ? int(n) : 0);
    return int(n);
}

// A hand-driven SLAM client: a unicast socket connected to the server (NACKs out, pings in)
// and a receiver on the group that counts the copies of each block the server multicasts.
class RawClient
{
public:
    explicit RawClient(const SlamServer &server)
        : m_header(slam::encodeHeader(
            server.transactionId(), quint64(server.fileSize()), server.blockSize()))
    {
        m_socket = UniqueFd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
        sockaddr_in to = server.listenEndpoint().toSockaddr();
        to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        m_connected = ::connect(m_socket.get(), reinterpret_cast<sockaddr *>(&to), sizeof to) == 0;
    }
    bool valid() const { return m_connected; }
    bool nack(quint64 first, quint64 count)
    {
        const QByteArray packet = slam::encodeNack(first, count);
        return ::send(m_socket.get(), packet.constData(), size_t(packet.size()), 0)
            == packet.size();
    }
    // Waits for one ping (the header and nothing else).
    bool ping(int timeoutMs = 2000)
    {
        QByteArray packet;
        return recvWithin(m_socket.get(), packet, timeoutMs) > 0 && packet == m_header;
    }
    // Pings that arrive within `quietMs` of each other.
    int drainPings(int quietMs)
    {
        int n = 0;
        while (ping(quietMs))
            ++n;
        return n;
    }

private:
    QByteArray m_header;
    UniqueFd m_socket;
    bool m_connected = false;
};

// Block numbers of the data packets that arrive on `fd`: waits (bounded) for `expected`
// packets, then takes whatever else comes before the group is quiet for a moment.
QList<quint64> receiveBlocks(int fd, int headerLength, int expected)
{
    constexpr int kWaitMs = 3000; // generous: the test shares 2 cores with builds
    constexpr int kQuietMs = 100;
    QList<quint64> blocks;
    QByteArray packet;
    while (recvWithin(fd, packet, blocks.size() < expected ? kWaitMs : kQuietMs) > 0) {
        int pos = headerLength;
        if (auto block = slam::decodeInt(packet.constData(), int(packet.size()), pos))
            blocks << *block;
    }
    return blocks;
}

QList<quint64> range(quint64 first, quint64 count)
{
    QList<quint64> out;
    for (quint64 b = first; b < first + count; ++b)
        out << b;
    return out;
}

} // namespace

class TestSlamServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        if (const QString why = test::MulticastNetns::unavailableReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        const QString error = m_netns.createAndEnter(QStringLiteral("slam"));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(m_dir.isValid());
        m_image = m_dir.filePath(QStringLiteral("image.img"));
        // 2.5 MiB and not a multiple of the block size: the last block is short.
        m_imageHash = test::writeRandomFile(m_image, 2500 * 1024 + 77, 42);
        QVERIFY(!m_imageHash.isEmpty());
    }

    void cleanupTestCase() { m_netns.leaveAndDelete(); }

    void refusesImagesClientsCannotTake()
    {
        const QString empty = m_dir.filePath(QStringLiteral("empty.img"));
        QFile(empty).open(QIODevice::WriteOnly);
        auto server = SlamServer::start(configFor(empty, 10100));
        QVERIFY(!server);
        QVERIFY2(server.error().toString().contains(QStringLiteral("empty")),
            qPrintable(server.error().toString()));

        const QString large = m_dir.filePath(QStringLiteral("large.img"));
        {
            QFile f(large);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QVERIFY(f.resize(qint64(512) * 1024 * 1024)); // sparse
        }
        server = SlamServer::start(configFor(large, 10101));
        QVERIFY(!server);
        QCOMPARE(server.error().code(), Errc::Unsupported);
        QVERIFY(server.error().toString().contains(QStringLiteral("512 MiB")));
        QVERIFY(server.error().hint().contains(QStringLiteral("--allow-large")));

        auto config = configFor(large, 10102);
        config.allowLarge = true;
        QStringList logged;
        server = SlamServer::start(config, {}, [&](const QString &line) { logged << line; });
        QVERIFY2(server, server ? "" : qPrintable(server.error().toString()));
        QCOMPARE(logged.size(), 1);
        QVERIFY(logged.first().startsWith(QStringLiteral("warning:")));
        server.value()->stop();

        config = configFor(m_image, 10103);
        config.blockSize = 1472;
        server = SlamServer::start(config);
        QVERIFY(!server);
        QCOMPARE(server.error().code(), Errc::InvalidInput);
    }

    void wireExchange()
    {
        auto server = SlamServer::start(configFor(m_image, 10110));
        QVERIFY2(server, server ? "" : qPrintable(server.error().toString()));
        auto receiver = openMulticastReceiver(group(10110), loopback(0).address);
        QVERIFY(receiver);
        UniqueFd client(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
        const sockaddr_in to = server.value()->listenEndpoint().toSockaddr();
        sockaddr_in serverAddr = to;
        serverAddr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        QCOMPARE(
            ::connect(client.get(), reinterpret_cast<sockaddr *>(&serverAddr), sizeof serverAddr),
            0);

        // The initial NACK (0,1) brings block 0 to the group and a header-only ping to us.
        const QByteArray initial = QByteArray::fromHex("202100");
        QCOMPARE(::send(client.get(), initial.constData(), 3, 0), 3);
        QByteArray data, ping;
        QVERIFY(recvWithin(receiver->get(), data, 2000) > 0);
        QVERIFY(recvWithin(client.get(), ping, 2000) > 0);
        const QByteArray header = slam::encodeHeader(
            server.value()->transactionId(), quint64(server.value()->fileSize()), 1451);
        QCOMPARE(ping.toHex(), header.toHex());
        QVERIFY(data.startsWith(header));
        QCOMPARE(quint8(data[header.size()]), quint8(0x20)); // block 0
        QCOMPARE(data.size(), header.size() + 1 + 1451);
        QFile image(m_image);
        QVERIFY(image.open(QIODevice::ReadOnly));
        QCOMPARE(data.mid(header.size() + 1), image.read(1451));

        // The last block: short, and the next ping carries the same header bytes.
        const quint64 blocks = (quint64(server.value()->fileSize()) + 1450) / 1451;
        const QByteArray last = slam::encodeNack(blocks - 1, 1);
        QCOMPARE(::send(client.get(), last.constData(), size_t(last.size()), 0), last.size());
        QVERIFY(recvWithin(receiver->get(), data, 2000) > 0);
        QCOMPARE(data.size(),
            int(header.size() + slam::encodeInt(blocks - 1).size()
                + (server.value()->fileSize() - qint64(blocks - 1) * 1451)));
        QVERIFY(recvWithin(client.get(), ping, 2000) > 0);
        QCOMPARE(ping, header);

        // An unanswered ping is repeated within milliseconds, then given up.
        int repeats = 0;
        while (recvWithin(client.get(), ping, 500) > 0)
            ++repeats;
        QVERIFY2(repeats >= 3 && repeats <= 12, qPrintable(QString::number(repeats)));

        const char leave = 0;
        QCOMPARE(::send(client.get(), &leave, 1, 0), 1);
        QVERIFY(
            QTest::qWaitFor([&] { return server.value()->stats().clientsFinished == 1; }, 2000));
    }

    void twentyStaggeredClients_data()
    {
        QTest::addColumn<double>("loss");
        QTest::newRow("lossless") << 0.0;
        QTest::newRow("2% loss") << 2.0;
    }
    void twentyStaggeredClients()
    {
        QFETCH(double, loss);
        const std::uint16_t port = loss > 0 ? 10121 : 10120;
        std::atomic<int> finishedEvents { 0 };
        auto server = SlamServer::start(configFor(m_image, port), [&](const ClientTransfer &t) {
            if (t.state == ClientTransfer::State::Done)
                ++finishedEvents;
        });
        QVERIFY2(server, server ? "" : qPrintable(server.error().toString()));
        QTemporaryDir out;
        const auto run = test::runClients(urlFor(*server.value()), out.path(), 20, 150, loss);
        const QString failure = test::downloadFailure(run, m_imageHash);
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        const auto stats = server.value()->stats();
        qInfo("loss %.0f%%: server sent %.2f x the image in %llu packets, %llu pings, %llu NACKs",
            loss, double(stats.dataBytes) / double(server.value()->fileSize()),
            qulonglong(stats.dataPackets), qulonglong(stats.pings), qulonglong(stats.nacks));
        // Every client that NACKed said goodbye (00), and the server reported it.
        QVERIFY(QTest::qWaitFor(
            [&] { return quint64(finishedEvents.load()) == stats.clientsKnown; }, 2000));
    }

    // A NACK shows the client's bitmap when the ping it answers arrived: blocks another
    // client's request sent after that ping are on their way and are not multicast again.
    void blocksSentAfterThePingAreNotResent()
    {
        auto config = configFor(m_image, 10140);
        config.readAhead = 0;
        auto server = SlamServer::start(config);
        QVERIFY2(server, server ? "" : qPrintable(server.error().toString()));
        auto receiver = openMulticastReceiver(group(10140), loopback(0).address);
        QVERIFY(receiver);
        const int headerLength = int(slam::encodeHeader(
            server.value()->transactionId(), quint64(server.value()->fileSize()), 1451)
                                         .size());
        RawClient a(*server.value());
        RawClient b(*server.value());
        QVERIFY(a.valid() && b.valid());

        QVERIFY(a.nack(0, 4));
        QVERIFY(a.ping()); // A's blocks 0-3 are out; A is pinged
        QCOMPARE(receiveBlocks(receiver->get(), headerLength, 4), range(0, 4));
        QVERIFY(b.nack(4, 4)); // B asks for 4-7 after A's ping went out
        QCOMPARE(receiveBlocks(receiver->get(), headerLength, 4), range(4, 4));
        // A answers its ping: it had not seen 4-7 then. They are not sent a second time; A is
        // pinged again at once so that its next answer shows what it holds now.
        QVERIFY(a.nack(4, 4));
        QCOMPARE(receiveBlocks(receiver->get(), headerLength, 0), QList<quint64>());
        QCOMPARE(server.value()->stats().resendsSuppressed, quint64(4));
        QVERIFY(a.drainPings(100) >= 1);
        // Its next answer still lacks 5: that copy was lost and goes out again.
        QVERIFY(a.nack(5, 1));
        QCOMPARE(receiveBlocks(receiver->get(), headerLength, 1), QList<quint64> { 5 });
        QCOMPARE(server.value()->stats().blocksResent, quint64(1));
    }

    // A client too slow to answer its ping before the repeat answers both, with the same NACK.
    // The second answer is stale (its blocks went out after the first): sent once, not twice.
    void answersToRepeatedPingsSendBlocksOnce()
    {
        auto config = configFor(m_image, 10150);
        config.readAhead = 0;
        auto server = SlamServer::start(config);
        QVERIFY2(server, server ? "" : qPrintable(server.error().toString()));
        auto receiver = openMulticastReceiver(group(10150), loopback(0).address);
        QVERIFY(receiver);
        const int headerLength = int(slam::encodeHeader(
            server.value()->transactionId(), quint64(server.value()->fileSize()), 1451)
                                         .size());
        RawClient a(*server.value());
        QVERIFY(a.valid());
        QVERIFY(a.nack(0, 4));
        QCOMPARE(receiveBlocks(receiver->get(), headerLength, 4), range(0, 4));
        QVERIFY(a.ping());
        QVERIFY(a.ping()); // the repeat: no answer came in time
        QVERIFY(a.nack(4, 4)); // answer to the first ping
        QVERIFY(a.nack(4, 4)); // answer to the repeat
        QCOMPARE(receiveBlocks(receiver->get(), headerLength, 4), range(4, 4));
        const auto stats = server.value()->stats();
        QCOMPARE(stats.staleNacks, quint64(1));
        QCOMPARE(stats.blocksResent, quint64(0));
        QCOMPARE(stats.dataPackets, quint64(8));
    }

    // Read-ahead follows a request that reaches the client's frontier (a full 4-block run), and
    // never follows a short run (the client holds the block after it). A client busy with a
    // hole moves the sweep on from the front instead when nobody else has since its ping.
    void readAheadOnlyFromTheFrontier()
    {
        auto config = configFor(m_image, 10160);
        config.readAhead = 12;
        auto server = SlamServer::start(config);
        QVERIFY2(server, server ? "" : qPrintable(server.error().toString()));
        auto receiver = openMulticastReceiver(group(10160), loopback(0).address);
        QVERIFY(receiver);
        const int headerLength = int(slam::encodeHeader(
            server.value()->transactionId(), quint64(server.value()->fileSize()), 1451)
                                         .size());
        RawClient a(*server.value());
        QVERIFY(a.valid());
        QVERIFY(a.nack(0, 4));
        QCOMPARE(receiveBlocks(receiver->get(), headerLength, 16), range(0, 16));
        QVERIFY(a.drainPings(100) >= 1);
        QVERIFY(a.nack(7, 2)); // lost 7 and 8, holds 9-15: not sent again
        QCOMPARE(receiveBlocks(receiver->get(), headerLength, 14), range(7, 2) + range(16, 12));
        QVERIFY(a.drainPings(100) >= 1);
        QVERIFY(a.nack(28, 4)); // at the frontier again
        QCOMPARE(receiveBlocks(receiver->get(), headerLength, 16), range(28, 16));
        QCOMPARE(server.value()->stats().blocksResent, quint64(2));
    }

    // A receiver whose queue overflowed misses whole runs: 4 blocks in a row that were sent to
    // it lost. That (and not a single lost block) makes the server pace its output.
    void overflowReportsSlowTheOutputDown()
    {
        const QString big = m_dir.filePath(QStringLiteral("big.img"));
        QVERIFY(!test::writeRandomFile(big, 64 * 1024 * 1024, 7).isEmpty());
        auto config = configFor(big, 10170);
        // A slow test thread must not cause repeated pings (answers to them are ambiguous).
        config.repingIntervalMs = 200;
        config.minRepingMs = 200;
        auto server = SlamServer::start(config);
        QVERIFY2(server, server ? "" : qPrintable(server.error().toString()));
        auto receiver = openMulticastReceiver(group(10170), loopback(0).address);
        QVERIFY(receiver);
        const int headerLength = int(slam::encodeHeader(
            server.value()->transactionId(), quint64(server.value()->fileSize()), 1451)
                                         .size());
        RawClient a(*server.value());
        QVERIFY(a.valid());
        // Lossless rounds of 32 blocks until the server has measured its output rate (it needs
        // 50 ms of sending); bounded by the file's 46,251 blocks.
        QElapsedTimer elapsed;
        elapsed.start();
        quint64 front = 0;
        QVERIFY(a.nack(front, 4));
        while (front + 64 < 46251 && elapsed.elapsed() < 200) {
            QCOMPARE(receiveBlocks(receiver->get(), headerLength, 32).size(), 32);
            QVERIFY(a.ping());
            front += 32;
            QVERIFY(a.nack(front, 4));
        }
        QCOMPARE(receiveBlocks(receiver->get(), headerLength, 32).size(), 32);
        QVERIFY(a.ping());
        QCOMPARE(server.value()->stats().rateDecreases, quint64(0));
        QCOMPARE(server.value()->stats().rateLimitKbit, quint64(0));
        // Two blocks lost in a row: random loss, not an overflow. (The sweep moves on too.)
        QVERIFY(a.nack(front + 5, 2));
        QCOMPARE(receiveBlocks(receiver->get(), headerLength, 2).mid(0, 2), range(front + 5, 2));
        QVERIFY(a.ping());
        QCOMPARE(server.value()->stats().burstLosses, quint64(0));
        // Four in a row, all sent to it: an overflow. The output is paced from now on.
        QVERIFY(a.nack(front + 8, 4));
        QCOMPARE(receiveBlocks(receiver->get(), headerLength, 4).mid(0, 4), range(front + 8, 4));
        const auto stats = server.value()->stats();
        QCOMPARE(stats.burstLosses, quint64(1));
        QCOMPARE(stats.rateDecreases, quint64(1));
        QVERIFY(stats.rateLimitKbit > 0);
    }

    void hostileNackStream()
    {
        auto server = SlamServer::start(configFor(m_image, 10130));
        QVERIFY2(server, server ? "" : qPrintable(server.error().toString()));
        std::atomic<bool> stop { false };
        std::jthread attacker([&] {
            UniqueFd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
            sockaddr_in to = server.value()->listenEndpoint().toSockaddr();
            to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            std::vector<QByteArray> packets;
            packets.push_back(slam::encodeNack(1000000, 4)); // past the end
            packets.push_back(slam::encodeNack(5, 0)); // zero-length run
            QByteArray zeros;
            for (int i = 0; i < 400; ++i)
                slam::appendInt(zeros, 0);
            packets.push_back(zeros);
            packets.push_back(QByteArray::fromHex("1f1f1f1f")); // garbage
            packets.push_back(QByteArray::fromHex("ffffffffffffffffffffff")); // huge Ints
            QByteArray huge;
            while (huge.size() < 1400) {
                slam::appendInt(huge, 0);
                slam::appendInt(huge, 8000); // every block, many times
            }
            packets.push_back(huge);
            packets.push_back(QByteArray(1, '\0')); // leave from a stranger
            quint32 state = 7;
            while (!stop.load()) {
                for (const auto &p : packets)
                    ::sendto(fd.get(), p.constData(), size_t(p.size()), 0,
                        reinterpret_cast<sockaddr *>(&to), sizeof to);
                QByteArray noise(int(1 + state % 100), '\0');
                for (auto &c : noise) {
                    state = state * 1664525u + 1013904223u;
                    c = char(state >> 24);
                }
                ::sendto(fd.get(), noise.constData(), size_t(noise.size()), 0,
                    reinterpret_cast<sockaddr *>(&to), sizeof to);
                std::this_thread::sleep_for(std::chrono::microseconds(500));
            }
        });
        QTemporaryDir out;
        const auto run = test::runClients(urlFor(*server.value()), out.path(), 3, 200, 0);
        stop = true;
        attacker.join();
        const QString failure = test::downloadFailure(run, m_imageHash);
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        QVERIFY(server.value()->stats().malformed > 100);
        // Still responsive after the storm.
        QVERIFY(QDir().mkpath(out.path() + QStringLiteral("/after")));
        const auto after = test::runClients(
            urlFor(*server.value()), out.path() + QStringLiteral("/after"), 1, 0, 0);
        QVERIFY2(after.results[0],
            qPrintable(after.results[0] ? QString() : after.results[0].error().toString()));
    }

private:
    test::MulticastNetns m_netns;
    QTemporaryDir m_dir;
    QString m_image;
    QString m_imageHash;
};

QTEST_GUILESS_MAIN(TestSlamServer)
#include "tst_slamserver.moc"
