#pragma once

// A deliberately dumb HTTP/1.1 client on blocking sockets with receive timeouts, so the tests
// can send exactly the bytes they want (pipelining, malformed lines, partial headers) and read
// exactly what the server answered. Every wait is bounded by the socket timeout.

#include <QByteArray>
#include <QMap>

#include <optional>

namespace pecast::test {

struct HttpTestResponse
{
    int status = 0;
    QByteArray statusLine;
    QMap<QByteArray, QByteArray> headers; // lower-case names
    QByteArray body;
    QByteArray header(const char *name) const { return headers.value(QByteArray(name)); }
};

class HttpTestClient
{
public:
    explicit HttpTestClient(quint16 port, int timeoutMs = 10000);
    ~HttpTestClient();
    HttpTestClient(const HttpTestClient &) = delete;
    HttpTestClient &operator=(const HttpTestClient &) = delete;

    bool connected() const { return m_fd >= 0; }
    int fd() const { return m_fd; }
    bool send(const QByteArray &bytes);
    // Reads one response; HEAD responses and 1xx/204/304 have no body. nullopt on timeout/EOF.
    std::optional<HttpTestResponse> read(bool headRequest = false);
    // Reads until the server closes; false on timeout.
    bool waitForClose(QByteArray *rest = nullptr);
    void close();

private:
    bool fill(); // reads more into m_buffer; false on EOF, error or timeout

    int m_fd = -1;
    QByteArray m_buffer;
};

// Open descriptors of this process (entries in /proc/self/fd).
int openFdCount();

} // namespace pecast::test
