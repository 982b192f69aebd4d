// Multicast benchmark (not a test): N = 1, 8, 32 clients receive one image over SLAM, TFTM and
// our HTTP server, all in this process, inside a private network namespace (root; multicast on
// loopback). Prints, per protocol and N: bytes the server sent / image size, and completion time
// / the single-client time of the same protocol; then the same at N = 32 with 2 % loss against
// the lossless time. Usage: pecast_bench_multicast [--size-mib 256] [--clients 1,8,32]
//                           [--loss 2] [--protocols slam,tftm,http] [--slam-read-ahead N]
//                           [--link-mbit 25] [--link-mode shaped|paced]
//                           [--tftm-window N] [--tftm-reporters N]
// --link-mbit N emulates a LAN of N Mbit/s between the server and the clients (benchnetwork.h):
// on this 2-core box, 32 receiving threads cannot take an unpaced stream, so without it the
// completion time measures the receivers' CPU, not the protocol. 0 = the old uncapped loopback.
// Environment: PECAST_BENCH_SLAM_FIXED_RATE=1 turns the SLAM server's adaptive rate off.

#include "benchnetwork.h"
#include "serve/fetchclient.h"
#include "serve/httpserver.h"
#include "serve/slamserver.h"
#include "serve/tftpserver.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <arpa/inet.h>

#include <cstdio>
#include <ctime>
#include <random>
#include <thread>
#include <vector>

using namespace pecast;
using namespace pecast::serve;
using pecast::bench::BenchNetwork;
using pecast::bench::LinkMode;
using pecast::bench::UdpCounters;

namespace {

struct Outcome
{
    double seconds = 0;
    double sentRatio = 0;
    int failed = 0;
    double cpuSeconds = 0; // this process's CPU time (server and all clients, user + kernel)
};

// CPU seconds used by the whole process so far: unlike wall time, not inflated when other work
// on the machine takes the cores, so it compares runs made under different loads.
double processCpuSeconds()
{
    timespec ts {};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

template <typename Run>
Outcome measured(Run run)
{
    const double before = processCpuSeconds();
    Outcome o = run();
    o.cpuSeconds = processCpuSeconds() - before;
    return o;
}

int runClients(const BenchNetwork &net, const QString &url, int count, double loss)
{
    std::vector<int> ok(static_cast<size_t>(count), 0);
    {
        std::vector<std::jthread> threads;
        for (int i = 0; i < count; ++i) {
            threads.emplace_back([&, i] {
                FetchOptions options;
                options.url = url;
                options.lossPercent = loss;
                options.seed = 77 + quint64(i);
                options.interface = net.clientAddress();
                Progress progress;
                auto result = fetchUrl(options, progress);
                if (!result)
                    std::fprintf(
                        stderr, "client %d: %s\n", i, qPrintable(result.error().toString()));
                ok[size_t(i)] = result ? 1 : 0;
            });
        }
    }
    int failed = 0;
    for (int v : ok)
        failed += v ? 0 : 1;
    return failed;
}

Endpoint hostEndpoint(const QString &address)
{
    Endpoint e;
    inet_pton(AF_INET, qPrintable(address), &e.address);
    return e;
}

struct BenchSetup
{
    const BenchNetwork *net = nullptr;
    QString image;
    qint64 size = 0;
    int readAhead = 0;
    int tftmWindow = 0;
    int tftmReporters = 0;
};

Outcome benchSlam(const BenchSetup &b, int count, double loss, std::uint16_t port)
{
    SlamServerConfig config;
    config.imagePath = b.image;
    config.listen = hostEndpoint(b.net->serverAddress());
    inet_pton(AF_INET, "239.255.1.1", &config.group.address);
    config.group.port = port;
    config.interface = b.net->serverAddress();
    config.loopback = !b.net->separateHosts();
    config.readAhead = b.readAhead;
    config.rateMbit = b.net->serverRateMbit();
    config.adaptiveRate = !qEnvironmentVariableIsSet("PECAST_BENCH_SLAM_FIXED_RATE");
    Result<std::unique_ptr<SlamServer>> server
        = Error(Errc::Network, QStringLiteral("not started"));
    b.net->serverScope([&] { server = SlamServer::start(config); });
    if (!server) {
        std::fprintf(stderr, "%s\n", qPrintable(server.error().toString()));
        return { 0, 0, count };
    }
    const UdpCounters udpBefore = b.net->udpCounters();
    QElapsedTimer timer;
    timer.start();
    Outcome o;
    o.failed = runClients(*b.net,
        QStringLiteral("x-slam://%1:%2/239.255.1.1:%3")
            .arg(b.net->serverAddress())
            .arg(server.value()->listenEndpoint().port)
            .arg(port),
        count, loss);
    o.seconds = timer.nsecsElapsed() / 1e9;
    const SlamStats st = server.value()->stats();
    o.sentRatio = double(st.dataBytes) / double(b.size);
    const UdpCounters udp = b.net->udpCounters();
    std::fprintf(stderr,
        "  slam N=%d: %llu packets, %llu resent, %llu suppressed, %llu pings (%llu repeated), "
        "%llu NACKs (%llu stale), %llu overflow reports, %llu rate cuts; UDP rcvbuf errors %llu, "
        "sndbuf errors %llu\n",
        count, qulonglong(st.dataPackets), qulonglong(st.blocksResent),
        qulonglong(st.resendsSuppressed), qulonglong(st.pings), qulonglong(st.repings),
        qulonglong(st.nacks), qulonglong(st.staleNacks), qulonglong(st.burstLosses),
        qulonglong(st.rateDecreases), udp.rcvbufErrors - udpBefore.rcvbufErrors,
        udp.sndbufErrors - udpBefore.sndbufErrors);
    return o;
}

Outcome benchTftm(const BenchSetup &b, int count, double loss, std::uint16_t port)
{
    TftpServerConfig config;
    config.listen = hostEndpoint(b.net->serverAddress());
    inet_pton(AF_INET, "239.255.2.1", &config.group.address);
    config.group.port = port;
    config.interface = b.net->serverAddress();
    config.loopback = !b.net->separateHosts();
    config.rateMbit = b.net->serverRateMbit();
    config.files = { { QStringLiteral("image.img"), b.image } };
    config.window = b.tftmWindow;
    config.reporters = b.tftmReporters;
    Result<std::unique_ptr<TftpServer>> server
        = Error(Errc::Network, QStringLiteral("not started"));
    b.net->serverScope([&] { server = TftpServer::start(config); });
    if (!server) {
        std::fprintf(stderr, "%s\n", qPrintable(server.error().toString()));
        return { 0, 0, count };
    }
    const UdpCounters udpBefore = b.net->udpCounters();
    QElapsedTimer timer;
    timer.start();
    Outcome o;
    o.failed = runClients(*b.net,
        QStringLiteral("tftm://%1:%2/image.img")
            .arg(b.net->serverAddress())
            .arg(server.value()->listenEndpoint().port),
        count, loss);
    o.seconds = timer.nsecsElapsed() / 1e9;
    const TftpStats st = server.value()->stats();
    o.sentRatio = double(st.dataBytes) / double(b.size);
    const UdpCounters udp = b.net->udpCounters();
    std::fprintf(stderr,
        "  tftm N=%d: %llu packets (%llu multicast, %llu resent), %llu reporter turns, %llu "
        "unicast fallbacks, %llu lost; UDP rcvbuf errors %llu, sndbuf errors %llu\n",
        count, qulonglong(st.dataPackets), qulonglong(st.multicastPackets),
        qulonglong(st.blocksResent), qulonglong(st.reporterTurns), qulonglong(st.unicastFallbacks),
        qulonglong(st.clientsLost), udp.rcvbufErrors - udpBefore.rcvbufErrors,
        udp.sndbufErrors - udpBefore.sndbufErrors);
    return o;
}

Outcome benchHttp(const BenchSetup &b, int count)
{
    HttpServer server;
    if (!server.publishFile(QStringLiteral("image.img"), b.image))
        return { 0, 0, count };
    HttpServerConfig config;
    config.address = QHostAddress(b.net->serverAddress());
    config.port = 0;
    Status started;
    b.net->serverScope([&] { started = server.start(config); });
    if (!started)
        return { 0, 0, count };
    QElapsedTimer timer;
    timer.start();
    Outcome o;
    o.failed = runClients(*b.net,
        QStringLiteral("http://%1:%2/image.img").arg(b.net->serverAddress()).arg(server.port()),
        count, 0);
    o.seconds = timer.nsecsElapsed() / 1e9;
    o.sentRatio = double(server.stats().bytesSentTotal) / double(b.size);
    server.stop();
    return o;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    auto value = [&](const char *name, const QString &fallback) {
        const int i = int(args.indexOf(QString::fromLatin1(name)));
        return i >= 0 && i + 1 < args.size() ? args[i + 1] : fallback;
    };
    const qint64 sizeMiB = value("--size-mib", QStringLiteral("256")).toLongLong();
    const double loss = value("--loss", QStringLiteral("2")).toDouble();
    const int readAhead
        = value("--slam-read-ahead", QString::number(SlamServerConfig().readAhead)).toInt();
    QList<int> counts;
    for (const QString &n : value("--clients", QStringLiteral("1,8,32")).split(QLatin1Char(',')))
        counts << n.toInt();
    const QStringList protocols
        = value("--protocols", QStringLiteral("slam,tftm,http")).split(QLatin1Char(','));
    // 25 Mbit/s: 32 receivers of 256 MiB cost ~49 s of CPU here (~8 us per packet and receiver
    // over veth, measured), i.e. 2.3 cores at 100 Mbit/s but 0.4-0.6 cores at 25, so the link,
    // not the test machine, sets the pace. A real LAN's clients each have their own CPU.
    const double linkMbit = value("--link-mbit", QStringLiteral("25")).toDouble();
    const QString modeName = value("--link-mode", QStringLiteral("shaped"));
    if (modeName != QLatin1String("shaped") && modeName != QLatin1String("paced")) {
        std::fprintf(stderr, "--link-mode: shaped or paced\n");
        return 2;
    }
    BenchNetwork net;
    if (!net.setUp(
            linkMbit, modeName == QLatin1String("paced") ? LinkMode::Paced : LinkMode::Shaped))
        return 1;
    QTemporaryDir dir;
    const QString image = dir.filePath(QStringLiteral("image.img"));
    {
        QFile f(image);
        if (!f.open(QIODevice::WriteOnly))
            return 1;
        std::mt19937_64 random(5);
        QByteArray chunk(1 << 20, Qt::Uninitialized);
        for (qint64 i = 0; i < sizeMiB; ++i) {
            auto *w = reinterpret_cast<quint64 *>(chunk.data());
            for (int k = 0; k < chunk.size() / 8; ++k)
                w[k] = random();
            f.write(chunk);
        }
    }
    const qint64 size = sizeMiB * 1024 * 1024;
    std::printf("image %lld MiB, %u CPUs; one process, clients are threads; %s\n", sizeMiB,
        std::thread::hardware_concurrency(), qPrintable(net.description()));
    const BenchSetup setup { &net, image, size, readAhead,
        value("--tftm-window", QString::number(TftpServerConfig().window)).toInt(),
        value("--tftm-reporters", QString::number(TftpServerConfig().reporters)).toInt() };
    std::printf("%-5s %4s %6s %10s %12s %14s %7s %8s\n", "proto", "N", "loss%", "seconds",
        "sent/image", "time/single", "failed", "cpu_s");
    std::fflush(stdout);
    std::uint16_t port = 20000;
    for (const QString &protocol : protocols) {
        double single = 0;
        double lossless32 = 0;
        double losslessCpu = 0;
        for (int n : counts) {
            const Outcome o = measured([&] {
                if (protocol == QLatin1String("slam"))
                    return benchSlam(setup, n, 0, port++);
                if (protocol == QLatin1String("tftm"))
                    return benchTftm(setup, n, 0, port += 8);
                return benchHttp(setup, n);
            });
            if (n == 1)
                single = o.seconds;
            lossless32 = o.seconds;
            losslessCpu = o.cpuSeconds;
            std::printf("%-5s %4d %6.1f %10.2f %12.3f %14.2f %7d %8.2f\n", qPrintable(protocol), n,
                0.0, o.seconds, o.sentRatio, single > 0 ? o.seconds / single : 0.0, o.failed,
                o.cpuSeconds);
            std::fflush(stdout);
        }
        if (loss > 0 && protocol != QLatin1String("http")) {
            const int n = counts.last();
            const Outcome o = measured([&] {
                return protocol == QLatin1String("slam") ? benchSlam(setup, n, loss, port++)
                                                         : benchTftm(setup, n, loss, port += 8);
            });
            std::printf("%-5s %4d %6.1f %10.2f %12.3f %14.2f %7d %8.2f   (time / lossless N=%d: "
                        "%.2f, cpu: %.2f)\n",
                qPrintable(protocol), n, loss, o.seconds, o.sentRatio,
                single > 0 ? o.seconds / single : 0.0, o.failed, o.cpuSeconds, n,
                lossless32 > 0 ? o.seconds / lossless32 : 0.0,
                losslessCpu > 0 ? o.cpuSeconds / losslessCpu : 0.0);
            std::fflush(stdout);
        }
    }
    return 0;
}
