// The SLAM server's adaptive rate (slamratecontroller.h) against real receivers in a network
// namespace the test creates (root): a fetch client that is repeatedly stopped (SIGSTOP /
// SIGCONT of a child process, as a receiver starved of CPU) while another one drives the
// transfer must not slow the output down, since nothing was lost; a receiver whose kernel
// receive queue really overflows (a tiny SO_RCVBUF and a reader that pauses, counted in the
// namespace's UDP RcvbufErrors) still does.

#include "multicastnetns.h"
#include "multicasttestutil.h"
#include "serve/slamcodec.h"
#include "serve/slamserver.h"
#include "serve/udpcounters.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <arpa/inet.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>

#include <chrono>
#include <cstdio>
#include <optional>
#include <thread>

using namespace pecast;
using namespace pecast::serve;
using namespace std::chrono_literals;

namespace {

// Set in the environment of the child process: it then runs one fetch client and exits.
constexpr char kChildUrl[] = "PECAST_TST_SLAMRATE_CLIENT_URL";
constexpr char kChildOutput[] = "PECAST_TST_SLAMRATE_CLIENT_OUTPUT";

int runChildClient()
{
    FetchOptions options;
    options.url = qEnvironmentVariable(kChildUrl);
    options.outputPath = qEnvironmentVariable(kChildOutput);
    options.interface = QStringLiteral("127.0.0.1");
    Progress progress;
    auto result = fetchUrl(options, progress);
    if (!result) {
        std::fprintf(stderr, "%s\n", qPrintable(result.error().toString()));
        return 1;
    }
    return 0;
}

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

QString urlFor(const SlamServer &server)
{
    return QStringLiteral("x-slam://127.0.0.1:%1/239.255.1.1:%2")
        .arg(server.listenEndpoint().port)
        .arg(server.group().port);
}

// A child process that is continued and killed whatever happens to the test.
struct ChildGuard
{
    QProcess &process;
    ~ChildGuard()
    {
        if (process.state() != QProcess::NotRunning) {
            ::kill(pid_t(process.processId()), SIGCONT);
            process.kill();
            process.waitForFinished(5000);
        }
    }
};

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

    // Issue #7: a receiver that gets no CPU for a while answers the pings that piled up (the
    // server repeats an unanswered one) one after another, with the data that arrived between
    // them; a late answer to an old ping must not be read as the answer to the newest one (its
    // gap then looks like blocks lost in a row). Nothing is dropped here, so nothing may cut
    // the rate.
    void starvedClientCausesNoRateCut()
    {
        auto config = configFor(m_image, 10210);
        // 50 Mbit/s: the stopped client's 4 MiB receive buffer holds far more than a stop's
        // worth of data, so its queue never really overflows.
        config.rateMbit = 50;
        auto server = SlamServer::start(config);
        QVERIFY2(server, server ? "" : qPrintable(server.error().toString()));
        const QString url = urlFor(*server.value());
        QTemporaryDir out;
        const quint64 dropsBefore = rcvbufErrors();

        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QString::fromLatin1(kChildUrl), url);
        env.insert(QString::fromLatin1(kChildOutput), out.filePath(QStringLiteral("starved")));
        child.setProcessEnvironment(env);
        child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        child.start(QCoreApplication::applicationFilePath(), {});
        QVERIFY(child.waitForStarted(10000));
        ChildGuard guard { child };

        // The child asks first (after iPXE's 1 s of listening) and is stopped before the driving
        // client starts, so that this one too finds the group silent for 1 s and asks: both
        // are known to the server and pinged. (A client that hears data from its start only
        // listens, and is never pinged.)
        const pid_t pid = pid_t(child.processId());
        QVERIFY(QTest::qWaitFor([&] { return server.value()->stats().clientsKnown == 1; }, 10000));
        ::kill(pid, SIGSTOP);

        // The driving client runs free in this process.
        std::optional<Result<FetchStats>> driver;
        std::jthread driverThread([&] {
            FetchOptions options;
            options.url = url;
            options.outputPath = out.filePath(QStringLiteral("driver"));
            options.interface = QStringLiteral("127.0.0.1");
            Progress progress;
            driver = fetchUrl(options, progress);
        });

        QVERIFY(QTest::qWaitFor([&] { return server.value()->stats().clientsKnown == 2; }, 10000));
        // The driver missed these (it was not listening yet): the only blocks it may be sent
        // twice for, as nothing is lost.
        const quint64 sentBeforeDriver = server.value()->stats().dataPackets;
        ::kill(pid, SIGCONT);

        // Starve the child: stopped 150 ms, running 50 ms, until it is done (bounded).
        QElapsedTimer elapsed;
        elapsed.start();
        int stops = 0;
        while (child.state() != QProcess::NotRunning && elapsed.elapsed() < 40000) {
            ::kill(pid, SIGSTOP);
            ++stops;
            std::this_thread::sleep_for(150ms);
            ::kill(pid, SIGCONT);
            child.waitForFinished(50);
        }
        QVERIFY2(child.state() == QProcess::NotRunning || child.waitForFinished(20000),
            "the starved client did not finish");
        QCOMPARE(child.exitStatus(), QProcess::NormalExit);
        QCOMPARE(child.exitCode(), 0);
        driverThread.join();
        QVERIFY(driver.has_value());
        QVERIFY2(*driver, *driver ? "" : qPrintable(driver->error().toString()));
        QCOMPARE(*sha256File(out.filePath(QStringLiteral("starved"))), m_imageHash);
        QCOMPARE(*sha256File(out.filePath(QStringLiteral("driver"))), m_imageHash);

        const auto stats = server.value()->stats();
        const quint64 drops = rcvbufErrors() - dropsBefore;
        qInfo("%d stops: %llu pings (%llu repeated), %llu NACKs (%llu stale), %llu resent (%llu "
              "sent before the driver joined), %llu burst reports, %llu rate cuts, %llu "
              "receive-buffer drops",
            stops, qulonglong(stats.pings), qulonglong(stats.repings), qulonglong(stats.nacks),
            qulonglong(stats.staleNacks), qulonglong(stats.blocksResent),
            qulonglong(sentBeforeDriver), qulonglong(stats.burstLosses),
            qulonglong(stats.rateDecreases), qulonglong(drops));
        QVERIFY2(drops == 0, "the stopped client's queue overflowed: the test's premise failed");
        QVERIFY(stats.repings > 0); // the client really was too slow to answer in time
        // An answer to an old ping taken for the answer to the newest one makes the blocks sent
        // in between look lost: they would be sent again (hundreds of them before issue #7).
        // Slack for one read-ahead run: a ping can overtake data delayed inside the kernel.
        QVERIFY2(stats.blocksResent <= sentBeforeDriver + 32,
            qPrintable(QStringLiteral("%1 blocks resent without loss").arg(stats.blocksResent)));
        // (A report now and then is possible: a datagram can be delayed inside the kernel, and a
        // ping then overtakes the data sent before it. One report never cuts the rate.)
        QCOMPARE(stats.rateDecreases, quint64(0));
    }

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
    if (qEnvironmentVariableIsSet(kChildUrl))
        return runChildClient();
    TestSlamRate test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_slamrate.moc"
