#include "benchnetwork.h"

#include <QFile>
#include <QProcess>

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace pecast::bench {

namespace {

// A private /24 for the emulated segment; nothing outside the namespaces sees it.
const QString kServerAddress = QStringLiteral("10.77.0.1");
const QString kClientAddress = QStringLiteral("10.77.0.2");
const QString kServerDevice = QStringLiteral("pcb-srv");
const QString kClientDevice = QStringLiteral("pcb-cli");
// The link's queue: 50 ms of data (a 100 Mbit/s NIC with the default 1000-packet queue holds
// 120 ms); more only delays pings and TCP further, less drops datagram bursts earlier.
const QString kQueueLatency = QStringLiteral("50ms");
// Token bucket depth: 1 ms of the link rate, at least two full frames, so that the link sends
// at line rate with (almost) no bursts above it, like a wire.
constexpr double kBurstSeconds = 0.001;
constexpr int kMinBurstBytes = 2 * 1514;

bool run(const QStringList &args)
{
    const QString tool = args.first();
    QProcess p;
    p.setProcessChannelMode(QProcess::ForwardedChannels);
    p.start(tool, args.mid(1));
    if (!p.waitForFinished(10000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        std::fprintf(stderr, "failed: %s\n", qPrintable(args.join(QLatin1Char(' '))));
        return false;
    }
    return true;
}

int openOwnNamespace()
{
    return ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
}

bool enter(int nsFd)
{
    if (nsFd >= 0 && ::setns(nsFd, CLONE_NEWNET) != 0) {
        std::perror("setns");
        return false;
    }
    return true;
}

} // namespace

BenchNetwork::~BenchNetwork()
{
    if (m_serverNs >= 0)
        ::close(m_serverNs);
    if (m_clientNs >= 0)
        ::close(m_clientNs);
}

bool BenchNetwork::setUp(double linkMbit, LinkMode mode)
{
    m_linkMbit = linkMbit;
    m_mode = mode;
    if (::unshare(CLONE_NEWNET) != 0) {
        std::perror("unshare(CLONE_NEWNET) (run as root)");
        return false;
    }
    if (linkMbit <= 0) {
        return run({ "ip", "link", "set", "lo", "up" })
            && run({ "ip", "link", "set", "lo", "multicast", "on" })
            && run({ "ip", "route", "add", "239.0.0.0/8", "dev", "lo" });
    }
    m_serverNs = openOwnNamespace();
    if (m_serverNs < 0 || ::unshare(CLONE_NEWNET) != 0) {
        std::perror("second network namespace");
        return false;
    }
    m_clientNs = openOwnNamespace();
    if (m_clientNs < 0)
        return false;
    m_serverAddress = kServerAddress;
    m_clientAddress = kClientAddress;
    const QString serverNsPath = QStringLiteral("/proc/%1/fd/%2").arg(::getpid()).arg(m_serverNs);
    const bool clientSide = run({ "ip", "link", "set", "lo", "up" })
        && run({ "ip", "link", "add", kClientDevice, "type", "veth", "peer", "name", kServerDevice,
            "netns", serverNsPath })
        && run({ "ip", "addr", "add", kClientAddress + "/24", "dev", kClientDevice })
        && run({ "ip", "link", "set", kClientDevice, "up" })
        && run({ "ip", "route", "add", "239.0.0.0/8", "dev", kClientDevice });
    if (!clientSide || !enter(m_serverNs))
        return false;
    bool serverSide = run({ "ip", "link", "set", "lo", "up" })
        && run({ "ip", "addr", "add", kServerAddress + "/24", "dev", kServerDevice })
        && run({ "ip", "link", "set", kServerDevice, "up" })
        && run({ "ip", "route", "add", "239.0.0.0/8", "dev", kServerDevice });
    if (serverSide && mode == LinkMode::Shaped) {
        const int burst = std::max(kMinBurstBytes, int(linkMbit * 1e6 / 8 * kBurstSeconds));
        serverSide = run({ "tc", "qdisc", "add", "dev", kServerDevice, "root", "tbf", "rate",
            QStringLiteral("%1kbit").arg(qint64(linkMbit * 1000)), "burst", QString::number(burst),
            "latency", kQueueLatency });
    }
    return enter(m_clientNs) && serverSide;
}

void BenchNetwork::serverScope(const std::function<void()> &work) const
{
    enter(m_serverNs);
    work();
    enter(m_clientNs);
}

UdpCounters BenchNetwork::udpCounters() const
{
    UdpCounters c = serve::readUdpCounters(); // clients' namespace (or the only one)
    if (m_serverNs >= 0) {
        serverScope([&c] { c.sndbufErrors = serve::readUdpCounters().sndbufErrors; });
    }
    return c;
}

QString BenchNetwork::description() const
{
    if (m_linkMbit <= 0)
        return QStringLiteral("uncapped: one namespace, server and clients on loopback");
    if (m_mode == LinkMode::Shaped)
        return QStringLiteral("link %1 Mbit/s: server and clients in two namespaces over veth, "
                              "tbf on the server's side (burst 1 ms, queue %2)")
            .arg(m_linkMbit)
            .arg(kQueueLatency);
    return QStringLiteral("link %1 Mbit/s: two namespaces over veth, SLAM/TFTM servers paced at "
                          "%1 Mbit/s by their own rate cap, HTTP unlimited")
        .arg(m_linkMbit);
}

} // namespace pecast::bench
