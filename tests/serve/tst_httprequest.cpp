// The request-head and Range parsers on their own: the rules that decide 200/206/416/400.

#include "serve/httprequest.h"

#include <QTest>

using namespace pecast::serve;

class TestHttpRequest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesHead()
    {
        const auto p
            = parseRequestHead("GET /image.img HTTP/1.1\r\nHost: x\r\nrange:  bytes=0-1 \r\n"
                               "Connection: Keep-Alive, Upgrade\r\nIf-Range: \"e\"",
                2048);
        QCOMPARE(p.errorStatus, 0);
        QCOMPARE(p.request.method, QByteArray("GET"));
        QCOMPARE(p.request.name, QByteArray("image.img"));
        QCOMPARE(p.request.range, QByteArray("bytes=0-1"));
        QCOMPARE(p.request.ifRange, QByteArray("\"e\""));
        QVERIFY(p.request.keepAlive);
        QVERIFY(!p.request.hasBody);

        QVERIFY(!parseRequestHead("GET / HTTP/1.1\r\nConnection: close", 2048).request.keepAlive);
        QVERIFY(!parseRequestHead("GET / HTTP/1.0", 2048).request.keepAlive);
        QCOMPARE(parseRequestHead("GET / HTTP/1.1\r\nContent-Length: x", 2048).errorStatus, 400);
        QCOMPARE(
            parseRequestHead("GET /" + QByteArray(100, 'a') + " HTTP/1.1", 50).errorStatus, 414);
        QCOMPARE(parseRequestHead("GET / HTTP/3.0", 2048).errorStatus, 505);
        // Two Range headers: ambiguous, so neither is used.
        const auto twice
            = parseRequestHead("GET / HTTP/1.1\r\nRange: bytes=0-1\r\nRange: bytes=2-3", 2048);
        QCOMPARE(parseRange(twice.request.range, 10).kind, RangeKind::None);
    }

    void targetToName_data()
    {
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<QByteArray>("name");
        QTest::newRow("plain") << QByteArray("/boot.ipxe") << QByteArray("boot.ipxe");
        QTest::newRow("query") << QByteArray("/boot.ipxe?mac=1") << QByteArray("boot.ipxe");
        QTest::newRow("absolute") << QByteArray("http://h:1/boot.ipxe") << QByteArray("boot.ipxe");
        QTest::newRow("escaped") << QByteArray("/a%20b") << QByteArray("a b");
        QTest::newRow("root") << QByteArray("/") << QByteArray();
        QTest::newRow("dotdot") << QByteArray("/..") << QByteArray();
        QTest::newRow("encoded-dotdot") << QByteArray("/%2e%2e") << QByteArray();
        QTest::newRow("two-segments") << QByteArray("/a/b") << QByteArray();
        QTest::newRow("encoded-slash") << QByteArray("/a%2fb") << QByteArray();
        QTest::newRow("double-slash") << QByteArray("//etc") << QByteArray();
        QTest::newRow("relative") << QByteArray("boot.ipxe") << QByteArray();
        QTest::newRow("truncated-escape") << QByteArray("/a%2") << QByteArray();
        QTest::newRow("nul") << QByteArray("/a%00") << QByteArray();
        QTest::newRow("host-only") << QByteArray("http://host") << QByteArray();
    }

    void targetToName()
    {
        QFETCH(QByteArray, target);
        QFETCH(QByteArray, name);
        QCOMPARE(pecast::serve::targetToName(target), name);
    }

    void ranges_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<qint64>("size");
        QTest::addColumn<int>("kind");
        QTest::addColumn<qint64>("first");
        QTest::addColumn<qint64>("length");
        const qint64 big = 6LL * 1024 * 1024 * 1024;
        QTest::newRow("first") << QByteArray("bytes=0-0") << 10LL << int(RangeKind::Single) << 0LL
                               << 1LL;
        QTest::newRow("spaces") << QByteArray("  bytes=2-3 ") << 10LL << int(RangeKind::Single)
                                << 2LL << 2LL;
        QTest::newRow("upper-unit")
            << QByteArray("BYTES=2-3") << 10LL << int(RangeKind::Single) << 2LL << 2LL;
        QTest::newRow("open") << QByteArray("bytes=4-") << 10LL << int(RangeKind::Single) << 4LL
                              << 6LL;
        QTest::newRow("suffix") << QByteArray("bytes=-3") << 10LL << int(RangeKind::Single) << 7LL
                                << 3LL;
        QTest::newRow("clamp") << QByteArray("bytes=8-100") << 10LL << int(RangeKind::Single) << 8LL
                               << 2LL;
        QTest::newRow("past-end") << QByteArray("bytes=10-") << 10LL
                                  << int(RangeKind::Unsatisfiable) << 0LL << 0LL;
        QTest::newRow("empty-file")
            << QByteArray("bytes=0-") << 0LL << int(RangeKind::Unsatisfiable) << 0LL << 0LL;
        QTest::newRow("zero-suffix")
            << QByteArray("bytes=-0") << 10LL << int(RangeKind::Unsatisfiable) << 0LL << 0LL;
        QTest::newRow("over-4g") << QByteArray("bytes=5368709120-5368709121") << big
                                 << int(RangeKind::Single) << 5368709120LL << 2LL;
        QTest::newRow("overflow") << QByteArray("bytes=0-99999999999999999999999") << 10LL
                                  << int(RangeKind::Single) << 0LL << 10LL;
        QTest::newRow("reversed") << QByteArray("bytes=5-4") << 10LL << int(RangeKind::None) << 0LL
                                  << 0LL;
        QTest::newRow("multi") << QByteArray("bytes=0-1,3-4") << 10LL << int(RangeKind::None) << 0LL
                               << 0LL;
        QTest::newRow("no-dash") << QByteArray("bytes=5") << 10LL << int(RangeKind::None) << 0LL
                                 << 0LL;
        QTest::newRow("negative") << QByteArray("bytes=--5") << 10LL << int(RangeKind::None) << 0LL
                                  << 0LL;
        QTest::newRow("empty") << QByteArray("bytes=") << 10LL << int(RangeKind::None) << 0LL
                               << 0LL;
        QTest::newRow("u-u") << QByteArray("bytes=u-u") << 10LL << int(RangeKind::None) << 0LL
                             << 0LL;
        QTest::newRow("unit") << QByteArray("pages=1-2") << 10LL << int(RangeKind::None) << 0LL
                              << 0LL;
    }

    void ranges()
    {
        QFETCH(QByteArray, value);
        QFETCH(qint64, size);
        QFETCH(int, kind);
        QFETCH(qint64, first);
        QFETCH(qint64, length);
        const RangeResult r = parseRange(value, size);
        QCOMPARE(int(r.kind), kind);
        if (r.kind == RangeKind::Single) {
            QCOMPARE(r.range.first, first);
            QCOMPARE(r.range.length, length);
        }
    }
};

QTEST_GUILESS_MAIN(TestHttpRequest)
#include "tst_httprequest.moc"
