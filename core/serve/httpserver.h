#pragma once

// A small HTTP/1.1 file server for iPXE clients.
//
// Wire format (what it accepts and answers):
//   request  = METHOD SP target SP "HTTP/1." ("0" / "1") CRLF *(header CRLF) CRLF
//   METHOD   = GET | HEAD (anything else: 501); no request bodies (400)
//   target   = "/" name ["?" query] or "http://" authority "/" name ["?" query]; the name is
//              percent-decoded and looked up in the publish table, never in the filesystem:
//              unknown names, "/", "/../x", "//etc/passwd" are all 404.
//   Range    = "bytes=" (a "-" [b] | "-" n): one range → 206 + Content-Range; past the end →
//              416 + "Content-Range: bytes */size"; several ranges or a malformed value → 200 with
//              the whole body (RFC 9110 lets a server ignore Range). If-Range with a stale
//              validator → 200. If-None-Match matching the ETag → 304.
//   answers  carry Content-Length, Accept-Ranges, Last-Modified, ETag; keep-alive by default on
//              HTTP/1.1, "Connection: close" honoured; pipelined requests answered in order.
// Limits: request line and header block size (414/431), a header timeout against slowloris
// (408), an idle timeout for kept-alive connections, a send timeout for clients that stop
// reading, and a maximum connection count (503 for the ones over it).
//
// Threads: start() binds in the caller's thread (so "port in use" is reported at once) and then
// serves from its own threads, each an epoll loop. Each connection owns a non-blocking socket;
// headers go out by send(), file bodies by sendfile(2) from a descriptor opened at publish time,
// so memory use does not depend on file size. Publishing is thread-safe and may happen while
// serving. Signals are emitted from the server thread; connect with the default (queued) type.

#include "serve/clienttransfer.h"
#include "util/error.h"

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>

namespace pecast::serve {

struct HttpServerConfig
{
    QHostAddress address = QHostAddress::AnyIPv4; // where to listen; AnyIPv4/AnyIPv6/one address
    quint16 port = 8080; // 0: the kernel picks one (tests); see HttpServer::port()
    // Enough for a classroom booting at once plus sanboot clients; each costs one fd and ~20 KiB.
    int maxConnections = 1000;
    // iPXE and curl send well under 1 KiB of headers; 8 KiB is the common server limit (nginx).
    int maxHeaderBytes = 8192;
    // Request lines are short here (no queries); longer means a broken or hostile client.
    int maxRequestLineBytes = 2048;
    // A whole request header must arrive in this time (slowloris defence).
    int headerTimeoutMs = 15000;
    // A kept-alive connection without a request is closed after this (iPXE reconnects).
    int idleTimeoutMs = 60000;
    // A client that accepts no body bytes for this long is dropped (firmware that died).
    int sendTimeoutMs = 60000;
    // Event-loop threads, each with its own listening socket (SO_REUSEPORT); 0: one per CPU,
    // at most 4. Loopback benchmarks against nginx need more than one on multi-core machines.
    int threads = 0;
    // Run the loop threads at a lower CPU priority (nice +10). For servers that share a process
    // with an interactive UI: when clients saturate the CPU, the window stays responsive and the
    // transfers take what is left. The CLI keeps normal priority.
    bool backgroundPriority = false;
};

struct HttpStats
{
    int connections = 0; // open now
    quint64 acceptedTotal = 0;
    quint64 refusedTotal = 0; // over maxConnections
    quint64 requestsTotal = 0;
    quint64 bytesSentTotal = 0; // body bytes
};

class HttpServer : public QObject
{
    Q_OBJECT

public:
    explicit HttpServer(QObject *parent = nullptr);
    ~HttpServer() override; // stops the server

    // Publishes the file at `path` as "/<name>". The file is opened now; later requests read that
    // open file even if the path is replaced. `name` is one path segment ("image.img").
    // `contentType` defaults to application/octet-stream.
    Status publishFile(const QString &name, const QString &path, const QString &contentType = {});
    // Publishes bytes held in memory (the iPXE script).
    Status publishData(const QString &name, const QByteArray &data,
        const QString &contentType = QStringLiteral("text/plain; charset=utf-8"));
    void unpublish(const QString &name);
    QStringList publishedNames() const;

    // Binds and starts serving. Errc::Network with a hint when the port is in use or needs root.
    Status start(const HttpServerConfig &config);
    // Closes every connection (their transfers end Aborted) and joins the server thread.
    void stop();
    bool isRunning() const;

    quint16 port() const; // the bound port (useful after binding port 0); 0 when stopped
    QHostAddress address() const;
    HttpStats stats() const; // thread-safe snapshot

Q_SIGNALS:
    void transfer(const pecast::serve::ClientTransfer &transfer);
    // One line per answered request, like a common access log:
    // 10.0.2.15:1031 "GET /image.img HTTP/1.1" 206 1048576 range=0-1048575 0.012s
    void requestLogged(const QString &line);

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace pecast::serve
