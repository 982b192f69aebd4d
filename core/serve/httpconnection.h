#pragma once

// One client connection of HttpServer: a non-blocking socket, a request buffer and at most one
// response in flight. Driven by the server's epoll loop (edge-triggered): drive() reads and
// writes until the socket would block, the turn's byte budget is spent, or the connection ends.
//
// States: Reading (waiting for a request head) → Sending (status line + headers by send(),
// file bodies by sendfile(2), in-memory bodies by send()) → Reading again on keep-alive, or
// Lingering (write side shut, input drained briefly so the client reads our last answer
// before the socket closes) → closed.

#include "serve/clienttransfer.h"
#include "serve/httprequest.h"
#include "serve/httpserver.h"
#include "serve/publishtable.h"
#include "util/uniquefd.h"

#include <QByteArray>
#include <QString>

#include <functional>

namespace pecast::serve {

// Callbacks into the server (all called on the server thread).
struct ConnectionHooks
{
    std::function<void(const ClientTransfer &)> transfer;
    std::function<void(const QString &)> requestLogged;
    std::function<void(qint64 bodyBytes)> bytesSent;
    std::function<void()> requestSeen;
};

class HttpConnection
{
public:
    enum class Outcome {
        Wait, // blocked on the socket; the next epoll event resumes it
        Yield, // budget spent while more could be sent: call drive() again soon
        Close, // done; the server closes and deletes it
    };

    HttpConnection(UniqueFd fd, quint64 id, QString peer, const HttpServerConfig &config,
        const PublishTable &table, const ConnectionHooks &hooks, qint64 nowMs);

    int fd() const { return m_fd.get(); }
    Outcome drive(qint64 nowMs);
    // Checks the header, idle, send and linger deadlines; Close when one passed.
    Outcome checkTimeouts(qint64 nowMs);
    // The server is stopping: ends a transfer in flight as Aborted.
    void abort();

private:
    enum class State { Reading, Sending, Lingering };
    enum class WriteResult { Done, WouldBlock, Budget, Failed };

    Outcome readAndParse(qint64 nowMs);
    bool readAvailable(); // false on a socket error
    void handleRequest(const HttpRequest &request, qint64 nowMs);
    void startError(int status, const HttpRequest *request, bool close, qint64 nowMs);
    void startResponse(
        int status, const QByteArray &extraHeaders, qint64 bodyLength, bool sendBody, qint64 nowMs);
    WriteResult writeSome(qint64 nowMs);
    void finishResponse(bool completed, qint64 nowMs);
    Outcome startLingering(qint64 nowMs);
    Outcome lingerRead(qint64 nowMs);
    void emitTransfer(ClientTransfer::State state, qint64 nowMs);

    UniqueFd m_fd;
    quint64 m_id;
    QString m_peer;
    const HttpServerConfig &m_config;
    const PublishTable &m_table;
    const ConnectionHooks &m_hooks;

    State m_state = State::Reading;
    QByteArray m_in; // bytes received and not parsed yet (pipelined requests wait here)
    bool m_peerClosed = false; // read() returned 0
    qint64 m_deadlineMs = 0; // header, idle or linger deadline, depending on the state

    // The response in flight.
    QByteArray m_out; // status line + headers (+ an in-memory body)
    qsizetype m_outSent = 0;
    PublishedEntryPtr m_entry; // file body source, kept alive while sending
    qint64 m_fileOffset = 0; // next byte to sendfile()
    qint64 m_bodyRemaining = 0; // file body bytes still to send
    bool m_closeAfter = false;
    bool m_corked = false; // TCP_CORK is on for this response's file body
    bool m_hasTransfer = false; // a ClientTransfer was started for this response
    ClientTransfer m_transfer;
    qint64 m_responseStartMs = 0;
    qint64 m_lastWriteMs = 0;
    qint64 m_lastProgressEventMs = 0;
    QByteArray m_logRequest; // "GET /x HTTP/1.1" for the access log
    QByteArray m_logDetail; // "range=0-511"
};

} // namespace pecast::serve
