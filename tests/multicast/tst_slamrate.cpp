// The SLAM server's adaptive rate (slamratecontroller.h) against a real receiver in a network
// namespace the test creates (root): a receiver whose kernel receive queue really overflows (a
// tiny SO_RCVBUF and a reader that pauses, counted in the namespace's UDP RcvbufErrors) slows
// the output down. (A receiver starved of CPU can still cause false reports: issue #7's note.)

#include "multicastnetns.h"
#include "multicasttestutil.h"
#include "serve/slamcodec.h"
#include "serve/slamserver.h"
#include "serve/udpcounters.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

#include <arpa/inet.h>
#include <poll.h>
#include <sys/socket.h>

#include <chrono>
#include <thread>

using namespace pecast;
using namespace pecast::serve;
using namespace std::chrono_literals;

namespace {

// UDP receive-buffer drops counted in this thread's network namespace.
quint64 rcvbufErrors()
{
    return serve::readUdpCounters().rcvbufErrors;
}

Endpoint endpoint(const char *address, std::uint16_t port)
{
    Endpoint e;
    inet_pton(AF_INET, address, &e.address);
    e.port = port;
    return e;
}

SlamServerConfig configFor(const QString &path, std::uint16_t groupPort)
{
    SlamServerConfig config;
    config.imagePath = path;
    config.listen = endpoint("127.0.0.1", 0);
    config.group = endpoint("239.255.1.1", groupPort);
    config.interface = QStringLiteral("127.0.0.1");
    return config;
}

} // namespace

class TestSlamRate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        if (const QString why = test::MulticastNetns::unavailableReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        const QString error = m_netns.createAndEnter(QStringLiteral("slamrate"));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(m_dir.isValid());
        m_image = m_dir.filePath(QStringLiteral("image.img"));
        m_imageHash = test::writeRandomFile(m_image, 24 * 1024 * 1024 + 333, 11);
        QVERIFY(!m_imageHash.isEmpty());
    }

    void cleanupTestCase() { m_netns.leaveAndDelete(); }

    // A receiver that reads its data only after a pause with a queue of a few packets: the
    // kernel drops most of every run of blocks, and its NACKs show it round after round. That
    // is what the adaptive rate is for.
    void overflowingReceiverSlowsTheOutput()
    {
        auto config = configFor(m_image, 10220);
        auto server = SlamServer::start(config);
        QVERIFY2(server, server ? "" : qPrintable(server.error().toString()));
        const quint64 numBlocks
            = quint64((server.value()->fileSize() + server.value()->blockSize() - 1)
                / server.value()->blockSize());
        const QByteArray header = slam::encodeHeader(server.value()->transactionId(),
            quint64(server.value()->fileSize()), server.value()->blockSize());

        UniqueFd unicast(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
        const sockaddr_in to = server.value()->listenEndpoint().toSockaddr();
        QVERIFY(::connect(unicast.get(), reinterpret_cast<const sockaddr *>(&to), sizeof to) == 0);
        auto receiver
            = openMulticastReceiver(server.value()->group(), endpoint("127.0.0.1", 0).address);
        QVERIFY(receiver);
        // The kernel's minimum (a few packets): a small NIC ring.
        const int tiny = 1;
        QVERIFY(::setsockopt(receiver->get(), SOL_SOCKET, SO_RCVBUF, &tiny, sizeof tiny) == 0);

        std::vector<bool> held(numBlocks, false);
        quint64 firstGap = 0;
        auto nack = [&] {
            while (firstGap < numBlocks && held[firstGap])
                ++firstGap;
            quint64 count = 0;
            while (count < 4 && firstGap + count < numBlocks && !held[firstGap + count])
                ++count;
            const QByteArray packet = slam::encodeNack(firstGap, count);
            return ::send(unicast.get(), packet.constData(), size_t(packet.size()), 0)
                == packet.size();
        };
        auto drainData = [&] {
            QByteArray packet(65536, Qt::Uninitialized);
            for (;;) {
                const ssize_t n = ::recv(receiver->get(), packet.data(), size_t(packet.size()), 0);
                if (n <= 0)
                    return;
                int pos = int(header.size());
                if (n > pos && memcmp(packet.constData(), header.constData(), size_t(pos)) == 0) {
                    if (auto block = slam::decodeInt(packet.constData(), int(n), pos);
                        block && *block < numBlocks)
                        held[*block] = true;
                }
            }
        };

        const quint64 dropsBefore = rcvbufErrors();
        QVERIFY(nack());
        QElapsedTimer elapsed;
        elapsed.start();
        int rounds = 0;
        while (server.value()->stats().rateDecreases == 0 && elapsed.elapsed() < 15000
            && firstGap < numBlocks) {
            pollfd pfd { unicast.get(), POLLIN, 0 };
            QByteArray ping(64, Qt::Uninitialized);
            if (::poll(&pfd, 1, 2000) <= 0
                || ::recv(unicast.get(), ping.data(), size_t(ping.size()), 0) <= 0) {
                QVERIFY(nack()); // iPXE's master timer: ask again
                continue;
            }
            // Busy elsewhere for a moment before reading the data queued ahead of the ping.
            std::this_thread::sleep_for(10ms);
            drainData();
            QVERIFY(nack());
            ++rounds;
        }
        const auto stats = server.value()->stats();
        const quint64 drops = rcvbufErrors() - dropsBefore;
        qInfo("%d rounds, gap at %llu: %llu burst reports, %llu rate cuts, pacing at %llu kbit/s, "
              "%llu receive-buffer drops",
            rounds, qulonglong(firstGap), qulonglong(stats.burstLosses),
            qulonglong(stats.rateDecreases), qulonglong(stats.rateLimitKbit), qulonglong(drops));
        QVERIFY(drops > 0);
        QVERIFY(stats.burstLosses >= 1);
        QVERIFY(stats.rateDecreases >= 1);
        QVERIFY(stats.rateLimitKbit > 0);
    }

private:
    test::MulticastNetns m_netns;
    QTemporaryDir m_dir;
    QString m_image;
    QString m_imageHash;
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    TestSlamRate test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_slamrate.moc"
