// Multicast benchmark (not a test): N = 1, 8, 32 clients receive one image over SLAM, TFTM and
// our HTTP server, all in this process, inside a private network namespace (root; multicast on
// loopback). Prints, per protocol and N: bytes the server sent / image size, and completion time
// / the single-client time of the same protocol; then the same at N = 32 with 2 % loss against
// the lossless time. Usage: pecast_bench_multicast [--size-mib 256] [--clients 1,8,32]
//                           [--loss 2] [--protocols slam,tftm,http] [--slam-read-ahead N]
// Environment: PECAST_BENCH_SLAM_FIXED_RATE=1 turns the SLAM server's adaptive rate off.

#include "serve/fetchclient.h"
#include "serve/httpserver.h"
#include "serve/slamserver.h"
#include "serve/tftpserver.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <arpa/inet.h>
#include <sched.h>

#include <cstdio>
#include <ctime>
#include <random>
#include <thread>
#include <vector>

using namespace pecast;
using namespace pecast::serve;

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

bool setUpNamespace()
{
    if (::unshare(CLONE_NEWNET) != 0) {
        std::perror("unshare(CLONE_NEWNET) (run as root)");
        return false;
    }
    for (const QStringList &args : { QStringList { "link", "set", "lo", "up" },
             QStringList { "link", "set", "lo", "multicast", "on" },
             QStringList { "route", "add", "239.0.0.0/8", "dev", "lo" } }) {
        if (QProcess::execute(QStringLiteral("ip"), args) != 0)
            return false;
    }
    return true;
}

int runClients(const QString &url, int count, double loss)
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
                options.interface = QStringLiteral("127.0.0.1");
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

struct UdpCounters
{
    quint64 rcvbufErrors = 0;
    quint64 sndbufErrors = 0;
};

// The namespace's UDP counters (/proc/net/snmp): datagrams dropped because a socket's receive or
// send buffer was full, i.e. loss that no injector caused.
UdpCounters udpCounters()
{
    QFile f(QStringLiteral("/proc/net/snmp"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QList<QByteArray> names;
    UdpCounters c;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (!line.startsWith("Udp: "))
            continue;
        const QList<QByteArray> fields = line.simplified().split(' ');
        if (names.isEmpty()) {
            names = fields;
            continue;
        }
        for (int i = 1; i < fields.size() && i < names.size(); ++i) {
            if (names[i] == "RcvbufErrors")
                c.rcvbufErrors = fields[i].toULongLong();
            else if (names[i] == "SndbufErrors")
                c.sndbufErrors = fields[i].toULongLong();
        }
        break;
    }
    return c;
}

Endpoint loopback()
{
    Endpoint e;
    inet_pton(AF_INET, "127.0.0.1", &e.address);
    return e;
}

Outcome benchSlam(
    const QString &image, qint64 size, int count, double loss, int readAhead, std::uint16_t port)
{
    SlamServerConfig config;
    config.imagePath = image;
    config.listen = loopback();
    inet_pton(AF_INET, "239.255.1.1", &config.group.address);
    config.group.port = port;
    config.interface = QStringLiteral("127.0.0.1");
    config.readAhead = readAhead;
    config.adaptiveRate = !qEnvironmentVariableIsSet("PECAST_BENCH_SLAM_FIXED_RATE");
    auto server = SlamServer::start(config);
    if (!server) {
        std::fprintf(stderr, "%s\n", qPrintable(server.error().toString()));
        return { 0, 0, count };
    }
    const UdpCounters udpBefore = udpCounters();
    QElapsedTimer timer;
    timer.start();
    Outcome o;
    o.failed = runClients(QStringLiteral("x-slam://127.0.0.1:%1/239.255.1.1:%2")
                              .arg(server.value()->listenEndpoint().port)
                              .arg(port),
        count, loss);
    o.seconds = timer.nsecsElapsed() / 1e9;
    const SlamStats st = server.value()->stats();
    o.sentRatio = double(st.dataBytes) / double(size);
    const UdpCounters udp = udpCounters();
    std::fprintf(stderr,
        "  slam N=%d: %llu packets, %llu resent, %llu suppressed, %llu pings (%llu repeated), "
        "%llu NACKs (%llu stale), %llu overflow reports, %llu rate cuts; UDP rcvbuf errors %llu, "
        "sndbuf errors %llu\n",
        count, qulonglong(st.dataPackets), qulonglong(st.blocksResent),
        qulonglong(st.resendsSuppressed), qulonglong(st.pings), qulonglong(st.repings),
        qulonglong(st.nacks), qulonglong(st.staleNacks), qulonglong(st.burstLosses),
        qulonglong(st.rateDecreases), qulonglong(udp.rcvbufErrors - udpBefore.rcvbufErrors),
        qulonglong(udp.sndbufErrors - udpBefore.sndbufErrors));
    return o;
}

Outcome benchTftm(const QString &image, qint64 size, int count, double loss, std::uint16_t port)
{
    TftpServerConfig config;
    config.listen = loopback();
    inet_pton(AF_INET, "239.255.2.1", &config.group.address);
    config.group.port = port;
    config.interface = QStringLiteral("127.0.0.1");
    config.files = { { QStringLiteral("image.img"), image } };
    auto server = TftpServer::start(config);
    if (!server) {
        std::fprintf(stderr, "%s\n", qPrintable(server.error().toString()));
        return { 0, 0, count };
    }
    QElapsedTimer timer;
    timer.start();
    Outcome o;
    o.failed = runClients(
        QStringLiteral("tftm://127.0.0.1:%1/image.img").arg(server.value()->listenEndpoint().port),
        count, loss);
    o.seconds = timer.nsecsElapsed() / 1e9;
    o.sentRatio = double(server.value()->stats().dataBytes) / double(size);
    return o;
}

Outcome benchHttp(const QString &image, qint64 size, int count)
{
    HttpServer server;
    if (!server.publishFile(QStringLiteral("image.img"), image))
        return { 0, 0, count };
    HttpServerConfig config;
    config.address = QHostAddress::LocalHost;
    config.port = 0;
    if (!server.start(config))
        return { 0, 0, count };
    QElapsedTimer timer;
    timer.start();
    Outcome o;
    o.failed
        = runClients(QStringLiteral("http://127.0.0.1:%1/image.img").arg(server.port()), count, 0);
    o.seconds = timer.nsecsElapsed() / 1e9;
    o.sentRatio = double(server.stats().bytesSentTotal) / double(size);
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

    if (!setUpNamespace())
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
    std::printf("image %lld MiB, %u CPUs; one process, clients are threads\n", sizeMiB,
        std::thread::hardware_concurrency());
    std::printf("%-5s %4s %6s %10s %12s %14s %7s %8s\n", "proto", "N", "loss%", "seconds",
        "sent/image", "time/single", "failed", "cpu_s");
    std::uint16_t port = 20000;
    for (const QString &protocol : protocols) {
        double single = 0;
        double lossless32 = 0;
        double losslessCpu = 0;
        for (int n : counts) {
            const Outcome o = measured([&] {
                if (protocol == QLatin1String("slam"))
                    return benchSlam(image, size, n, 0, readAhead, port++);
                if (protocol == QLatin1String("tftm"))
                    return benchTftm(image, size, n, 0, port += 8);
                return benchHttp(image, size, n);
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
                return protocol == QLatin1String("slam")
                    ? benchSlam(image, size, n, loss, readAhead, port++)
                    : benchTftm(image, size, n, loss, port += 8);
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
