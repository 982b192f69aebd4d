// SLAM Int/header/NACK encoding against the known answers in docs/slam-protocol.md §4-5.

#include "serve/slamcodec.h"
#include "serve/slamratecontroller.h"
#include "serve/slamrttestimator.h"

#include <QTest>

using namespace pecast::serve::slam;

class TestSlamCodec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // The re-ping timeout: initial value until a round trip is measured, then srtt + 4 rttvar
    // (RFC 6298 gains), clamped, doubling per repeat up to the ceiling.
    // Adaptive output rate: no limit until an overflow is reported, then half the measured
    // output, one cut per hold-off, growth without overflows, release, and the cap.
    void rateController()
    {
        using pecast::serve::SlamRateController;
        using namespace std::chrono_literals;
        const auto t0 = SlamRateController::Clock::time_point() + 1h;
        SlamRateController rate;
        QCOMPARE(rate.rateAt(t0), 0.0);
        QVERIFY(!rate.burstLoss(t0)); // nothing measured yet: nothing to halve
        for (int i = 0; i <= 100; ++i)
            rate.sent(10000, t0 + i * 1ms); // 10 kB per ms = 10 MB/s
        QCOMPARE(qRound(rate.measured() / 1e6), 10);
        const auto t1 = t0 + 100ms;
        QVERIFY(rate.burstLoss(t1));
        QCOMPARE(qRound(rate.rateAt(t1) / 1e5), 50); // 5 MB/s
        QVERIFY(!rate.burstLoss(t1 + 50ms)); // the same overflow, reported again
        QCOMPARE(qRound(rate.rateAt(t1 + 100ms) / 1e5), 63); // grows 25 % per 100 ms
        // A new overflow: half of min(limit, measured) = half of 5 * 1.25^3 MB/s.
        QVERIFY(rate.burstLoss(t1 + 300ms));
        QCOMPARE(qRound(rate.rateAt(t1 + 300ms) / 1e5), 49);
        QCOMPARE(rate.rateAt(t1 + 300ms + 1300ms), 0.0); // no overflow for 1.2 s: released

        SlamRateController capped(2e6);
        QCOMPARE(capped.rateAt(t0), 2e6); // the cap applies from the start
        for (int i = 0; i <= 100; ++i)
            capped.sent(2000, t0 + i * 1ms);
        QVERIFY(capped.burstLoss(t1));
        QCOMPARE(qRound(capped.rateAt(t1) / 1e5), 10); // half of the 2 MB/s sent
        QCOMPARE(capped.rateAt(t1 + 10s), 2e6);
    }

    void rttEstimator()
    {
        using us = std::chrono::microseconds;
        pecast::serve::SlamRttEstimator rtt(us(20000), us(2000), us(200000));
        QCOMPARE(rtt.timeout(), us(20000));
        QVERIFY(!rtt.hasSample());
        rtt.addSample(us(1000)); // srtt 1000, rttvar 500 -> 3000
        QCOMPARE(rtt.smoothed(), us(1000));
        QCOMPARE(rtt.timeout(), us(3000));
        QCOMPARE(rtt.timeoutForRepeat(1), us(3000));
        QCOMPARE(rtt.timeoutForRepeat(3), us(12000));
        QCOMPARE(rtt.timeoutForRepeat(20), us(192000)); // 3000 * 2^6
        rtt.addSample(us(3000)); // srtt 1250, rttvar (1500 + 2000) / 4 = 875 -> 4750
        QCOMPARE(rtt.smoothed(), us(1250));
        QCOMPARE(rtt.timeout(), us(4750));
        for (int i = 0; i < 50; ++i)
            rtt.addSample(us(10)); // converges to ~10 us: the floor holds
        QCOMPARE(rtt.timeout(), us(2000));
        for (int i = 0; i < 50; ++i)
            rtt.addSample(us(900000)); // a client stalled for seconds: the ceiling holds
        QCOMPARE(rtt.timeout(), us(200000));
        QCOMPARE(rtt.timeoutForRepeat(5), us(200000));
    }

    void intKnownAnswers_data()
    {
        QTest::addColumn<quint64>("value");
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("0") << quint64(0) << QByteArray::fromHex("20");
        QTest::newRow("1") << quint64(1) << QByteArray::fromHex("21");
        QTest::newRow("4") << quint64(4) << QByteArray::fromHex("24");
        QTest::newRow("31") << quint64(31) << QByteArray::fromHex("3f");
        QTest::newRow("32") << quint64(32) << QByteArray::fromHex("4020");
        QTest::newRow("1451") << quint64(1451) << QByteArray::fromHex("45ab");
        QTest::newRow("2065") << quint64(2065) << QByteArray::fromHex("4811");
        QTest::newRow("8191") << quint64(8191) << QByteArray::fromHex("5fff");
        QTest::newRow("8192") << quint64(8192) << QByteArray::fromHex("602000");
        QTest::newRow("3e6") << quint64(3000000) << QByteArray::fromHex("802dc6c0");
        QTest::newRow("2^29-1") << quint64(536870911) << QByteArray::fromHex("9fffffff");
        QTest::newRow("512MiB") << quint64(536870912) << QByteArray::fromHex("a020000000");
        QTest::newRow("600MiB") << quint64(629145600) << QByteArray::fromHex("a025800000");
        QTest::newRow("mtime") << quint64(0x6B07F672) << QByteArray::fromHex("a06b07f672");
        QTest::newRow("max") << quint64(kMaxIntValue) << QByteArray::fromHex("ffffffffffffff");
    }
    void intKnownAnswers()
    {
        QFETCH(quint64, value);
        QFETCH(QByteArray, bytes);
        QCOMPARE(encodeInt(value).toHex(), bytes.toHex());
        int pos = 0;
        QCOMPARE(
            decodeInt(bytes.constData(), int(bytes.size()), pos), std::optional<quint64>(value));
        QCOMPARE(pos, bytes.size());
    }

    void intRejectsTruncatedAndZero()
    {
        const QByteArray truncated = QByteArray::fromHex("802dc6");
        int pos = 0;
        QVERIFY(!decodeInt(truncated.constData(), int(truncated.size()), pos));
        const QByteArray zero = QByteArray::fromHex("00");
        pos = 0;
        QVERIFY(!decodeInt(zero.constData(), 1, pos));
    }

    void headerAndDataPacketExample()
    {
        // Block 0 of a 3,000,000-byte file, block size 1451, transaction id 0x6B07F672.
        const QByteArray header = encodeHeader(0x6B07F672, 3000000, 1451);
        QCOMPARE(header.toHex(), QByteArray("a06b07f672802dc6c045ab"));
        const auto decoded = decodeHeader(header.constData(), int(header.size()));
        QVERIFY(decoded);
        QCOMPARE(decoded->transactionId, quint64(0x6B07F672));
        QCOMPARE(decoded->totalBytes, quint64(3000000));
        QCOMPARE(decoded->blockSize, quint64(1451));
        QCOMPARE(decoded->length, 11);
    }

    void nackKnownAnswers()
    {
        QCOMPARE(encodeNack(0, 1).toHex(), QByteArray("202100"));
        QCOMPARE(encodeNack(1, 4).toHex(), QByteArray("212400"));
        QCOMPARE(encodeNack(33, 4).toHex(), QByteArray("40212400"));
        QCOMPARE(encodeNack(2065, 3).toHex(), QByteArray("48112300"));
        const QByteArray last = QByteArray::fromHex("48112300");
        const Nack nack = parseNack(last.constData(), int(last.size()), 2068);
        QVERIFY(!nack.malformed && !nack.clamped && !nack.leave);
        QCOMPARE(nack.firstGap, quint64(2065));
        QCOMPARE(nack.runs.size(), size_t(1));
        QCOMPARE(nack.runs[0].first, quint64(2065));
        QCOMPARE(nack.runs[0].count, quint64(3));
    }

    void nackLeave()
    {
        const char leave = 0;
        QVERIFY(parseNack(&leave, 1, 10).leave);
    }

    void nackMultiPair()
    {
        // Etherboot-style full bitmap: hold 2, miss 3, hold 1, miss 2 -> runs [2,5) and [6,8).
        QByteArray list;
        for (quint64 v : { 2, 3, 1, 2 })
            appendInt(list, v);
        list.append('\0');
        const Nack nack = parseNack(list.constData(), int(list.size()), 100);
        QCOMPARE(nack.runs.size(), size_t(2));
        QCOMPARE(nack.runs[0].first, quint64(2));
        QCOMPARE(nack.runs[0].count, quint64(3));
        QCOMPARE(nack.runs[1].first, quint64(6));
        QCOMPARE(nack.runs[1].count, quint64(2));
    }

    void nackHostile()
    {
        // Past the end: clamped away entirely.
        QByteArray past;
        appendInt(past, 5000);
        appendInt(past, 4);
        past.append('\0');
        Nack nack = parseNack(past.constData(), int(past.size()), 100);
        QVERIFY(nack.runs.empty());
        QVERIFY(nack.clamped);
        // Straddling the end: clamped to the last blocks.
        QByteArray straddle;
        appendInt(straddle, 98);
        appendInt(straddle, 1000);
        nack = parseNack(straddle.constData(), int(straddle.size()), 100);
        QCOMPARE(nack.runs.size(), size_t(1));
        QCOMPARE(nack.runs[0].count, quint64(2));
        // Zero-length runs produce nothing.
        QByteArray zeros;
        for (int i = 0; i < 100; ++i)
            appendInt(zeros, 0);
        nack = parseNack(zeros.constData(), int(zeros.size()), 100);
        QVERIFY(nack.runs.empty());
        // Huge values saturate instead of wrapping around to small block numbers.
        QByteArray huge;
        appendInt(huge, kMaxIntValue);
        appendInt(huge, kMaxIntValue);
        appendInt(huge, kMaxIntValue);
        appendInt(huge, 5);
        nack = parseNack(huge.constData(), int(huge.size()), 100);
        QVERIFY(nack.runs.empty());
        // Garbage (length bits 0 in the middle of a list) is flagged, earlier runs kept.
        QByteArray garbage;
        appendInt(garbage, 1);
        appendInt(garbage, 1);
        garbage.append(char(0x1f));
        nack = parseNack(garbage.constData(), int(garbage.size()), 100);
        QVERIFY(nack.malformed);
        QCOMPARE(nack.runs.size(), size_t(1));
        // A list of 10000 runs keeps at most maxRuns.
        QByteArray many;
        for (int i = 0; i < 10000; ++i) {
            appendInt(many, 1);
            appendInt(many, 1);
        }
        nack = parseNack(many.constData(), int(many.size()), 1000000, 64);
        QCOMPARE(nack.runs.size(), size_t(64));
        // Random bytes never crash and never produce runs outside the file.
        quint32 state = 12345;
        for (int round = 0; round < 2000; ++round) {
            QByteArray noise;
            const int length = 1 + int(state % 64);
            for (int i = 0; i < length; ++i) {
                state = state * 1664525u + 1013904223u;
                noise.append(char(state >> 24));
            }
            nack = parseNack(noise.constData(), int(noise.size()), 50);
            for (const auto &run : nack.runs)
                QVERIFY(run.count > 0 && run.first + run.count <= 50);
        }
    }
};

QTEST_GUILESS_MAIN(TestSlamCodec)
#include "tst_slamcodec.moc"
