// HttpServer against real sockets on 127.0.0.1: protocol (HEAD, ranges, pipelining, close),
// hostile input (malformed lines, oversized heads, traversal), limits (idle and slow clients,
// 500 concurrent connections, maximum count, fd leaks) and curl as an independent client.

#include "httptestclient.h"
#include "serve/httpserver.h"
#include "testenv.h"
#include "util/filehash.h"

#include <QCryptographicHash>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <vector>

using namespace pecast;
using namespace pecast::serve;
using pecast::test::HttpTestClient;

namespace {

constexpr qint64 kSmallSize = 1000;
// Larger than socket buffers, so a download takes many sendfile() turns.
constexpr qint64 kMediumSize = 64 * 1024 * 1024;
// Past 4 GiB: offsets and lengths must be 64-bit all the way.
constexpr qint64 kHugeSize = 5LL * 1024 * 1024 * 1024 + 12345;

QByteArray pattern(qint64 size)
{
    QByteArray data(size, Qt::Uninitialized);
    for (qint64 i = 0; i < size; ++i)
        data[i] = char((i * 7 + i / 251) & 0xff);
    return data;
}

QByteArray get(const QByteArray &target, const QByteArray &extra = {})
{
    return "GET " + target + " HTTP/1.1\r\nHost: test\r\n" + extra + "\r\n";
}

} // namespace

class TestHttpServer : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QByteArray m_small;
    QString m_smallPath, m_mediumPath, m_hugePath;
    QByteArray m_hugeTail;
    std::unique_ptr<HttpServer> m_server;
    quint16 m_port = 0;

    std::unique_ptr<HttpServer> startServer(const HttpServerConfig &base = {})
    {
        auto server = std::make_unique<HttpServer>();
        HttpServerConfig config = base;
        config.address = QHostAddress::LocalHost;
        config.port = 0;
        if (!server->publishFile(QStringLiteral("small.bin"), m_smallPath)
            || !server->publishFile(QStringLiteral("image.img"), m_mediumPath)
            || !server->publishFile(QStringLiteral("huge.img"), m_hugePath)
            || !server->publishData(QStringLiteral("boot.ipxe"), "#!ipxe\nboot\n"))
            return nullptr;
        if (!server->start(config))
            return nullptr;
        return server;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_small = pattern(kSmallSize);
        m_smallPath = m_dir.filePath(QStringLiteral("small.bin"));
        QFile small(m_smallPath);
        QVERIFY(small.open(QIODevice::WriteOnly));
        small.write(m_small);
        small.close();

        m_mediumPath = m_dir.filePath(QStringLiteral("medium.img"));
        QFile medium(m_mediumPath);
        QVERIFY(medium.open(QIODevice::WriteOnly));
        const QByteArray block = pattern(1024 * 1024);
        for (qint64 i = 0; i < kMediumSize / block.size(); ++i)
            medium.write(block);
        medium.close();

        // Sparse: only the tail is written, so this costs no disk space.
        m_hugePath = m_dir.filePath(QStringLiteral("huge.img"));
        QFile huge(m_hugePath);
        QVERIFY(huge.open(QIODevice::WriteOnly));
        QVERIFY(huge.resize(kHugeSize));
        m_hugeTail = "PECAST-TAIL-MARKER-0123456789";
        QVERIFY(huge.seek(kHugeSize - m_hugeTail.size()));
        huge.write(m_hugeTail);
        huge.close();

        m_server = startServer();
        QVERIFY(m_server);
        m_port = m_server->port();
        QVERIFY(m_port != 0);
    }

    void cleanupTestCase() { m_server.reset(); }

    void headGivesLengthAndValidators()
    {
        HttpTestClient c(m_port);
        QVERIFY(c.connected());
        QVERIFY(
            c.send("HEAD /image.img HTTP/1.1\r\nHost: t\r\n\r\nHEAD /small.bin HTTP/1.1\r\n\r\n"));
        auto r = c.read(true);
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(r->header("content-length"), QByteArray::number(kMediumSize));
        QCOMPARE(r->header("accept-ranges"), QByteArray("bytes"));
        QVERIFY(r->header("etag").startsWith('"'));
        QVERIFY(r->header("last-modified").endsWith(" GMT"));
        QVERIFY(r->body.isEmpty());
        // The next response follows immediately: no body bytes were sent for the HEAD.
        auto r2 = c.read(true);
        QVERIFY(r2);
        QCOMPARE(r2->status, 200);
        QCOMPARE(r2->header("content-length"), QByteArray::number(kSmallSize));
    }

    void ranges_data()
    {
        QTest::addColumn<QByteArray>("range");
        QTest::addColumn<int>("status");
        QTest::addColumn<qint64>("first");
        QTest::addColumn<qint64>("length");
        QTest::addColumn<QByteArray>("contentRange");
        QTest::newRow("first") << QByteArray("bytes=0-99") << 206 << 0LL << 100LL
                               << QByteArray("bytes 0-99/1000");
        QTest::newRow("middle") << QByteArray("bytes=512-1023") << 206 << 512LL << 488LL
                                << QByteArray("bytes 512-999/1000");
        QTest::newRow("open-ended") << QByteArray("bytes=900-") << 206 << 900LL << 100LL
                                    << QByteArray("bytes 900-999/1000");
        QTest::newRow("suffix") << QByteArray("bytes=-100") << 206 << 900LL << 100LL
                                << QByteArray("bytes 900-999/1000");
        QTest::newRow("suffix-larger-than-file")
            << QByteArray("bytes=-5000") << 206 << 0LL << 1000LL << QByteArray("bytes 0-999/1000");
        QTest::newRow("last-byte") << QByteArray("bytes=999-999") << 206 << 999LL << 1LL
                                   << QByteArray("bytes 999-999/1000");
        QTest::newRow("past-end-clamped") << QByteArray("bytes=990-5000") << 206 << 990LL << 10LL
                                          << QByteArray("bytes 990-999/1000");
        QTest::newRow("unsatisfiable")
            << QByteArray("bytes=1000-") << 416 << 0LL << 0LL << QByteArray("bytes */1000");
        QTest::newRow("unsatisfiable-huge") << QByteArray("bytes=99999999999999999999999-") << 416
                                            << 0LL << 0LL << QByteArray("bytes */1000");
        QTest::newRow("empty-suffix")
            << QByteArray("bytes=-0") << 416 << 0LL << 0LL << QByteArray("bytes */1000");
        QTest::newRow("malformed-text")
            << QByteArray("bytes=abc") << 200 << 0LL << 1000LL << QByteArray();
        QTest::newRow("malformed-reversed")
            << QByteArray("bytes=50-10") << 200 << 0LL << 1000LL << QByteArray();
        QTest::newRow("malformed-unit")
            << QByteArray("items=0-10") << 200 << 0LL << 1000LL << QByteArray();
        QTest::newRow("malformed-u")
            << QByteArray("bytes=u-u") << 200 << 0LL << 1000LL << QByteArray();
        QTest::newRow("multi-range-full-body")
            << QByteArray("bytes=0-1,5-6") << 200 << 0LL << 1000LL << QByteArray();
    }

    void ranges()
    {
        QFETCH(QByteArray, range);
        QFETCH(int, status);
        QFETCH(qint64, first);
        QFETCH(qint64, length);
        QFETCH(QByteArray, contentRange);
        HttpTestClient c(m_port);
        QVERIFY(c.send(get("/small.bin", "Range: " + range + "\r\n")));
        auto r = c.read();
        QVERIFY(r);
        QCOMPARE(r->status, status);
        QCOMPARE(r->header("content-range"), contentRange);
        QCOMPARE(r->body, m_small.mid(first, length));
        QCOMPARE(r->header("content-length"), QByteArray::number(length));
        // The connection stays usable after any of these answers.
        QVERIFY(c.send(get("/boot.ipxe")));
        auto r2 = c.read();
        QVERIFY(r2);
        QCOMPARE(r2->body, QByteArray("#!ipxe\nboot\n"));
    }

    void conditionalRequests()
    {
        HttpTestClient c(m_port);
        QVERIFY(c.send("HEAD /small.bin HTTP/1.1\r\n\r\n"));
        auto head = c.read(true);
        QVERIFY(head);
        const QByteArray etag = head->header("etag");
        QVERIFY(c.send(get("/small.bin", "If-None-Match: " + etag + "\r\n")));
        auto notModified = c.read();
        QVERIFY(notModified);
        QCOMPARE(notModified->status, 304);
        // If-Range with the current validator: the range applies.
        QVERIFY(c.send(get("/small.bin", "Range: bytes=0-9\r\nIf-Range: " + etag + "\r\n")));
        auto partial = c.read();
        QVERIFY(partial);
        QCOMPARE(partial->status, 206);
        QCOMPARE(partial->body, m_small.left(10));
        // A stale validator: the whole (changed) file, 200.
        QVERIFY(c.send(get("/small.bin", "Range: bytes=0-9\r\nIf-Range: \"stale\"\r\n")));
        auto full = c.read();
        QVERIFY(full);
        QCOMPARE(full->status, 200);
        QCOMPARE(full->body, m_small);
    }

    void hugeSparseFileTail()
    {
        HttpTestClient c(m_port);
        QVERIFY(c.send("HEAD /huge.img HTTP/1.1\r\n\r\n"));
        auto head = c.read(true);
        QVERIFY(head);
        QCOMPARE(head->header("content-length"), QByteArray::number(kHugeSize));

        QVERIFY(c.send(
            get("/huge.img", "Range: bytes=-" + QByteArray::number(m_hugeTail.size()) + "\r\n")));
        auto tail = c.read();
        QVERIFY(tail);
        QCOMPARE(tail->status, 206);
        QCOMPARE(tail->body, m_hugeTail);
        const qint64 first = kHugeSize - m_hugeTail.size();
        QCOMPARE(tail->header("content-range"),
            "bytes " + QByteArray::number(first) + '-' + QByteArray::number(kHugeSize - 1) + '/'
                + QByteArray::number(kHugeSize));

        // Just below and across the 4 GiB line.
        const qint64 at4g = 4LL * 1024 * 1024 * 1024;
        QVERIFY(c.send(get("/huge.img",
            "Range: bytes=" + QByteArray::number(at4g - 2) + '-' + QByteArray::number(at4g + 1)
                + "\r\n")));
        auto across = c.read();
        QVERIFY(across);
        QCOMPARE(across->status, 206);
        QCOMPARE(across->body, QByteArray(4, '\0'));

        // curl, an independent client, agrees on the last bytes.
        const QString curl = test::findTool(QStringLiteral("curl"));
        if (curl.isEmpty())
            QSKIP("curl is not installed");
        const auto result = test::run(curl,
            { QStringLiteral("-sS"), QStringLiteral("-r"), QStringLiteral("%1-").arg(first),
                QStringLiteral("http://127.0.0.1:%1/huge.img").arg(m_port) });
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(result.out, m_hugeTail);
    }

    void pipelinedKeepAlive()
    {
        HttpTestClient c(m_port);
        // Three requests in one write; answers must come back in order on the same connection.
        QVERIFY(c.send(get("/boot.ipxe") + "HEAD /image.img HTTP/1.1\r\n\r\n"
            + get("/small.bin", "Range: bytes=10-19\r\n") + get("/nothing-here")
            + get("/small.bin", "Connection: close\r\n")));
        auto a = c.read();
        auto b = c.read(true);
        auto d = c.read();
        auto e = c.read();
        auto f = c.read();
        QVERIFY(a && b && d && e && f);
        QCOMPARE(a->body, QByteArray("#!ipxe\nboot\n"));
        QCOMPARE(a->header("connection"), QByteArray("keep-alive"));
        QCOMPARE(b->header("content-length"), QByteArray::number(kMediumSize));
        QCOMPARE(d->status, 206);
        QCOMPARE(d->body, m_small.mid(10, 10));
        QCOMPARE(e->status, 404);
        QCOMPARE(f->status, 200);
        QCOMPARE(f->body, m_small);
        QCOMPARE(f->header("connection"), QByteArray("close"));
        QByteArray rest;
        QVERIFY(c.waitForClose(&rest));
        QVERIFY(rest.isEmpty());
    }

    void http10ClosesByDefault()
    {
        HttpTestClient c(m_port);
        QVERIFY(c.send("GET /small.bin HTTP/1.0\r\n\r\n"));
        auto r = c.read();
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(r->body, m_small);
        QVERIFY(c.waitForClose());

        HttpTestClient k(m_port);
        QVERIFY(k.send("GET /small.bin HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
        QVERIFY(k.read());
        QVERIFY(k.send("GET /boot.ipxe HTTP/1.0\r\n\r\n"));
        auto r2 = k.read();
        QVERIFY(r2);
        QCOMPARE(r2->status, 200);
    }

    void malformedRequests_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        QTest::newRow("garbage") << QByteArray("GARBAGE\r\n\r\n") << 400;
        QTest::newRow("no-version") << QByteArray("GET /small.bin\r\n\r\n") << 400;
        QTest::newRow("binary") << QByteArray(
            "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 15)
                                << 400;
        QTest::newRow("http2") << QByteArray("GET /small.bin HTTP/2.0\r\n\r\n") << 505;
        QTest::newRow("bad-version") << QByteArray("GET /small.bin HTTX/1.1\r\n\r\n") << 400;
        QTest::newRow("post") << QByteArray("POST /small.bin HTTP/1.1\r\n\r\n") << 501;
        QTest::newRow("delete") << QByteArray("DELETE /small.bin HTTP/1.1\r\n\r\n") << 501;
        QTest::newRow("body") << QByteArray(
            "GET /small.bin HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello")
                              << 400;
        QTest::newRow("chunked") << QByteArray(
            "GET /small.bin HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")
                                 << 400;
        QTest::newRow("header-no-colon")
            << QByteArray("GET /small.bin HTTP/1.1\r\nBroken header\r\n\r\n") << 400;
        QTest::newRow("folded-header")
            << QByteArray("GET /small.bin HTTP/1.1\r\nX: a\r\n  b\r\n\r\n") << 400;
        QTest::newRow("space-in-target") << QByteArray("GET /sm all.bin HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("long-request-line")
            << QByteArray("GET /" + QByteArray(5000, 'a') + " HTTP/1.1\r\n\r\n") << 414;
        QTest::newRow("long-line-unterminated")
            << QByteArray("GET /" + QByteArray(5000, 'a')) << 414;
        QTest::newRow("oversized-headers") << QByteArray(
            "GET /small.bin HTTP/1.1\r\nX-Big: " + QByteArray(20000, 'b') + "\r\n\r\n")
                                           << 431;
        QTest::newRow("many-headers") << [] {
            QByteArray r = "GET /small.bin HTTP/1.1\r\n";
            for (int i = 0; i < 1000; ++i)
                r += "X-H" + QByteArray::number(i) + ": v\r\n";
            return r + "\r\n";
        }() << 431;
    }

    void malformedRequests()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        HttpTestClient c(m_port);
        QVERIFY(c.send(request));
        auto r = c.read();
        QVERIFY2(r, "no answer");
        QCOMPARE(r->status, status);
        if (status != 501) {
            QCOMPARE(r->header("connection"), QByteArray("close"));
            QVERIFY(c.waitForClose());
        }
        // The server is still fine for everyone else.
        HttpTestClient other(m_port);
        QVERIFY(other.send(get("/boot.ipxe")));
        auto ok = other.read();
        QVERIFY(ok);
        QCOMPARE(ok->status, 200);
    }

    void traversalIsNotFound_data()
    {
        QTest::addColumn<QByteArray>("target");
        QTest::newRow("dotdot") << QByteArray("/../etc/passwd");
        QTest::newRow("dotdot-published") << QByteArray("/../small.bin");
        QTest::newRow("encoded-dotdot") << QByteArray("/%2e%2e/etc/passwd");
        QTest::newRow("encoded-dotdot-upper") << QByteArray("/%2E%2E%2Fetc%2Fpasswd");
        QTest::newRow("double-slash") << QByteArray("//etc/passwd");
        QTest::newRow("absolute-path") << QByteArray("/etc/passwd");
        QTest::newRow("absolute-uri") << QByteArray("http://127.0.0.1/../etc/passwd");
        QTest::newRow("absolute-uri-file") << QByteArray("file:///etc/passwd");
        QTest::newRow("backslash") << QByteArray("/..\\..\\etc\\passwd");
        QTest::newRow("encoded-slash") << QByteArray("/%2fetc%2fpasswd");
        QTest::newRow("subdir-of-published") << QByteArray("/small.bin/../small.bin");
        QTest::newRow("nul") << QByteArray("/small.bin%00");
        QTest::newRow("bad-escape") << QByteArray("/small.bi%zz");
        QTest::newRow("root-no-listing") << QByteArray("/");
        QTest::newRow("dot") << QByteArray("/.");
        QTest::newRow("dotdot-only") << QByteArray("/..");
        QTest::newRow("asterisk") << QByteArray("*");
        QTest::newRow("temp-dir-file")
            << QByteArray("/medium.img"); // exists on disk, not published
    }

    void traversalIsNotFound()
    {
        QFETCH(QByteArray, target);
        HttpTestClient c(m_port);
        QVERIFY(c.send(get(target)));
        auto r = c.read();
        QVERIFY(r);
        QCOMPARE(r->status, 404);
        QVERIFY(!r->body.contains("root:"));
    }

    void publishedNamesResolve()
    {
        HttpTestClient c(m_port);
        // Absolute-form, a query string and percent-encoding of ordinary characters all work.
        QVERIFY(c.send(
            get("http://10.0.2.2:8080/small.bin") + get("/small.bin?x=1") + get("/%73mall.bin")));
        for (int i = 0; i < 3; ++i) {
            auto r = c.read();
            QVERIFY(r);
            QCOMPARE(r->status, 200);
            QCOMPARE(r->body, m_small);
        }
        // curl with --path-as-is sends the dots unchanged: still nothing outside the table.
        const QString curl = test::findTool(QStringLiteral("curl"));
        if (curl.isEmpty())
            QSKIP("curl is not installed");
        const auto result = test::run(curl,
            { QStringLiteral("-s"), QStringLiteral("-o"), QStringLiteral("/dev/null"),
                QStringLiteral("-w"), QStringLiteral("%{http_code}"),
                QStringLiteral("--path-as-is"),
                QStringLiteral("http://127.0.0.1:%1/../../../../etc/passwd").arg(m_port) });
        QCOMPARE(result.out, QByteArray("404"));
    }

    void publishRejectsBadNames()
    {
        HttpServer server;
        QVERIFY(!server.publishFile(QStringLiteral("a/b"), m_smallPath));
        QVERIFY(!server.publishFile(QStringLiteral(".."), m_smallPath));
        QVERIFY(!server.publishFile(QStringLiteral(""), m_smallPath));
        QVERIFY(!server.publishFile(QStringLiteral("x%2f"), m_smallPath));
        QVERIFY(!server.publishFile(QStringLiteral("dir"), m_dir.path())); // not a regular file
        const Status missing
            = server.publishFile(QStringLiteral("x"), m_dir.filePath(QStringLiteral("missing")));
        QVERIFY(!missing);
        QVERIFY(missing.error().toString().contains(QStringLiteral("missing")));
        QVERIFY(server.publishedNames().isEmpty());
    }

    void downloadEventsAndAccessLog()
    {
        QSignalSpy transfers(m_server.get(), &HttpServer::transfer);
        QSignalSpy log(m_server.get(), &HttpServer::requestLogged);
        const QString curl = test::findTool(QStringLiteral("curl"));
        if (curl.isEmpty())
            QSKIP("curl is not installed");
        const QString out = m_dir.filePath(QStringLiteral("download.img"));
        const auto result = test::run(curl,
            { QStringLiteral("-sS"), QStringLiteral("-o"), out,
                QStringLiteral("http://127.0.0.1:%1/image.img").arg(m_port) });
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(sha256File(out).value(), sha256File(m_mediumPath).value());
        QFile::remove(out);

        QTRY_VERIFY_WITH_TIMEOUT(!log.isEmpty(), 10000);
        const QString line = log.last().at(0).toString();
        QVERIFY2(
            line.contains(QStringLiteral("\"GET /image.img HTTP/1.1\" 200 %1").arg(kMediumSize)),
            qPrintable(line));
        QTRY_VERIFY_WITH_TIMEOUT(!transfers.isEmpty()
                && transfers.last().at(0).value<ClientTransfer>().state
                    == ClientTransfer::State::Done,
            10000);
        const auto first = transfers.first().at(0).value<ClientTransfer>();
        const auto last = transfers.last().at(0).value<ClientTransfer>();
        QCOMPARE(first.state, ClientTransfer::State::Started);
        QCOMPARE(first.name, QStringLiteral("image.img"));
        QVERIFY(first.peer.startsWith(QStringLiteral("127.0.0.1:")));
        QCOMPARE(last.bytesSent, kMediumSize);
        QCOMPARE(last.total, kMediumSize);
        QCOMPARE(last.connectionId, first.connectionId);
        QCOMPARE(m_server->stats().bytesSentTotal >= quint64(kMediumSize), true);
    }

    void idleAndSlowClientsDoNotStallDownloads()
    {
        // 200 connections that say nothing, and 50 that send half a request head.
        std::vector<std::unique_ptr<HttpTestClient>> idle;
        for (int i = 0; i < 250; ++i) {
            idle.push_back(std::make_unique<HttpTestClient>(m_port));
            QVERIFY(idle.back()->connected());
            if (i >= 200)
                QVERIFY(idle.back()->send("GET /image.img HTTP/1.1\r\nHost: slow"));
        }
        // A client that requests the image and never reads: its socket buffers fill up.
        HttpTestClient stuck(m_port);
        QVERIFY(stuck.send(get("/image.img")));
        QTRY_COMPARE_WITH_TIMEOUT(m_server->stats().connections, 251, 10000);

        const QString curl = test::findTool(QStringLiteral("curl"));
        if (curl.isEmpty())
            QSKIP("curl is not installed");
        const QString out = m_dir.filePath(QStringLiteral("download2.img"));
        const auto result = test::run(curl,
            { QStringLiteral("-sS"), QStringLiteral("-o"), out,
                QStringLiteral("http://127.0.0.1:%1/image.img").arg(m_port) },
            60000);
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(QFileInfo(out).size(), kMediumSize);
        QCOMPARE(sha256File(out).value(), sha256File(m_mediumPath).value());
        QFile::remove(out);
    }

    void concurrentConnectionsAndNoFdLeak()
    {
        // 500 clients at once, each fetching the small file; each gets its answer (or a clean
        // 503 if the server were full) and every descriptor is released afterwards.
        constexpr int kClients = 500;
        rlimit limit {};
        getrlimit(RLIMIT_NOFILE, &limit);
        if (limit.rlim_cur < 4096) {
            limit.rlim_cur = std::min<rlim_t>(limit.rlim_max, 4096);
            setrlimit(RLIMIT_NOFILE, &limit);
        }
        if (limit.rlim_cur < 2 * kClients + 100)
            QSKIP("RLIMIT_NOFILE too low for 500 client and 500 server sockets");

        QTRY_COMPARE_WITH_TIMEOUT(m_server->stats().connections, 0, 10000);
        const int fdsBefore = test::openFdCount();
        std::vector<int> fds;
        std::vector<QByteArray> received(kClients);
        sockaddr_in addr {};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(m_port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        for (int i = 0; i < kClients; ++i) {
            const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            QVERIFY(fd >= 0);
            QVERIFY(::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0);
            fds.push_back(fd);
        }
        const QByteArray request = get("/small.bin", "Connection: close\r\n");
        for (int fd : fds)
            QCOMPARE(::send(fd, request.constData(), request.size(), MSG_NOSIGNAL),
                ssize_t(request.size()));
        std::vector<bool> done(kClients, false);
        int remaining = kClients;
        QDeadlineTimer deadline(60000);
        while (remaining > 0 && !deadline.hasExpired()) {
            std::vector<pollfd> polls;
            std::vector<int> index;
            for (int i = 0; i < kClients; ++i) {
                if (!done[i]) {
                    polls.push_back({ fds[i], POLLIN, 0 });
                    index.push_back(i);
                }
            }
            QVERIFY(::poll(polls.data(), polls.size(), 1000) >= 0);
            for (size_t k = 0; k < polls.size(); ++k) {
                if (!polls[k].revents)
                    continue;
                char buf[4096];
                const ssize_t n = ::recv(polls[k].fd, buf, sizeof buf, 0);
                if (n > 0) {
                    received[index[k]].append(buf, n);
                } else {
                    done[index[k]] = true;
                    --remaining;
                }
            }
        }
        QCOMPARE(remaining, 0);
        int served = 0, refused = 0;
        for (const QByteArray &r : received) {
            if (r.startsWith("HTTP/1.1 200 ") && r.endsWith(m_small))
                ++served;
            else if (r.startsWith("HTTP/1.1 503 "))
                ++refused;
        }
        QCOMPARE(served + refused, kClients);
        QCOMPARE(served, kClients); // the default limit (1000) is above 500
        for (int fd : fds)
            ::close(fd);
        QTRY_COMPARE_WITH_TIMEOUT(m_server->stats().connections, 0, 10000);
        QCOMPARE(test::openFdCount(), fdsBefore);
    }

    void connectionLimitRefusesCleanly()
    {
        HttpServerConfig config;
        config.maxConnections = 5;
        auto server = startServer(config);
        QVERIFY(server);
        std::vector<std::unique_ptr<HttpTestClient>> held;
        for (int i = 0; i < 5; ++i)
            held.push_back(std::make_unique<HttpTestClient>(server->port()));
        QTRY_COMPARE_WITH_TIMEOUT(server->stats().connections, 5, 10000);
        HttpTestClient extra(server->port());
        auto r = extra.read();
        QVERIFY(r);
        QCOMPARE(r->status, 503);
        QVERIFY(extra.waitForClose());
        QCOMPARE(server->stats().refusedTotal, quint64(1));
        // The held connections still work.
        QVERIFY(held[0]->send(get("/boot.ipxe")));
        auto ok = held[0]->read();
        QVERIFY(ok);
        QCOMPARE(ok->status, 200);
    }

    void timeouts()
    {
        HttpServerConfig config;
        config.headerTimeoutMs = 500;
        config.idleTimeoutMs = 700;
        config.sendTimeoutMs = 800;
        auto server = startServer(config);
        QVERIFY(server);
        // Slowloris: a head that never completes gets 408 and is closed.
        HttpTestClient slow(server->port());
        QVERIFY(slow.send("GET /small.bin HTTP/1.1\r\nX-A: 1\r\n"));
        auto r = slow.read();
        QVERIFY(r);
        QCOMPARE(r->status, 408);
        QVERIFY(slow.waitForClose());
        // A kept-alive connection with nothing to say is closed quietly.
        HttpTestClient idle(server->port());
        QVERIFY(idle.send(get("/boot.ipxe")));
        QVERIFY(idle.read());
        QByteArray rest;
        QVERIFY(idle.waitForClose(&rest));
        QVERIFY(rest.isEmpty());
        // A client that stops reading a large body is dropped; the transfer ends Aborted.
        QSignalSpy transfers(server.get(), &HttpServer::transfer);
        HttpTestClient stuck(server->port());
        const int small = 4096;
        ::setsockopt(stuck.fd(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
        QVERIFY(stuck.send(get("/image.img")));
        QTRY_VERIFY_WITH_TIMEOUT(!transfers.isEmpty()
                && transfers.last().at(0).value<ClientTransfer>().state
                    == ClientTransfer::State::Aborted,
            15000);
        QVERIFY(transfers.last().at(0).value<ClientTransfer>().bytesSent < kMediumSize);
        QTRY_COMPARE_WITH_TIMEOUT(server->stats().connections, 0, 10000);
    }

    void stopAbortsTransfersAndReleasesPort()
    {
        auto server = startServer();
        QVERIFY(server);
        const quint16 port = server->port();
        QSignalSpy transfers(server.get(), &HttpServer::transfer);
        HttpTestClient stuck(port);
        QVERIFY(stuck.send(get("/image.img")));
        QTRY_VERIFY_WITH_TIMEOUT(!transfers.isEmpty(), 10000);
        server->stop();
        QVERIFY(!server->isRunning());
        QTRY_VERIFY_WITH_TIMEOUT(
            transfers.last().at(0).value<ClientTransfer>().state == ClientTransfer::State::Aborted,
            10000);
        // The port is free again.
        HttpServer again;
        HttpServerConfig config;
        config.address = QHostAddress::LocalHost;
        config.port = port;
        QVERIFY(again.start(config));
    }

    void bindErrorsAreClear()
    {
        HttpServer second;
        HttpServerConfig config;
        config.address = QHostAddress::LocalHost;
        config.port = m_port; // taken by m_server
        const Status taken = second.start(config);
        QVERIFY(!taken);
        QCOMPARE(taken.error().code(), Errc::Network);
        QVERIFY2(taken.error().toString().contains(QString::number(m_port)),
            qPrintable(taken.error().toString()));
        QVERIFY(taken.error().hint().contains(QStringLiteral("--http-port")));
        QVERIFY(!second.isRunning());

        config.address = QHostAddress(QStringLiteral("192.0.2.77")); // TEST-NET-1, not ours
        config.port = 0;
        const Status foreign = second.start(config);
        QVERIFY(!foreign);
        QVERIFY(foreign.error().hint().contains(QStringLiteral("192.0.2.77")));

        if (::geteuid() == 0)
            QSKIP("running as root: binding port 80 is allowed");
        config.address = QHostAddress::LocalHost;
        config.port = 80;
        const Status privileged = second.start(config);
        QVERIFY(!privileged);
        QVERIFY(privileged.error().hint().contains(QStringLiteral("root")));
    }
};

QTEST_GUILESS_MAIN(TestHttpServer)
#include "tst_httpserver.moc"
