#include "serve/multicastsocket.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace pecast::serve {

sockaddr_in Endpoint::toSockaddr() const
{
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_addr = address;
    addr.sin_port = htons(port);
    return addr;
}

Endpoint Endpoint::fromSockaddr(const sockaddr_in &addr)
{
    Endpoint endpoint;
    endpoint.address = addr.sin_addr;
    endpoint.port = ntohs(addr.sin_port);
    return endpoint;
}

QString Endpoint::toString() const
{
    char text[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &address, text, sizeof text);
    return QStringLiteral("%1:%2").arg(QString::fromLatin1(text)).arg(port);
}

Result<in_addr> parseAddress(const QString &text)
{
    in_addr address {};
    if (inet_pton(AF_INET, text.toLatin1().constData(), &address) == 1)
        return address;
    addrinfo hints {};
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_DGRAM;
    addrinfo *found = nullptr;
    const int rc = getaddrinfo(text.toUtf8().constData(), nullptr, &hints, &found);
    if (rc != 0 || !found) {
        return Error(Errc::InvalidInput,
            QStringLiteral("cannot resolve \"%1\": %2")
                .arg(text, QString::fromUtf8(gai_strerror(rc))));
    }
    address = reinterpret_cast<sockaddr_in *>(found->ai_addr)->sin_addr;
    freeaddrinfo(found);
    return address;
}

Result<Endpoint> parseEndpoint(const QString &text, std::uint16_t defaultPort)
{
    Endpoint endpoint;
    endpoint.port = defaultPort;
    QString host = text;
    const auto colon = text.lastIndexOf(QLatin1Char(':'));
    if (colon >= 0) {
        bool ok = false;
        const uint port = text.mid(colon + 1).toUInt(&ok);
        if (!ok || port == 0 || port > 65535) {
            return Error(Errc::InvalidInput, QStringLiteral("invalid port in \"%1\"").arg(text))
                .withHint(QStringLiteral("Use ADDRESS:PORT with a port from 1 to 65535."));
        }
        endpoint.port = std::uint16_t(port);
        host = text.left(colon);
    }
    auto address = parseAddress(host);
    if (!address)
        return std::move(address).error();
    endpoint.address = *address;
    return endpoint;
}

Result<in_addr> interfaceAddress(const QString &nameOrAddress)
{
    in_addr address {};
    address.s_addr = htonl(INADDR_ANY);
    if (nameOrAddress.isEmpty())
        return address;
    if (inet_pton(AF_INET, nameOrAddress.toLatin1().constData(), &address) == 1)
        return address;
    ifaddrs *list = nullptr;
    if (getifaddrs(&list) != 0)
        return Error::fromErrno(errno, QStringLiteral("listing network interfaces"));
    bool found = false;
    for (ifaddrs *it = list; it; it = it->ifa_next) {
        if (it->ifa_addr && it->ifa_addr->sa_family == AF_INET
            && nameOrAddress == QString::fromLocal8Bit(it->ifa_name)) {
            address = reinterpret_cast<sockaddr_in *>(it->ifa_addr)->sin_addr;
            found = true;
            break;
        }
    }
    freeifaddrs(list);
    if (!found) {
        return Error(Errc::NotFound,
            QStringLiteral("network interface \"%1\" has no IPv4 address").arg(nameOrAddress))
            .withHint(QStringLiteral("Name an interface that is up (see `ip -4 addr`), or give "
                                     "one of this machine's IPv4 addresses."));
    }
    return address;
}

bool isMulticast(in_addr address)
{
    return IN_MULTICAST(ntohl(address.s_addr));
}

Result<UniqueFd> openUdpSocket(const Endpoint &local, bool reuse)
{
    UniqueFd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd.valid())
        return Error::fromErrno(errno, QStringLiteral("creating a UDP socket"));
    if (reuse) {
        const int one = 1;
        ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    }
    const sockaddr_in addr = local.toSockaddr();
    if (::bind(fd.get(), reinterpret_cast<const sockaddr *>(&addr), sizeof addr) != 0) {
        const int err = errno;
        auto error = Error::fromErrno(err, QStringLiteral("binding UDP %1").arg(local.toString()));
        if (err == EADDRINUSE)
            return std::move(error).withHint(
                QStringLiteral("Another program uses this port; choose another one."));
        if (err == EACCES)
            return std::move(error).withHint(
                QStringLiteral("Ports below 1024 need root (or CAP_NET_BIND_SERVICE)."));
        return error;
    }
    return fd;
}

Status setMulticastSendOptions(int fd, in_addr interface, int ttl, bool loopback)
{
    if (::setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &interface, sizeof interface) != 0)
        return Error::fromErrno(errno, QStringLiteral("setting the multicast interface"));
    const unsigned char ttlByte = static_cast<unsigned char>(std::clamp(ttl, 0, 255));
    if (::setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttlByte, sizeof ttlByte) != 0)
        return Error::fromErrno(errno, QStringLiteral("setting the multicast TTL"));
    const unsigned char loop = loopback ? 1 : 0;
    if (::setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof loop) != 0)
        return Error::fromErrno(errno, QStringLiteral("setting multicast loopback"));
    return {};
}

Result<UniqueFd> openMulticastReceiver(const Endpoint &group, in_addr interface)
{
    auto fd = openUdpSocket(group, true);
    if (!fd)
        return fd;
    ip_mreq request {};
    request.imr_multiaddr = group.address;
    request.imr_interface = interface;
    if (::setsockopt(fd->get(), IPPROTO_IP, IP_ADD_MEMBERSHIP, &request, sizeof request) != 0) {
        return Error::fromErrno(
            errno, QStringLiteral("joining multicast group %1").arg(group.toString()))
            .withHint(QStringLiteral("The interface needs multicast enabled and, without an "
                                     "explicit interface, a route for 224.0.0.0/4."));
    }
    // Only datagrams for the joined group, not every group bound to this port.
    const int zero = 0;
    ::setsockopt(fd->get(), IPPROTO_IP, IP_MULTICAST_ALL, &zero, sizeof zero);
    return fd;
}

void setSocketBuffers(int fd, int receiveBytes, int sendBytes)
{
    if (receiveBytes > 0)
        ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receiveBytes, sizeof receiveBytes);
    if (sendBytes > 0)
        ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sendBytes, sizeof sendBytes);
}

Result<Endpoint> localEndpoint(int fd)
{
    sockaddr_in addr {};
    socklen_t length = sizeof addr;
    if (::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &length) != 0)
        return Error::fromErrno(errno, QStringLiteral("reading the socket address"));
    return Endpoint::fromSockaddr(addr);
}

} // namespace pecast::serve
