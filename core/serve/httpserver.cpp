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
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
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
// Niceness of the loop threads with HttpServerConfig::backgroundPriority: low enough that a UI
// thread at nice 0 wins the CPU whenever both want it (weight 110 against 1024).
constexpr int kBackgroundNice = 10;

// Event loops when HttpServerConfig::threads is 0: one per CPU, but a few are plenty for a
// NIC-bound server and each costs a thread and a listening socket.
constexpr unsigned kMaxDefaultThreads = 4;
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

// One epoll loop on its own thread, with its own listening socket (SO_REUSEPORT: the kernel
// spreads new connections over the loops) and the connections it accepted.
struct EventLoop
{
    UniqueFd listenFd;
    UniqueFd epollFd;
    UniqueFd spareFd; // given up to accept() and refuse one connection when out of fds
    std::thread thread;
    std::unordered_map<int, std::unique_ptr<HttpConnection>> connections;
    std::vector<int> yielded; // connections with budget spent and more to send
};

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

    Result<UniqueFd> bindSocket(quint16 port, bool reusePort);
    void run(EventLoop &loop); // a server thread
    void acceptAll(EventLoop &loop, qint64 nowMs);
    void handle(EventLoop &loop, HttpConnection *connection, HttpConnection::Outcome outcome);
    void closeConnection(EventLoop &loop, HttpConnection *connection);

    HttpServer *q;
    PublishTable table;
    HttpServerConfig config;
    ConnectionHooks hooks; // called from every loop thread; each hook is thread-safe
    UniqueFd wakeFd; // eventfd in every loop's epoll: written once by stop(), never read
    std::vector<std::unique_ptr<EventLoop>> loops;
    quint16 boundPort = 0;
    QHostAddress boundAddress;
    std::atomic<bool> running { false };
    QElapsedTimer clock;

    std::atomic<quint64> nextId { 1 };
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
    int threads = config.threads;
    if (threads <= 0)
        threads = int(std::clamp(std::thread::hardware_concurrency(), 1u, kMaxDefaultThreads));
    d->wakeFd.reset(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
    if (!d->wakeFd.valid())
        return Error::fromErrno(errno, QStringLiteral("creating the HTTP event loop"));
    d->loops.clear();
    // SO_REUSEPORT would let us share a port that another SO_REUSEPORT server (say, a second
    // pecast) holds. A plain bind first finds any current owner.
    if (config.port != 0) {
        if (auto probe = d->bindSocket(config.port, false); !probe)
            return std::move(probe).error();
    }
    for (int i = 0; i < threads; ++i) {
        auto loop = std::make_unique<EventLoop>();
        // The first socket binds the requested port (maybe 0); the others join the bound one.
        auto fd = d->bindSocket(i == 0 ? config.port : d->boundPort, true);
        if (!fd) {
            d->loops.clear();
            return std::move(fd).error();
        }
        loop->listenFd = std::move(fd.value());
        loop->epollFd.reset(::epoll_create1(EPOLL_CLOEXEC));
        loop->spareFd.reset(::open("/dev/null", O_RDONLY | O_CLOEXEC));
        if (!loop->epollFd.valid()) {
            d->loops.clear();
            return Error::fromErrno(errno, QStringLiteral("creating the HTTP event loop"));
        }
        epoll_event ev {};
        ev.events = EPOLLIN;
        ev.data.fd = loop->listenFd.get();
        ::epoll_ctl(loop->epollFd.get(), EPOLL_CTL_ADD, loop->listenFd.get(), &ev);
        ev.data.fd = d->wakeFd.get();
        ::epoll_ctl(loop->epollFd.get(), EPOLL_CTL_ADD, d->wakeFd.get(), &ev);
        d->loops.push_back(std::move(loop));
    }
    d->clock.start();
    d->running = true;
    for (auto &loop : d->loops) {
        EventLoop *l = loop.get();
        const bool background = config.backgroundPriority;
        l->thread = std::thread([this, l, background] {
            if (background)
                ::setpriority(PRIO_PROCESS, ::gettid(), kBackgroundNice); // this thread only
            d->run(*l);
        });
    }
    qCDebug(lcHttp) << "listening on" << d->boundAddress.toString() << d->boundPort << "with"
                    << threads << "threads";
    return {};
}

void HttpServer::stop()
{
    if (!d->running)
        return;
    d->running = false;
    const quint64 one = 1;
    [[maybe_unused]] ssize_t n = ::write(d->wakeFd.get(), &one, sizeof one);
    for (auto &loop : d->loops) {
        if (loop->thread.joinable())
            loop->thread.join();
    }
    d->loops.clear();
    d->wakeFd.reset();
    d->connectionCount = 0;
    d->boundPort = 0;
}

Result<UniqueFd> HttpServer::Private::bindSocket(quint16 port, bool reusePort)
{
    const bool v6 = config.address.protocol() == QAbstractSocket::IPv6Protocol
        || config.address == QHostAddress(QHostAddress::Any);
    UniqueFd fd(::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd.valid())
        return Error::fromErrno(errno, QStringLiteral("creating the HTTP socket"));
    const int on = 1;
    ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (reusePort)
        ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEPORT, &on, sizeof on);

    sockaddr_storage storage {};
    socklen_t length = 0;
    if (v6) {
        const int off = 0; // QHostAddress::Any: one socket for IPv4 and IPv6
        if (config.address == QHostAddress(QHostAddress::Any))
            ::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
        auto *in6 = reinterpret_cast<sockaddr_in6 *>(&storage);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(port);
        const Q_IPV6ADDR a = config.address == QHostAddress(QHostAddress::Any)
            ? QHostAddress(QHostAddress::AnyIPv6).toIPv6Address()
            : config.address.toIPv6Address();
        memcpy(&in6->sin6_addr, &a, sizeof a);
        length = sizeof(sockaddr_in6);
    } else {
        auto *in = reinterpret_cast<sockaddr_in *>(&storage);
        in->sin_family = AF_INET;
        in->sin_port = htons(port);
        in->sin_addr.s_addr = htonl(config.address.toIPv4Address());
        length = sizeof(sockaddr_in);
    }

    const QString where = QStringLiteral("%1 port %2")
                              .arg(config.address == QHostAddress(QHostAddress::AnyIPv4)
                                      ? QStringLiteral("all addresses")
                                      : config.address.toString())
                              .arg(port);
    if (::bind(fd.get(), reinterpret_cast<sockaddr *>(&storage), length) != 0) {
        const int err = errno;
        Error e = Error::fromErrno(err, QStringLiteral("binding HTTP to %1").arg(where));
        e = Error(Errc::Network, e.message(), err);
        if (err == EADDRINUSE)
            return std::move(e).withHint(QStringLiteral(
                "Another program already uses port %1. Stop it, or choose another port "
                "(--http-port).")
                                             .arg(port));
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
    return fd;
}

void HttpServer::Private::run(EventLoop &loop)
{
    epoll_event events[kMaxEvents];
    qint64 nextTick = clock.elapsed() + kTimerTickMs;
    while (running.load(std::memory_order_relaxed)) {
        const int timeout = loop.yielded.empty() ? kTimerTickMs : 0;
        const int n = ::epoll_wait(loop.epollFd.get(), events, kMaxEvents, timeout);
        if (n < 0 && errno != EINTR) {
            qCWarning(lcHttp) << "epoll_wait:" << strerror(errno);
            break;
        }
        const qint64 now = clock.elapsed();
        for (int i = 0; i < n; ++i) {
            const int fd = events[i].data.fd;
            if (fd == loop.listenFd.get()) {
                acceptAll(loop, now);
                continue;
            }
            if (fd == wakeFd.get())
                continue; // running is false now; the loop ends
            const auto it = loop.connections.find(fd);
            if (it == loop.connections.end())
                continue;
            HttpConnection *connection = it->second.get();
            handle(loop, connection, connection->drive(now));
        }
        // Round robin over the connections that had more to send than one turn allows.
        if (!loop.yielded.empty()) {
            std::vector<int> turn;
            turn.swap(loop.yielded);
            for (int fd : turn) {
                const auto it = loop.connections.find(fd);
                if (it != loop.connections.end())
                    handle(loop, it->second.get(), it->second->drive(now));
            }
        }
        if (now >= nextTick) {
            nextTick = now + kTimerTickMs;
            std::vector<HttpConnection *> all;
            all.reserve(loop.connections.size());
            for (auto &entry : loop.connections)
                all.push_back(entry.second.get());
            for (HttpConnection *connection : all)
                handle(loop, connection, connection->checkTimeouts(now));
        }
    }
    for (auto &entry : loop.connections)
        entry.second->abort();
    connectionCount.fetch_sub(int(loop.connections.size()));
    loop.connections.clear();
    loop.yielded.clear();
}

void HttpServer::Private::handle(
    EventLoop &loop, HttpConnection *connection, HttpConnection::Outcome outcome)
{
    switch (outcome) {
    case HttpConnection::Outcome::Wait:
        return;
    case HttpConnection::Outcome::Yield:
        loop.yielded.push_back(connection->fd());
        return;
    case HttpConnection::Outcome::Close:
        closeConnection(loop, connection);
        return;
    }
}

void HttpServer::Private::closeConnection(EventLoop &loop, HttpConnection *connection)
{
    const int fd = connection->fd();
    ::epoll_ctl(loop.epollFd.get(), EPOLL_CTL_DEL, fd, nullptr);
    loop.connections.erase(fd); // closes the socket
    connectionCount.fetch_sub(1);
}

void HttpServer::Private::acceptAll(EventLoop &loop, qint64 nowMs)
{
    for (;;) {
        sockaddr_storage peer {};
        socklen_t peerLength = sizeof peer;
        UniqueFd fd(::accept4(loop.listenFd.get(), reinterpret_cast<sockaddr *>(&peer), &peerLength,
            SOCK_NONBLOCK | SOCK_CLOEXEC));
        if (!fd.valid()) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno == EMFILE || errno == ENFILE) {
                // Out of descriptors: take the spare one back for a moment to accept and close
                // the waiting connection, or the listen socket would stay readable forever.
                qCWarning(lcHttp) << "out of file descriptors; refusing a connection";
                loop.spareFd.reset();
                UniqueFd victim(::accept4(loop.listenFd.get(), nullptr, nullptr, SOCK_CLOEXEC));
                victim.reset();
                loop.spareFd.reset(::open("/dev/null", O_RDONLY | O_CLOEXEC));
                refused.fetch_add(1);
                if (!loop.spareFd.valid())
                    return;
                continue;
            }
            return; // EAGAIN: all accepted
        }
        if (connectionCount.load() >= config.maxConnections) {
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
            std::move(fd), nextId.fetch_add(1), peerString(peer), config, table, hooks, nowMs);
        epoll_event ev {};
        ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
        ev.data.fd = raw;
        if (::epoll_ctl(loop.epollFd.get(), EPOLL_CTL_ADD, raw, &ev) != 0)
            continue;
        HttpConnection *c = connection.get();
        loop.connections.emplace(raw, std::move(connection));
        connectionCount.fetch_add(1);
        accepted.fetch_add(1);
        handle(loop, c, c->drive(nowMs));
    }
}

} // namespace pecast::serve
