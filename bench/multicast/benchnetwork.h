#pragma once

// The network a multicast benchmark runs on, in private network namespaces of this process
// (root). Without a link rate: one namespace, server and clients on loopback (what the first
// tables in docs/benchmarks.md measured). With a link rate: two namespaces joined by a veth
// pair, the server in one and all clients in the other, so that everything the server sends
// (multicast data, pings, OACKs, HTTP responses) leaves through one emulated link:
//  - LinkMode::Shaped: a `tbf` qdisc at N Mbit/s on the server's veth (a real bottleneck: the
//    servers' own pacing and TCP's flow control meet it, excess datagrams are dropped there);
//  - LinkMode::Paced: no qdisc; the SLAM and TFTM servers' own rate caps are set to N instead
//    (HTTP has no rate cap and stays unlimited).
// Namespaces are per thread: the main thread lives in the clients' namespace; servers are
// started inside serverScope(), and the threads they create inherit the server namespace.

#include "serve/udpcounters.h"

#include <QString>

#include <functional>

namespace pecast::bench {

enum class LinkMode { Shaped, Paced };

using serve::UdpCounters;

class BenchNetwork
{
public:
    BenchNetwork() = default;
    ~BenchNetwork();
    BenchNetwork(const BenchNetwork &) = delete;
    BenchNetwork &operator=(const BenchNetwork &) = delete;

    // Sets the namespaces up; false (with a message on stderr) when that fails.
    bool setUp(double linkMbit, LinkMode mode);

    QString serverAddress() const { return m_serverAddress; }
    QString clientAddress() const { return m_clientAddress; }
    // The servers' own rate cap for this link (Paced mode), else 0.
    double serverRateMbit() const { return m_mode == LinkMode::Paced ? m_linkMbit : 0; }
    // True when clients are on another host than the server (no multicast loop needed).
    bool separateHosts() const { return m_serverNs >= 0; }
    // Runs `work` in the server's namespace (threads it starts stay there).
    void serverScope(const std::function<void()> &work) const;
    // UDP drop counters: receive-buffer drops on the clients' side, send drops (socket buffer or
    // the link's queue) on the server's side.
    UdpCounters udpCounters() const;
    QString description() const;

private:
    double m_linkMbit = 0;
    LinkMode m_mode = LinkMode::Shaped;
    int m_serverNs = -1;
    int m_clientNs = -1;
    QString m_serverAddress = QStringLiteral("127.0.0.1");
    QString m_clientAddress = QStringLiteral("127.0.0.1");
};

} // namespace pecast::bench
