#pragma once

// UDP socket plumbing shared by the SLAM and TFTM servers and the fetch clients: endpoints,
// interface lookup, multicast send options (IP_MULTICAST_IF, TTL, loopback) and group joins.
// Plain POSIX sockets: the servers run their own poll() loops on their own threads.

#include "util/error.h"
#include "util/uniquefd.h"

#include <QString>

#include <netinet/in.h>

#include <cstdint>

namespace pecast::serve {

struct Endpoint
{
    in_addr address {};
    std::uint16_t port = 0;

    sockaddr_in toSockaddr() const;
    static Endpoint fromSockaddr(const sockaddr_in &addr);
    QString toString() const; // "1.2.3.4:5"
    bool operator==(const Endpoint &other) const
    {
        return address.s_addr == other.address.s_addr && port == other.port;
    }
};

// "ADDR", "ADDR:PORT" or a host name; `defaultPort` when no port is given.
Result<Endpoint> parseEndpoint(const QString &text, std::uint16_t defaultPort);
Result<in_addr> parseAddress(const QString &text);

// An interface name ("eth0", "br0") or one of its IPv4 addresses -> that address.
// Empty text gives INADDR_ANY (the kernel's choice).
Result<in_addr> interfaceAddress(const QString &nameOrAddress);

bool isMulticast(in_addr address);

// A non-blocking UDP socket bound to `local` (port 0: ephemeral). `reuse` sets SO_REUSEADDR so
// several receivers (one process running many clients) can bind the same group:port.
Result<UniqueFd> openUdpSocket(const Endpoint &local, bool reuse = false);

// Multicast send options: outgoing interface (no reliance on routes), TTL, loopback.
Status setMulticastSendOptions(int fd, in_addr interface, int ttl, bool loopback);

// A non-blocking socket bound to group:port that has joined the group on `interface`.
Result<UniqueFd> openMulticastReceiver(const Endpoint &group, in_addr interface);

// Asks for larger kernel buffers (best effort: clamped by net.core.[rw]mem_max).
void setSocketBuffers(int fd, int receiveBytes, int sendBytes);

// The local endpoint a socket is bound to.
Result<Endpoint> localEndpoint(int fd);

} // namespace pecast::serve
