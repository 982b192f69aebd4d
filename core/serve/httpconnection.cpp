#include "serve/httpconnection.h"

#include "serve/logging.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace pecast::serve {

namespace {

// Bytes one connection may send per loop turn before the others get theirs: large enough
// that sendfile() calls are few, small enough that 500 clients share the link fairly.
constexpr qint64 kTurnBudget = 4 * 1024 * 1024;
// Read granularity for request heads; heads are far smaller than this.
constexpr qsizetype kReadChunk = 4096;
// How long a closing connection drains client input so our last answer is not reset away.
constexpr qint64 kLingerMs = 2000;
// Per-connection progress events at most this often (a listener draws bars, not packets).
constexpr qint64 kProgressIntervalMs = 500;

const char *reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 206:
        return "Partial Content";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 408:
        return "Request Timeout";
    case 414:
        return "URI Too Long";
    case 416:
        return "Range Not Satisfiable";
    case 431:
        return "Request Header Fields Too Large";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Error";
    }
}

QByteArray currentDate()
{
    // Formatting a date per response is cheap, but cache it per second anyway (thread-local:
    // each server thread has its own).
    thread_local time_t cachedSecond = 0;
    thread_local QByteArray cached;
    const time_t now = ::time(nullptr);
    if (now != cachedSecond) {
        cachedSecond = now;
        cached = httpDate(now);
    }
    return cached;
}

} // namespace

HttpConnection::HttpConnection(UniqueFd fd, quint64 id, QString peer,
    const HttpServerConfig &config, const PublishTable &table, const ConnectionHooks &hooks,
    qint64 nowMs)
    : m_fd(std::move(fd))
    , m_id(id)
    , m_peer(std::move(peer))
    , m_config(config)
    , m_table(table)
    , m_hooks(hooks)
    , m_deadlineMs(nowMs + config.headerTimeoutMs)
{ }

HttpConnection::Outcome HttpConnection::drive(qint64 nowMs)
{
    for (;;) {
        if (m_state == State::Lingering)
            return lingerRead(nowMs);
        if (m_state == State::Sending) {
            switch (writeSome(nowMs)) {
            case WriteResult::WouldBlock:
                return Outcome::Wait;
            case WriteResult::Budget:
                return Outcome::Yield;
            case WriteResult::Failed:
                finishResponse(false, nowMs);
                return Outcome::Close;
            case WriteResult::Done:
                finishResponse(true, nowMs);
                if (m_closeAfter)
                    return startLingering(nowMs);
                m_state = State::Reading;
                m_deadlineMs = nowMs + m_config.idleTimeoutMs;
                break;
            }
        }
        const Outcome outcome = readAndParse(nowMs);
        if (m_state != State::Sending)
            return outcome;
    }
}

bool HttpConnection::readAvailable()
{
    // Read until the socket is drained (edge-triggered epoll) or a head's worth is buffered.
    const qsizetype cap = m_config.maxHeaderBytes + kReadChunk;
    while (!m_peerClosed && m_in.size() < cap) {
        const qsizetype old = m_in.size();
        m_in.resize(old + kReadChunk);
        const ssize_t n = ::recv(m_fd.get(), m_in.data() + old, kReadChunk, 0);
        if (n > 0) {
            m_in.resize(old + n);
            continue;
        }
        m_in.resize(old);
        if (n == 0) {
            m_peerClosed = true;
            break;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            break;
        return false;
    }
    return true;
}

HttpConnection::Outcome HttpConnection::readAndParse(qint64 nowMs)
{
    const bool wasEmpty = m_in.isEmpty();
    if (!readAvailable())
        return Outcome::Close;
    if (wasEmpty && !m_in.isEmpty())
        m_deadlineMs = nowMs + m_config.headerTimeoutMs; // a request started: it must complete

    // Empty lines between pipelined requests are allowed (RFC 9112 2.2).
    qsizetype skip = 0;
    while (skip < m_in.size() && (m_in[skip] == '\r' || m_in[skip] == '\n'))
        ++skip;
    if (skip > 0)
        m_in.remove(0, skip);

    qsizetype headEnd = -1;
    qsizetype terminatorLength = 0;
    const qsizetype crlf = m_in.indexOf("\r\n\r\n");
    const qsizetype lf = m_in.indexOf("\n\n");
    if (crlf >= 0 && (lf < 0 || crlf < lf)) {
        headEnd = crlf;
        terminatorLength = 4;
    } else if (lf >= 0) {
        headEnd = lf;
        terminatorLength = 2;
    }

    if (headEnd < 0) {
        const qsizetype firstLineEnd = m_in.indexOf('\n');
        if ((firstLineEnd < 0 && m_in.size() > m_config.maxRequestLineBytes)
            || firstLineEnd > m_config.maxRequestLineBytes + 1) {
            startError(414, nullptr, true, nowMs);
            return Outcome::Wait; // drive() goes on sending the answer
        }
        if (m_in.size() > m_config.maxHeaderBytes) {
            startError(431, nullptr, true, nowMs);
            return Outcome::Wait;
        }
        if (m_peerClosed)
            return Outcome::Close; // nothing (or half a request) and the client left
        return Outcome::Wait;
    }
    if (headEnd > m_config.maxHeaderBytes) {
        startError(431, nullptr, true, nowMs);
        return Outcome::Wait;
    }

    const QByteArray head = m_in.left(headEnd);
    m_in.remove(0, headEnd + terminatorLength);
    const RequestParse parsed = parseRequestHead(head, m_config.maxRequestLineBytes);
    if (m_hooks.requestSeen)
        m_hooks.requestSeen();
    if (parsed.errorStatus != 0) {
        startError(parsed.errorStatus, &parsed.request, true, nowMs);
        return Outcome::Wait; // drive() loops into Sending
    }
    handleRequest(parsed.request, nowMs);
    return Outcome::Wait;
}

void HttpConnection::handleRequest(const HttpRequest &request, qint64 nowMs)
{
    const bool isHead = request.method == "HEAD";
    if (request.hasBody) {
        startError(400, &request, true, nowMs); // nothing here takes a body; don't try to skip it
        return;
    }
    if (request.method != "GET" && !isHead) {
        startError(501, &request, !request.keepAlive, nowMs);
        return;
    }
    PublishedEntryPtr entry = request.name.isEmpty() ? nullptr : m_table.find(request.name);
    if (!entry) {
        startError(404, &request, !request.keepAlive, nowMs);
        return;
    }

    m_entry = std::move(entry);
    m_closeAfter = !request.keepAlive || m_peerClosed;
    m_logRequest
        = request.method + ' ' + request.target + " HTTP/1." + char('0' + request.versionMinor);
    m_logDetail.clear();
    const qint64 size = m_entry->size;

    QByteArray headers;
    headers += "Last-Modified: " + m_entry->lastModified + "\r\n";
    headers += "ETag: " + m_entry->etag + "\r\n";
    headers += "Accept-Ranges: bytes\r\n";

    if (!request.ifNoneMatch.isEmpty()
        && (request.ifNoneMatch.trimmed() == "*" || request.ifNoneMatch.contains(m_entry->etag))) {
        startResponse(304, headers, 0, false, nowMs);
        return;
    }

    RangeResult range;
    if (!request.range.isEmpty()) {
        const bool validatorOk = request.ifRange.isEmpty() || request.ifRange == m_entry->etag
            || request.ifRange == m_entry->lastModified;
        if (validatorOk)
            range = parseRange(request.range, size);
    }

    switch (range.kind) {
    case RangeKind::Unsatisfiable:
        headers += "Content-Range: bytes */" + QByteArray::number(size) + "\r\n";
        m_logDetail = "range=" + request.range.left(64);
        startResponse(416, headers + "Content-Type: text/plain\r\n", 0, false, nowMs);
        return;
    case RangeKind::Single: {
        const qint64 last = range.range.first + range.range.length - 1;
        headers += "Content-Range: bytes " + QByteArray::number(range.range.first) + '-'
            + QByteArray::number(last) + '/' + QByteArray::number(size) + "\r\n";
        headers += "Content-Type: " + m_entry->contentType + "\r\n";
        m_fileOffset = range.range.first;
        m_logDetail
            = "range=" + QByteArray::number(range.range.first) + '-' + QByteArray::number(last);
        startResponse(206, headers, range.range.length, !isHead, nowMs);
        return;
    }
    case RangeKind::None:
        headers += "Content-Type: " + m_entry->contentType + "\r\n";
        m_fileOffset = 0;
        startResponse(200, headers, size, !isHead, nowMs);
        return;
    }
}

void HttpConnection::startError(int status, const HttpRequest *request, bool close, qint64 nowMs)
{
    m_entry.reset();
    m_closeAfter = close || m_peerClosed;
    m_logRequest = request && !request->method.isEmpty() ? request->method + ' '
            + request->target.left(256) + " HTTP/1." + char('0' + request->versionMinor)
                                                         : QByteArray("-");
    m_logDetail.clear();
    const QByteArray body = QByteArray::number(status) + ' ' + reasonPhrase(status) + '\n';
    QByteArray headers = "Content-Type: text/plain\r\n";
    if (status == 501)
        headers += "Allow: GET, HEAD\r\n";
    const bool isHead = request && request->method == "HEAD";
    startResponse(status, headers, body.size(), false, nowMs);
    if (!isHead)
        m_out += body;
}

void HttpConnection::startResponse(
    int status, const QByteArray &extraHeaders, qint64 bodyLength, bool sendBody, qint64 nowMs)
{
    m_out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    m_out += "Server: PEcast\r\nDate: " + currentDate() + "\r\n";
    m_out += extraHeaders;
    if (status != 304) // a 304 has no body, and a length would have to be the 200's (RFC 9110)
        m_out += "Content-Length: " + QByteArray::number(bodyLength) + "\r\n";
    m_out += m_closeAfter ? "Connection: close\r\n\r\n" : "Connection: keep-alive\r\n\r\n";
    m_outSent = 0;
    m_bodyRemaining = 0;
    m_state = State::Sending;
    m_responseStartMs = nowMs;
    m_lastWriteMs = nowMs;
    m_lastProgressEventMs = nowMs;
    m_hasTransfer = false;

    if (sendBody && m_entry) {
        if (m_entry->inMemory) {
            m_out += m_entry->data.mid(m_fileOffset, bodyLength);
        } else {
            m_bodyRemaining = bodyLength;
            // Cork while a file body goes out: only full segments leave, as with nginx's
            // tcp_nopush; TCP_NODELAY alone sends a small segment at every wake-up.
            if (bodyLength > 0) {
                const int on = 1;
                ::setsockopt(m_fd.get(), IPPROTO_TCP, TCP_CORK, &on, sizeof on);
                m_corked = true;
            }
        }
    }
    m_transfer = ClientTransfer {};
    m_transfer.connectionId = m_id;
    m_transfer.peer = m_peer;
    m_transfer.name = m_entry ? QString::fromUtf8(m_entry->name) : QString();
    m_transfer.status = status;
    m_transfer.offset = m_entry ? m_fileOffset : 0;
    m_transfer.total = sendBody ? bodyLength : 0;
    m_transfer.fileSize = m_entry ? m_entry->size : 0;
    if (m_entry) {
        m_hasTransfer = true;
        emitTransfer(ClientTransfer::State::Started, nowMs);
    }
}

HttpConnection::WriteResult HttpConnection::writeSome(qint64 nowMs)
{
    qint64 budget = kTurnBudget;
    while (m_outSent < m_out.size()) {
        // MSG_MORE: let the headers share a segment with the first body bytes.
        const int flags = MSG_NOSIGNAL | (m_bodyRemaining > 0 ? MSG_MORE : 0);
        const ssize_t n
            = ::send(m_fd.get(), m_out.constData() + m_outSent, m_out.size() - m_outSent, flags);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return WriteResult::WouldBlock;
            return WriteResult::Failed;
        }
        m_outSent += n;
        m_lastWriteMs = nowMs;
    }
    // Body bytes that were part of m_out (in-memory entries) count once the buffer is out.
    while (m_bodyRemaining > 0) {
        off_t offset = m_fileOffset;
        const size_t count = static_cast<size_t>(std::min(m_bodyRemaining, budget));
        const ssize_t n = ::sendfile(m_fd.get(), m_entry->fd.get(), &offset, count);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return WriteResult::WouldBlock;
            qCDebug(lcHttp) << m_peer << "sendfile:" << strerror(errno);
            return WriteResult::Failed;
        }
        if (n == 0) {
            qCWarning(lcHttp) << m_peer << m_transfer.name << "shrank while being served";
            return WriteResult::Failed;
        }
        m_fileOffset += n;
        m_bodyRemaining -= n;
        m_transfer.bytesSent += n;
        m_lastWriteMs = nowMs;
        if (m_hooks.bytesSent)
            m_hooks.bytesSent(n);
        if (m_hasTransfer && nowMs - m_lastProgressEventMs >= kProgressIntervalMs) {
            m_lastProgressEventMs = nowMs;
            emitTransfer(ClientTransfer::State::Progress, nowMs);
        }
        budget -= n;
        if (budget <= 0 && m_bodyRemaining > 0)
            return WriteResult::Budget;
    }
    return WriteResult::Done;
}

void HttpConnection::finishResponse(bool completed, qint64 nowMs)
{
    if (m_corked) {
        const int off = 0; // flushes the last partial segment now
        ::setsockopt(m_fd.get(), IPPROTO_TCP, TCP_CORK, &off, sizeof off);
        m_corked = false;
    }
    if (m_entry && m_entry->inMemory && completed) {
        m_transfer.bytesSent = m_transfer.total;
        if (m_hooks.bytesSent)
            m_hooks.bytesSent(m_transfer.total);
    }
    if (m_hasTransfer)
        emitTransfer(
            completed ? ClientTransfer::State::Done : ClientTransfer::State::Aborted, nowMs);
    m_hasTransfer = false;
    if (m_hooks.requestLogged) {
        const double seconds = double(nowMs - m_responseStartMs) / 1000.0;
        QString line
            = QStringLiteral("%1 \"%2\" %3 %4")
                  .arg(m_peer, QString::fromUtf8(m_logRequest), QString::number(m_transfer.status),
                      QString::number(m_transfer.bytesSent));
        if (!m_logDetail.isEmpty())
            line += u' ' + QString::fromUtf8(m_logDetail);
        line += QStringLiteral(" %1s").arg(seconds, 0, 'f', 3);
        if (!completed)
            line += QStringLiteral(" aborted");
        m_hooks.requestLogged(line);
    }
    m_entry.reset();
    m_out.clear();
    m_outSent = 0;
    m_bodyRemaining = 0;
}

void HttpConnection::emitTransfer(ClientTransfer::State state, qint64 nowMs)
{
    if (!m_hooks.transfer)
        return;
    m_transfer.state = state;
    const qint64 elapsed = nowMs - m_responseStartMs;
    m_transfer.rate = elapsed > 0 ? double(m_transfer.bytesSent) * 1000.0 / double(elapsed) : 0;
    m_hooks.transfer(m_transfer);
}

HttpConnection::Outcome HttpConnection::startLingering(qint64 nowMs)
{
    ::shutdown(m_fd.get(), SHUT_WR);
    m_state = State::Lingering;
    m_deadlineMs = nowMs + kLingerMs;
    return lingerRead(nowMs);
}

HttpConnection::Outcome HttpConnection::lingerRead(qint64 nowMs)
{
    Q_UNUSED(nowMs);
    char sink[kReadChunk];
    for (;;) {
        const ssize_t n = ::recv(m_fd.get(), sink, sizeof sink, 0);
        if (n > 0)
            continue;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return Outcome::Wait;
        return Outcome::Close; // EOF or error: the client has everything it will read
    }
}

HttpConnection::Outcome HttpConnection::checkTimeouts(qint64 nowMs)
{
    switch (m_state) {
    case State::Sending:
        if (nowMs - m_lastWriteMs > m_config.sendTimeoutMs) {
            qCDebug(lcHttp) << m_peer << "send timeout";
            finishResponse(false, nowMs);
            return Outcome::Close;
        }
        return Outcome::Wait;
    case State::Lingering:
        return nowMs > m_deadlineMs ? Outcome::Close : Outcome::Wait;
    case State::Reading:
        if (nowMs <= m_deadlineMs)
            return Outcome::Wait;
        if (m_in.isEmpty())
            return Outcome::Close; // idle keep-alive connection: close quietly
        qCDebug(lcHttp) << m_peer << "header timeout";
        m_in.clear();
        startError(408, nullptr, true, nowMs);
        return drive(nowMs);
    }
    return Outcome::Wait;
}

void HttpConnection::abort()
{
    if (m_state == State::Sending)
        finishResponse(false, m_lastWriteMs);
}

} // namespace pecast::serve
