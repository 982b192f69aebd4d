// The TFTP/TFTM server inside a network namespace the test creates: 20 tftm:// clients with
// iPXE's rules joining at staggered times (with and without 2 % loss), the 16-bit window
// crossing with a small block size, plain TFTP with our client and with curl (an independent
// implementation), and the error answers. Root only (label "root").

#include "multicastnetns.h"
#include "multicasttestutil.h"
#include "serve/tftppacket.h"
#include "serve/tftpserver.h"
#include "testenv.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

#include <arpa/inet.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <thread>

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

// A tftm:// client like Debian 12's iPXE: asks for multicast and follows iPXE's ACK rules (any
// unicast packet turns ACKs on, an OACK with mc=0 turns them off; ACK = 16-bit first gap; retry
// timer from 250 ms, doubling), but never receives the group. Returns the file, or nothing if it
// is not complete within `timeoutMs`.
QByteArray fetchWithoutGroup(std::uint16_t port, const QString &name, int timeoutMs)
{
    UniqueFd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    const sockaddr_in server = loopback(port).toSockaddr();
    sockaddr_in peer {};
    bool havePeer = false, sendAck = false;
    qint64 blockSize = 512;
    std::vector<char> have;
    QByteArray data;
    auto firstGap = [&] {
        const auto it = std::find(have.begin(), have.end(), 0);
        return qint64(it - have.begin());
    };
    auto send = [&](const QByteArray &packet, const sockaddr_in &to) {
        ::sendto(fd.get(), packet.constData(), size_t(packet.size()), 0,
            reinterpret_cast<const sockaddr *>(&to), sizeof to);
    };
    send(tftp::encodeRequest(name,
             { { QStringLiteral("blksize"), QStringLiteral("1432") },
                 { QStringLiteral("tsize"), QStringLiteral("0") },
                 { QStringLiteral("multicast"), QString() } }),
        server);
    QElapsedTimer total, quiet;
    total.start();
    quiet.start();
    int backoffMs = 250;
    std::vector<char> buffer(65536);
    while (total.elapsed() < timeoutMs) {
        pollfd pfd { fd.get(), POLLIN, 0 };
        ::poll(&pfd, 1, 20);
        sockaddr_in from {};
        socklen_t fromLength = sizeof from;
        const ssize_t n = ::recvfrom(fd.get(), buffer.data(), buffer.size(), 0,
            reinterpret_cast<sockaddr *>(&from), &fromLength);
        if (n < 4) {
            if (quiet.elapsed() >= backoffMs && sendAck && havePeer) {
                send(tftp::encodeAck(quint16(firstGap() & 0xFFFF)), peer);
                backoffMs = std::min(backoffMs * 2, 4000);
                quiet.restart();
            }
            continue;
        }
        if (!havePeer) {
            peer = from;
            havePeer = true;
        }
        sendAck = true;
        const quint16 opcode = quint16((quint8(buffer[0]) << 8) | quint8(buffer[1]));
        if (opcode == tftp::kOack) {
            qint64 size = -1;
            for (const auto &[key, value] : tftp::decodeOptions(buffer.data() + 2, int(n) - 2)) {
                if (key == QLatin1String("blksize"))
                    blockSize = value.toLongLong();
                else if (key == QLatin1String("tsize"))
                    size = value.toLongLong();
                else if (key == QLatin1String("multicast") && value.section(',', 2).toInt() == 0)
                    sendAck = false;
            }
            if (size >= 0 && have.empty()) {
                have.assign(size_t(size / blockSize + 1), 0);
                data.resize(size);
            }
        } else if (opcode == tftp::kData && !have.empty()) {
            const quint16 wire = quint16((quint8(buffer[2]) << 8) | quint8(buffer[3]));
            const qint64 block = ((firstGap() + 1) & ~qint64(0xFFFF)) + wire - 1;
            const qint64 offset = block * blockSize;
            if (block >= 0 && block < qint64(have.size()) && offset + (n - 4) <= data.size()) {
                memcpy(data.data() + offset, buffer.data() + 4, size_t(n - 4));
                have[size_t(block)] = 1;
            }
        }
        if (sendAck)
            send(tftp::encodeAck(quint16(firstGap() & 0xFFFF)), peer);
        if (!have.empty() && firstGap() == qint64(have.size()))
            return data;
        backoffMs = 250;
        quiet.restart();
    }
    return {};
}

} // namespace

class TestTftmServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        if (const QString why = test::MulticastNetns::unavailableReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        const QString error = m_netns.createAndEnter(QStringLiteral("tftm"));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(m_dir.isValid());
        m_image = m_dir.filePath(QStringLiteral("image.img"));
        m_imageHash = test::writeRandomFile(m_image, 2500 * 1024 + 77, 43);
        // An exact multiple of 1432: the transfer must end with an empty block.
        m_exact = m_dir.filePath(QStringLiteral("exact.img"));
        m_exactHash = test::writeRandomFile(m_exact, 1432 * 300, 44);
        QVERIFY(!m_imageHash.isEmpty() && !m_exactHash.isEmpty());
    }

    void cleanupTestCase() { m_netns.leaveAndDelete(); }

    void twentyStaggeredClients_data()
    {
        QTest::addColumn<double>("loss");
        QTest::newRow("lossless") << 0.0;
        QTest::newRow("2% loss") << 2.0;
    }
    void twentyStaggeredClients()
    {
        QFETCH(double, loss);
        auto server = start(loss > 0 ? 2100 : 2000);
        QVERIFY2(server, server ? "" : qPrintable(server.error().toString()));
        const QString url = QStringLiteral("tftm://127.0.0.1:%1/image.img")
                                .arg(server.value()->listenEndpoint().port);
        QTemporaryDir out;
        const auto run = test::runClients(url, out.path(), 20, 150, loss);
        const QString failure = test::downloadFailure(run, m_imageHash);
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        const auto stats = server.value()->stats();
        qInfo("loss %.0f%%: server sent %.2f x the image (%llu packets, %llu multicast), %llu "
              "sessions",
            loss, double(stats.dataBytes) / double(QFileInfo(m_image).size()),
            qulonglong(stats.dataPackets), qulonglong(stats.multicastPackets),
            qulonglong(stats.sessions));
        QVERIFY(stats.multicastPackets > 0);
    }

    void exactMultipleEndsWithEmptyBlock()
    {
        auto server = start(2200);
        QVERIFY(server);
        QTemporaryDir out;
        const QString url = QStringLiteral("tftm://127.0.0.1:%1/exact.img")
                                .arg(server.value()->listenEndpoint().port);
        const auto run = test::runClients(url, out.path(), 3, 50, 0);
        const QString failure = test::downloadFailure(run, m_exactHash);
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
    }

    void blockNumbersWrapAcrossWindows()
    {
        // 64-byte blocks: 5 MiB is 81,921 blocks, so the stream crosses from the first 65536-block
        // window into the second; clients join late and lose packets.
        const QString big = m_dir.filePath(QStringLiteral("wrap.img"));
        const QString hash = test::writeRandomFile(big, 5 * 1024 * 1024, 45);
        TftpServerConfig config = baseConfig(2300);
        config.maxBlockSize = 64;
        config.window = 32;
        config.files = { { QStringLiteral("wrap.img"), big } };
        auto server = TftpServer::start(config);
        QVERIFY(server);
        QTemporaryDir out;
        const QString url = QStringLiteral("tftm://127.0.0.1:%1/wrap.img")
                                .arg(server.value()->listenEndpoint().port);
        const auto run = test::runClients(url, out.path(), 4, 300, 1.0);
        const QString failure = test::downloadFailure(run, hash);
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
    }

    // Clients that start together listen from the first block: at the end of the first 65536-block
    // window each of them holds all of it, reports a 16-bit ACK far from its last known gap, and
    // the server has to hand the stream over (and into the second window) correctly. 256-byte
    // blocks and 20 MiB give 81,921 blocks, i.e. two windows (a 256 MiB image at 1432 has three).
    void simultaneousClientsCrossWindows_data()
    {
        QTest::addColumn<int>("clients");
        QTest::addColumn<double>("loss");
        QTest::newRow("4 clients lossless") << 4 << 0.0;
        QTest::newRow("4 clients 2% loss") << 4 << 2.0;
    }
    void simultaneousClientsCrossWindows()
    {
        QFETCH(int, clients);
        QFETCH(double, loss);
        const QString big = m_dir.filePath(QStringLiteral("windows.img"));
        if (!QFileInfo::exists(big))
            m_windowsHash = test::writeRandomFile(big, 20 * 1024 * 1024, 46);
        QVERIFY(!m_windowsHash.isEmpty());
        TftpServerConfig config = baseConfig(loss > 0 ? 2650 : 2600);
        config.maxBlockSize = 256;
        config.files = { { QStringLiteral("windows.img"), big } };
        auto server = TftpServer::start(config);
        QVERIFY(server);
        QTemporaryDir out;
        const QString url = QStringLiteral("tftm://127.0.0.1:%1/windows.img")
                                .arg(server.value()->listenEndpoint().port);
        const auto run = test::runClients(url, out.path(), clients, 0, loss);
        const QString failure = test::downloadFailure(run, m_windowsHash);
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        const auto stats = server.value()->stats();
        const double sent = double(stats.dataBytes) / double(QFileInfo(big).size());
        qInfo("%d clients, loss %.0f%%: server sent %.2f x the image in %llu sessions", clients,
            loss, sent, qulonglong(stats.sessions));
        QCOMPARE(stats.sessions, quint64(1)); // one multicast stream, not one per client
        // Listeners that completed on their own close silently; they count as finished once they
        // leave the server's polls unanswered (5 x 100 ms), which may be after the clients return.
        QTRY_COMPARE_WITH_TIMEOUT(server.value()->stats().clientsFinished, quint64(clients), 5000);
        QCOMPARE(server.value()->stats().clientsLost, quint64(0));
        QVERIFY(stats.multicastPackets > 0);
    }

    // Reporters: while the stream runs, listeners take turns ACKing, and the blocks they lack go
    // again at once, so the repair at the window's end finds little left. Without them every
    // listener's holes wait for that end. 12 clients at 2 % loss, 16,384 blocks at 20 Mbit/s
    // (3.4 s: several turns of 500 ms), 3 reporters at a time.
    void reportersFillHolesWhileTheStreamRuns_data()
    {
        QTest::addColumn<int>("reporters");
        QTest::newRow("3 reporters") << 3;
        QTest::newRow("none") << 0;
    }
    void reportersFillHolesWhileTheStreamRuns()
    {
        QFETCH(int, reporters);
        const QString file = m_dir.filePath(QStringLiteral("reporters.img"));
        if (!QFileInfo::exists(file))
            m_reportersHash = test::writeRandomFile(file, 8 * 1024 * 1024, 47);
        TftpServerConfig config = baseConfig(reporters > 0 ? 2700 : 2750);
        config.maxBlockSize = 512;
        config.rateMbit = 20;
        config.reporters = reporters;
        config.files = { { QStringLiteral("reporters.img"), file } };
        auto server = TftpServer::start(config);
        QVERIFY(server);
        QTemporaryDir out;
        const QString url = QStringLiteral("tftm://127.0.0.1:%1/reporters.img")
                                .arg(server.value()->listenEndpoint().port);
        const auto run = test::runClients(url, out.path(), 12, 0, 2.0);
        const QString failure = test::downloadFailure(run, m_reportersHash);
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        const auto stats = server.value()->stats();
        qInfo("%d reporters: %llu turns, %llu blocks resent, %llu of them at the window's end",
            reporters, qulonglong(stats.reporterTurns), qulonglong(stats.blocksResent),
            qulonglong(stats.windowEndRepairs));
        QVERIFY(stats.blocksResent > 0);
        if (reporters > 0) {
            QVERIFY(stats.reporterTurns > 11); // more turns than listeners: they rotate
            QVERIFY(stats.windowEndRepairs * 4 < stats.blocksResent);
        } else {
            QCOMPARE(stats.reporterTurns, quint64(0));
            QVERIFY(stats.windowEndRepairs * 2 > stats.blocksResent);
        }
    }

    // Debian 12's iPXE never takes the group's data (README "Multicast"): such a member is served
    // unicast within the session, while the others keep the multicast stream.
    void memberWithoutGroupIsServedUnicast()
    {
        auto server = start(2700);
        QVERIFY(server);
        const quint16 port = server.value()->listenEndpoint().port;
        QByteArray deaf;
        {
            std::jthread client(
                [&] { deaf = fetchWithoutGroup(port, QStringLiteral("image.img"), 60000); });
            QTemporaryDir out;
            const auto run = test::runClients(
                QStringLiteral("tftm://127.0.0.1:%1/image.img").arg(port), out.path(), 2, 0, 0);
            const QString failure = test::downloadFailure(run, m_imageHash);
            QVERIFY2(failure.isEmpty(), qPrintable(failure));
        }
        QVERIFY(!deaf.isEmpty());
        QCOMPARE(
            QString::fromLatin1(QCryptographicHash::hash(deaf, QCryptographicHash::Sha256).toHex()),
            m_imageHash);
        const auto stats = server.value()->stats();
        QCOMPARE(stats.unicastFallbacks, quint64(1));
        QVERIFY(stats.multicastPackets > 0);
        QCOMPARE(stats.sessions, quint64(1));
    }

    void plainTftp()
    {
        auto server = start(2400);
        QVERIFY(server);
        QTemporaryDir out;
        const quint16 port = server.value()->listenEndpoint().port;
        const auto run = test::runClients(
            QStringLiteral("tftp://127.0.0.1:%1/image.img").arg(port), out.path(), 2, 0, 0);
        const QString failure = test::downloadFailure(run, m_imageHash);
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        QCOMPARE(server.value()->stats().multicastPackets, quint64(0));

        // An independent client: curl's TFTP (RFC 1350 with blksize/tsize options).
        const QString curl = test::findTool(QStringLiteral("curl"));
        if (curl.isEmpty())
            QSKIP("curl is not installed");
        const QString curlOut = out.filePath(QStringLiteral("curl.img"));
        for (const QStringList &extra :
            { QStringList {}, QStringList { QStringLiteral("--tftp-no-options") } }) {
            QFile::remove(curlOut);
            const auto result = test::run(curl,
                extra
                    + QStringList { QStringLiteral("-sS"), QStringLiteral("-o"), curlOut,
                        QStringLiteral("tftp://127.0.0.1:%1/image.img").arg(port) },
                60000);
            QVERIFY2(result.exitCode == 0, result.err.constData());
            QCOMPARE(*sha256File(curlOut), m_imageHash);
        }
        const auto missing = test::run(curl,
            { QStringLiteral("-sS"), QStringLiteral("-o"), curlOut,
                QStringLiteral("tftp://127.0.0.1:%1/nothing").arg(port) },
            30000);
        QVERIFY(missing.exitCode != 0);
    }

    void errorsAndPathSafety()
    {
        auto server = start(2500);
        QVERIFY(server);
        UniqueFd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
        const sockaddr_in to = loopback(server.value()->listenEndpoint().port).toSockaddr();
        auto ask = [&](const QByteArray &packet) {
            ::sendto(fd.get(), packet.constData(), size_t(packet.size()), 0,
                reinterpret_cast<const sockaddr *>(&to), sizeof to);
            pollfd pfd { fd.get(), POLLIN, 0 };
            QByteArray reply(2048, '\0');
            if (::poll(&pfd, 1, 2000) <= 0)
                return QByteArray();
            const ssize_t n = ::recv(fd.get(), reply.data(), size_t(reply.size()), 0);
            reply.resize(n > 0 ? int(n) : 0);
            return reply;
        };
        for (const QString &name : { QStringLiteral("nothing"), QStringLiteral("../etc/passwd"),
                 QStringLiteral("/etc/passwd"), QStringLiteral("../../../../etc/passwd") }) {
            const QByteArray reply = ask(tftp::encodeRequest(name, {}));
            QVERIFY2(reply.size() >= 4, qPrintable(name));
            QCOMPARE(quint8(reply[1]), quint8(tftp::kError));
            QCOMPARE(tftp::decodeError(reply.constData(), int(reply.size())).code,
                tftp::kErrorFileNotFound);
        }
        QByteArray write = tftp::encodeRequest(QStringLiteral("image.img"), {});
        write[1] = char(tftp::kWrq);
        const QByteArray reply = ask(write);
        QVERIFY(reply.size() >= 4);
        QCOMPARE(tftp::decodeError(reply.constData(), int(reply.size())).code,
            tftp::kErrorAccessViolation);
        // Garbage is ignored, and the server still answers afterwards.
        QVERIFY(ask(QByteArray::fromHex("0001")).isEmpty());
        QVERIFY(!ask(tftp::encodeRequest(QStringLiteral("image.img"), {})).isEmpty());
    }

private:
    TftpServerConfig baseConfig(std::uint16_t groupPort)
    {
        TftpServerConfig config;
        config.listen = loopback(0);
        inet_pton(AF_INET, "239.255.2.1", &config.group.address);
        config.group.port = groupPort;
        config.interface = QStringLiteral("127.0.0.1");
        config.files = { { QStringLiteral("image.img"), m_image },
            { QStringLiteral("exact.img"), m_exact } };
        config.rootDirectory = m_dir.path() + QStringLiteral("/sub");
        QDir().mkpath(config.rootDirectory);
        return config;
    }
    Result<std::unique_ptr<TftpServer>> start(std::uint16_t groupPort)
    {
        return TftpServer::start(baseConfig(groupPort));
    }

    test::MulticastNetns m_netns;
    QTemporaryDir m_dir;
    QString m_image, m_imageHash, m_exact, m_exactHash, m_windowsHash, m_reportersHash;
};

QTEST_GUILESS_MAIN(TestTftmServer)
#include "tst_tftmserver.moc"
