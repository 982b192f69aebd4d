#include "serve/httpserver.h"

#include "serve/httpconnection.h"
#include "serve/logging.h"
#include "serve/publishtable.h"

#include <QElapsedTimer>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <thread>
#include <unordered_map>
#include <vector>

namespace pecast::serve {

namespace {

// Events taken per epoll_wait(); more just wait for the next call.
constexpr int kMaxEvents = 256;
// How often deadlines are checked; timeouts are seconds, so a quarter second is precise enough.
constexpr int kTimerTickMs = 250;
// Pending connections the kernel queues for us (a classroom powering on at once).
constexpr int kListenBacklog = 1024;
// The answer to a connection over the limit, written without waiting and then closed.
constexpr char kBusyBody[] = "503 Service Unavailable\n";
constexpr char kBusyResponse[] = "HTTP/1.1 503 Service Unavailable\r\nServer: PEcast\r\n"
                                 "Content-Type: text/plain\r\nContent-Length: 24\r\n"
                                 "Retry-After: 5\r\nConnection: close\r\n\r\n"
                                 "503 Service Unavailable\n";
static_assert(sizeof kBusyBody - 1 == 24, "Content-Length above must match the body");

QString peerString(const sockaddr_storage &address)
{
    char text[INET6_ADDRSTRLEN] = {};
    if (address.ss_family == AF_INET) {
        const auto *in = reinterpret_cast<const sockaddr_in *>(&address);
        inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
        return QStringLiteral("%1:%2").arg(QLatin1String(text)).arg(ntohs(in->sin_port));
    }
    const auto *in6 = reinterpret_cast<const sockaddr_in6 *>(&address);
    inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
    return QStringLiteral("[%1]:%2").arg(QLatin1String(text)).arg(ntohs(in6->sin6_port));
}

} // namespace

class HttpServer::Private
{
public:
    explicit Private(HttpServer *owner)
        : q(owner)
    {
        hooks.transfer = [this](const ClientTransfer &t) { Q_EMIT this->q->transfer(t); };
        hooks.requestLogged = [this](const QString &line) { Q_EMIT this->q->requestLogged(line); };
        hooks.bytesSent
            = [this](qint64 n) { bytesSent.fetch_add(quint64(n), std::memory_order_relaxed); };
        hooks.requestSeen = [this] { requests.fetch_add(1, std::memory_order_relaxed); };
    }

    Status bindSocket();
    void run(); // the server thread
    void acceptAll(qint64 nowMs);
    void handle(HttpConnection *connection, HttpConnection::Outcome outcome);
    void closeConnection(HttpConnection *connection);

    HttpServer *q;
    PublishTable table;
    HttpServerConfig config;
    ConnectionHooks hooks;
    UniqueFd listenFd;
    UniqueFd epollFd;
    UniqueFd wakeFd; // eventfd: written by stop()
    UniqueFd spareFd; // given up to accept() and refuse one connection when out of fds
    std::thread thread;
    quint16 boundPort = 0;
    QHostAddress boundAddress;
    std::atomic<bool> running { false };
    QElapsedTimer clock;

    // Server-thread state.
    std::unordered_map<int, std::unique_ptr<HttpConnection>> connections;
    std::vector<int> yielded; // connections with budget spent and more to send
    quint64 nextId = 1;

    std::atomic<int> connectionCount { 0 };
    std::atomic<quint64> accepted { 0 };
    std::atomic<quint64> refused { 0 };
    std::atomic<quint64> requests { 0 };
    std::atomic<quint64> bytesSent { 0 };
};

HttpServer::HttpServer(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this))
{
    qRegisterMetaType<pecast::serve::ClientTransfer>();
}

HttpServer::~HttpServer()
{
    stop();
}

Status HttpServer::publishFile(const QString &name, const QString &path, const QString &contentType)
{
    return d->table.publishFile(name, path, contentType);
}

Status HttpServer::publishData(
    const QString &name, const QByteArray &data, const QString &contentType)
{
    return d->table.publishData(name, data, contentType);
}

void HttpServer::unpublish(const QString &name)
{
    d->table.remove(name);
}

QStringList HttpServer::publishedNames() const
{
    return d->table.names();
}

bool HttpServer::isRunning() const
{
    return d->running.load();
}

quint16 HttpServer::port() const
{
    return d->running ? d->boundPort : 0;
}

QHostAddress HttpServer::address() const
{
    return d->boundAddress;
}

HttpStats HttpServer::stats() const
{
    HttpStats s;
    s.connections = d->connectionCount.load();
    s.acceptedTotal = d->accepted.load();
    s.refusedTotal = d->refused.load();
    s.requestsTotal = d->requests.load();
    s.bytesSentTotal = d->bytesSent.load();
    return s;
}

Status HttpServer::start(const HttpServerConfig &config)
{
    if (d->running)
        return Error(Errc::InvalidInput, QStringLiteral("the HTTP server is already running"));
    d->config = config;
    if (auto s = d->bindSocket(); !s)
        return s;
    d->epollFd.reset(::epoll_create1(EPOLL_CLOEXEC));
    d->wakeFd.reset(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
    d->spareFd.reset(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    if (!d->epollFd.valid() || !d->wakeFd.valid())
        return Error::fromErrno(errno, QStringLiteral("creating the HTTP event loop"));
    epoll_event ev {};
    ev.events = EPOLLIN;
    ev.data.fd = d->listenFd.get();
    ::epoll_ctl(d->epollFd.get(), EPOLL_CTL_ADD, d->listenFd.get(), &ev);
    ev.data.fd = d->wakeFd.get();
    ::epoll_ctl(d->epollFd.get(), EPOLL_CTL_ADD, d->wakeFd.get(), &ev);
    d->clock.start();
    d->running = true;
    d->thread = std::thread([this] { d->run(); });
    qCInfo(lcHttp) << "listening on" << d->boundAddress.toString() << d->boundPort;
    return {};
}

void HttpServer::stop()
{
    if (!d->running)
        return;
    d->running = false;
    const quint64 one = 1;
    [[maybe_unused]] ssize_t n = ::write(d->wakeFd.get(), &one, sizeof one);
    if (d->thread.joinable())
        d->thread.join();
    d->listenFd.reset();
    d->epollFd.reset();
    d->wakeFd.reset();
    d->spareFd.reset();
    d->boundPort = 0;
}

Status HttpServer::Private::bindSocket()
{
    const bool v6 = config.address.protocol() == QAbstractSocket::IPv6Protocol
        || config.address == QHostAddress(QHostAddress::Any);
    UniqueFd fd(::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd.valid())
        return Error::fromErrno(errno, QStringLiteral("creating the HTTP socket"));
    const int on = 1;
    ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);

    sockaddr_storage storage {};
    socklen_t length = 0;
    if (v6) {
        const int off = 0; // QHostAddress::Any: one socket for IPv4 and IPv6
        if (config.address == QHostAddress(QHostAddress::Any))
            ::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
        auto *in6 = reinterpret_cast<sockaddr_in6 *>(&storage);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(config.port);
        const Q_IPV6ADDR a = config.address == QHostAddress(QHostAddress::Any)
            ? QHostAddress(QHostAddress::AnyIPv6).toIPv6Address()
            : config.address.toIPv6Address();
        memcpy(&in6->sin6_addr, &a, sizeof a);
        length = sizeof(sockaddr_in6);
    } else {
        auto *in = reinterpret_cast<sockaddr_in *>(&storage);
        in->sin_family = AF_INET;
        in->sin_port = htons(config.port);
        in->sin_addr.s_addr = htonl(config.address.toIPv4Address());
        length = sizeof(sockaddr_in);
    }

    const QString where = QStringLiteral("%1 port %2")
                              .arg(config.address == QHostAddress(QHostAddress::AnyIPv4)
                                      ? QStringLiteral("all addresses")
                                      : config.address.toString())
                              .arg(config.port);
    if (::bind(fd.get(), reinterpret_cast<sockaddr *>(&storage), length) != 0) {
        const int err = errno;
        Error e = Error::fromErrno(err, QStringLiteral("binding HTTP to %1").arg(where));
        e = Error(Errc::Network, e.message(), err);
        if (err == EADDRINUSE)
            return std::move(e).withHint(QStringLiteral(
                "Another program already uses port %1. Stop it, or choose another port "
                "(--http-port).")
                                             .arg(config.port));
        if (err == EACCES)
            return std::move(e).withHint(QStringLiteral(
                "Ports below 1024 need root (or CAP_NET_BIND_SERVICE). Use a port such as 8080, "
                "or run as root."));
        if (err == EADDRNOTAVAIL)
            return std::move(e).withHint(
                QStringLiteral("%1 is not an address of this machine; choose one it has (ip addr).")
                    .arg(config.address.toString()));
        return e;
    }
    if (::listen(fd.get(), kListenBacklog) != 0)
        return Error(Errc::Network,
            Error::fromErrno(errno, QStringLiteral("listening on %1").arg(where)).message(), errno);
    sockaddr_storage bound {};
    socklen_t boundLength = sizeof bound;
    ::getsockname(fd.get(), reinterpret_cast<sockaddr *>(&bound), &boundLength);
    boundPort = bound.ss_family == AF_INET
        ? ntohs(reinterpret_cast<sockaddr_in *>(&bound)->sin_port)
        : ntohs(reinterpret_cast<sockaddr_in6 *>(&bound)->sin6_port);
    boundAddress = config.address;
    listenFd = std::move(fd);
    return {};
}

void HttpServer::Private::run()
{
    epoll_event events[kMaxEvents];
    qint64 nextTick = clock.elapsed() + kTimerTickMs;
    while (running.load(std::memory_order_relaxed)) {
        const int timeout = yielded.empty() ? kTimerTickMs : 0;
        const int n = ::epoll_wait(epollFd.get(), events, kMaxEvents, timeout);
        if (n < 0 && errno != EINTR) {
            qCWarning(lcHttp) << "epoll_wait:" << strerror(errno);
            break;
        }
        const qint64 now = clock.elapsed();
        for (int i = 0; i < n; ++i) {
            const int fd = events[i].data.fd;
            if (fd == listenFd.get()) {
                acceptAll(now);
                continue;
            }
            if (fd == wakeFd.get())
                continue; // running is false now; the loop ends
            const auto it = connections.find(fd);
            if (it == connections.end())
                continue;
            HttpConnection *connection = it->second.get();
            handle(connection, connection->drive(now));
        }
        // Round robin over the connections that had more to send than one turn allows.
        if (!yielded.empty()) {
            std::vector<int> turn;
            turn.swap(yielded);
            for (int fd : turn) {
                const auto it = connections.find(fd);
                if (it != connections.end())
                    handle(it->second.get(), it->second->drive(now));
            }
        }
        if (now >= nextTick) {
            nextTick = now + kTimerTickMs;
            std::vector<HttpConnection *> all;
            all.reserve(connections.size());
            for (auto &entry : connections)
                all.push_back(entry.second.get());
            for (HttpConnection *connection : all)
                handle(connection, connection->checkTimeouts(now));
        }
    }
    for (auto &entry : connections)
        entry.second->abort();
    connections.clear();
    yielded.clear();
    connectionCount = 0;
}

void HttpServer::Private::handle(HttpConnection *connection, HttpConnection::Outcome outcome)
{
    switch (outcome) {
    case HttpConnection::Outcome::Wait:
        return;
    case HttpConnection::Outcome::Yield:
        yielded.push_back(connection->fd());
        return;
    case HttpConnection::Outcome::Close:
        closeConnection(connection);
        return;
    }
}

void HttpServer::Private::closeConnection(HttpConnection *connection)
{
    const int fd = connection->fd();
    ::epoll_ctl(epollFd.get(), EPOLL_CTL_DEL, fd, nullptr);
    connections.erase(fd); // closes the socket
    connectionCount = int(connections.size());
}

void HttpServer::Private::acceptAll(qint64 nowMs)
{
    for (;;) {
        sockaddr_storage peer {};
        socklen_t peerLength = sizeof peer;
        UniqueFd fd(::accept4(listenFd.get(), reinterpret_cast<sockaddr *>(&peer), &peerLength,
            SOCK_NONBLOCK | SOCK_CLOEXEC));
        if (!fd.valid()) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno == EMFILE || errno == ENFILE) {
                // Out of descriptors: take the spare one back for a moment to accept and close
                // the waiting connection, or the listen socket would stay readable forever.
                qCWarning(lcHttp) << "out of file descriptors; refusing a connection";
                spareFd.reset();
                UniqueFd victim(::accept4(listenFd.get(), nullptr, nullptr, SOCK_CLOEXEC));
                victim.reset();
                spareFd.reset(::open("/dev/null", O_RDONLY | O_CLOEXEC));
                refused.fetch_add(1);
                continue;
            }
            return; // EAGAIN: all accepted
        }
        if (int(connections.size()) >= config.maxConnections) {
            [[maybe_unused]] ssize_t n = ::send(
                fd.get(), kBusyResponse, sizeof kBusyResponse - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
            ::shutdown(fd.get(), SHUT_WR);
            refused.fetch_add(1);
            continue; // fd closes here
        }
        const int one = 1;
        ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        const int raw = fd.get();
        auto connection = std::make_unique<HttpConnection>(
            std::move(fd), nextId++, peerString(peer), config, table, hooks, nowMs);
        epoll_event ev {};
        ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
        ev.data.fd = raw;
        if (::epoll_ctl(epollFd.get(), EPOLL_CTL_ADD, raw, &ev) != 0)
            continue;
        HttpConnection *c = connection.get();
        connections.emplace(raw, std::move(connection));
        connectionCount = int(connections.size());
        accepted.fetch_add(1);
        handle(c, c->drive(nowMs));
    }
}

} // namespace pecast::serve
