// Minimal HTTP/1.1 GET client (no TLS, no redirects): enough to test PEcast's own server and to
// compare protocols in benchmarks from the same process.

#include "serve/fetchoutput.h"
#include "serve/fetchprotocols.h"
#include "serve/multicastsocket.h"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <vector>

namespace pecast::serve {

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kMaxPollMs = 100;
// Response headers larger than this are not from a file server.
constexpr int kMaxHeaderBytes = 65536;

} // namespace

Result<FetchStats> fetchHttp(const QUrl &url, const FetchOptions &options, Progress &progress)
{
    const QString what = QStringLiteral("fetching %1").arg(url.toString());
    auto output = FetchOutput::create(options.outputPath, options.force);
    if (!output)
        return std::move(output).error().context(what);
    auto address = parseAddress(url.host());
    if (!address)
        return std::move(address).error().context(what);
    Endpoint server { *address, std::uint16_t(url.port(80)) };
    UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd.valid())
        return Error::fromErrno(errno, QStringLiteral("creating a TCP socket")).context(what);
    const sockaddr_in addr = server.toSockaddr();
    if (::connect(fd.get(), reinterpret_cast<const sockaddr *>(&addr), sizeof addr) != 0)
        return Error::fromErrno(errno, QStringLiteral("connecting to %1").arg(server.toString()))
            .context(what);
    QByteArray path = url.path(QUrl::FullyEncoded).toLatin1();
    if (path.isEmpty())
        path = "/";
    const QByteArray request = "GET " + path + " HTTP/1.1\r\nHost: " + url.authority().toLatin1()
        + "\r\nUser-Agent: pecast-fetch\r\nConnection: close\r\n\r\n";
    if (::send(fd.get(), request.constData(), size_t(request.size()), MSG_NOSIGNAL)
        != request.size())
        return Error::fromErrno(errno, QStringLiteral("sending the request")).context(what);

    progress.beginStage(QStringLiteral("Receiving %1").arg(url.toString()), -1);
    const auto started = Clock::now();
    auto lastData = started;
    QByteArray head;
    qint64 contentLength = -1;
    qint64 received = 0;
    bool inBody = false;
    std::vector<char> buffer(256 * 1024);
    FetchStats stats;
    for (;;) {
        if (auto s = progress.check(); !s)
            return std::move(s).error();
        pollfd pfd { fd.get(), POLLIN, 0 };
        if (::poll(&pfd, 1, kMaxPollMs) < 0 && errno != EINTR)
            return Error::fromErrno(errno, QStringLiteral("waiting for data")).context(what);
        if (!(pfd.revents & (POLLIN | POLLHUP | POLLERR))) {
            if (Clock::now() - lastData > std::chrono::milliseconds(options.httpTimeoutMs))
                return Error(Errc::Network, QStringLiteral("the server stopped sending"))
                    .context(what);
            continue;
        }
        const ssize_t n = ::recv(fd.get(), buffer.data(), buffer.size(), 0);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            return Error::fromErrno(errno, QStringLiteral("receiving")).context(what);
        }
        lastData = Clock::now();
        const char *data = buffer.data();
        qint64 length = n;
        if (!inBody) {
            if (n == 0)
                return Error(Errc::Network, QStringLiteral("connection closed before the headers"))
                    .context(what);
            head.append(data, int(n));
            const auto end = head.indexOf("\r\n\r\n");
            if (end < 0) {
                if (head.size() > kMaxHeaderBytes)
                    return Error(Errc::BadFormat, QStringLiteral("response headers too large"))
                        .context(what);
                continue;
            }
            const QList<QByteArray> lines = head.left(end).split('\n');
            const QList<QByteArray> status = lines.value(0).trimmed().split(' ');
            if (status.size() < 2 || status[1] != "200") {
                return Error(Errc::Network,
                    QStringLiteral("the server answered \"%1\"")
                        .arg(QString::fromLatin1(lines.value(0).trimmed())))
                    .context(what);
            }
            for (const QByteArray &line : lines) {
                const auto colon = line.indexOf(':');
                if (colon > 0 && line.left(colon).trimmed().toLower() == "content-length")
                    contentLength = line.mid(colon + 1).trimmed().toLongLong();
            }
            if (contentLength >= 0) {
                if (auto s = output->setLayout(contentLength, 1, 0, true); !s)
                    return std::move(s).error().context(what);
                progress.setTotal(contentLength);
            }
            inBody = true;
            const QByteArray rest = head.mid(end + 4);
            head.clear();
            if (!rest.isEmpty()) {
                std::copy(rest.begin(), rest.end(), buffer.begin());
                length = rest.size();
            } else {
                continue;
            }
        } else if (n == 0) {
            break;
        }
        if (contentLength >= 0)
            length = std::min(length, contentLength - received);
        if (length > 0) {
            if (auto s = output->setLayout(std::max(contentLength, received + length), 1, 0, false);
                !s)
                return std::move(s).error().context(what);
            if (auto s = output->writeBlock(received, buffer.data(), length); !s)
                return std::move(s).error().context(what);
            received += length;
            progress.update(received);
        }
        if (contentLength >= 0 && received >= contentLength)
            break;
    }
    if (contentLength >= 0 && received < contentLength) {
        return Error(Errc::Network,
            QStringLiteral("connection closed after %1 of %2 bytes")
                .arg(received)
                .arg(contentLength))
            .context(what);
    }
    if (auto s = output->commit(); !s)
        return std::move(s).error().context(what);
    stats.bytes = received;
    stats.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    return stats;
}

} // namespace pecast::serve
