// The regf layer on its own: header vectors, reading the real stores exactly as hivex does,
// writing from scratch in the bcdedit profile, round trips, and hostile input.

#include "bcd/hive/hivereader.h"
#include "bcd/hive/hivewriter.h"
#include "bcdtesthelpers.h"
#include "hiveprofile.h"

#include <QRandomGenerator>
#include <QTest>
#include <QtEndian>

using namespace pecast;
using namespace pecast::bcd;

namespace {

// A tree with the shapes a writer must get right: unsorted and mixed-case subkeys, inline and
// cell data, an empty value, a default value, a key with no values or subkeys, values larger
// than one 4 KiB bin and than a `db` segment, and enough keys to need several bins.
HiveKey sampleTree()
{
    HiveKey root { QStringLiteral("NewStoreRoot"), {}, {} };
    HiveKey &d = root.ensureSubkey(QStringLiteral("Description"));
    d.values.push_back(HiveValue::string(QStringLiteral("KeyName"), QStringLiteral("BCD00000001")));
    HiveKey &objects = root.ensureSubkey(QStringLiteral("Objects"));
    for (int i = 0; i < 40; ++i) {
        HiveKey &o = objects.ensureSubkey(
            QStringLiteral("{%1-0000-0000-0000-000000000000}")
                .arg(quint32(0x9000000 - i * 7919), 8, 16, QLatin1Char('0')));
        o.ensureSubkey(QStringLiteral("Description"))
            .values.push_back(HiveValue::dword(QStringLiteral("Type"), 0x10200003));
        HiveKey &e = o.ensureSubkey(QStringLiteral("Elements"));
        e.ensureSubkey(QStringLiteral("26000010"))
            .values.push_back(HiveValue::binary(QStringLiteral("Element"), QByteArray(1, '\1')));
        e.ensureSubkey(QStringLiteral("12000004"))
            .values.push_back(
                HiveValue::string(QStringLiteral("Element"), QStringLiteral("Entry %1").arg(i)));
    }
    HiveKey &misc = root.ensureSubkey(QStringLiteral("aMixed"));
    misc.values.push_back(HiveValue { QString(), 3, QByteArray("default") });
    misc.values.push_back(HiveValue { QStringLiteral("empty"), 3, QByteArray() });
    misc.values.push_back(HiveValue::binary(QStringLiteral("big"), QByteArray(20000, 'x')));
    misc.values.push_back(HiveValue::binary(QStringLiteral("four"), QByteArray("abcd")));
    misc.values.push_back(HiveValue::binary(QStringLiteral("five"), QByteArray("abcde")));
    misc.values.push_back(HiveValue::multiString(
        QStringLiteral("list"), { QStringLiteral("a"), QStringLiteral("b") }));
    misc.values.push_back(HiveValue { QStringLiteral("qword"), 11, QByteArray(8, '\7') });
    misc.ensureSubkey(QStringLiteral("zeta"));
    misc.ensureSubkey(QStringLiteral("Alpha"));
    misc.ensureSubkey(QStringLiteral("beta_"));
    misc.ensureSubkey(QStringLiteral("BETA"));
    return root;
}

HiveReadOptions lenient()
{
    HiveReadOptions o;
    o.requireClean = false;
    return o;
}

} // namespace

class TestHive : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void headerVectors_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<quint32>("sequence");
        QTest::addColumn<quint32>("binsSize");
        QTest::addColumn<quint32>("checksum");
        // bcd-format.md §1.2
        QTest::newRow("BCD-NEW") << "jpz4085_BCD-SYS_BCD-NEW" << 3u << 0x1000u << 0xC787453Fu;
        QTest::newRow("grub4dos") << "grub4dos_ntloader_bcd" << 118u << 0x5000u << 0x1BC3D770u;
        QTest::newRow("amidevous")
            << "amidevous_wimboot-install_bcd" << 319u << 0x3000u << 0xD36F6FC6u;
    }
    void headerVectors()
    {
        QFETCH(QString, name);
        QFETCH(quint32, sequence);
        QFETCH(quint32, binsSize);
        QFETCH(quint32, checksum);
        const QByteArray file = test::golden(name + QStringLiteral(".bcd"));
        QVERIFY(!file.isEmpty());
        auto h = HiveReader::readHeader(file, name);
        QVERIFY2(h.ok(), qPrintable(h.ok() ? QString() : h.error().toString()));
        QCOMPARE(h->primarySequence, sequence);
        QCOMPARE(h->secondarySequence, sequence);
        QCOMPARE(h->minorVersion, 3u);
        QCOMPARE(h->rootOffset, 0x20u);
        QCOMPARE(h->binsSize, binsSize);
        QCOMPARE(h->storedChecksum, checksum);
        QCOMPARE(h->computedChecksum, checksum);
        QVERIFY(h->clean());
    }

    void nameHashes()
    {
        // bcd-format.md §1.6
        QCOMPARE(hiveNameHash(QStringLiteral("Objects")), 0x4AAE45EEu);
        QCOMPARE(hiveNameHash(QStringLiteral("Description")), 0xCEC53364u);
        QCOMPARE(hiveNameHash(QStringLiteral("Elements")), 0xA8E7AE39u);
        QCOMPARE(
            hiveNameHash(QStringLiteral("{9dea862c-5cdd-4e70-acc1-f32b344d4795}")), 0x47747E47u);
        QCOMPARE(hiveNameHash(QStringLiteral("11000001")), 0x1E18CC57u);
        QCOMPARE(hiveNameHash(QStringLiteral("250000c2")), 0x9C31CF48u);
    }

    // Our reader sees exactly what hivex sees in the real stores: every key, value, type, byte.
    void goldenReadsLikeHivex_data()
    {
        QTest::addColumn<QString>("name");
        for (const QString &n : test::goldenStores())
            QTest::newRow(qPrintable(n)) << n;
    }
    void goldenReadsLikeHivex()
    {
        QFETCH(QString, name);
        auto root = HiveReader().read(test::golden(name + QStringLiteral(".bcd")), name);
        QVERIFY2(root.ok(), qPrintable(root.ok() ? QString() : root.error().toString()));
        const QByteArray expected = test::golden(name + QStringLiteral(".reg.txt"));
        QVERIFY(!expected.isEmpty());
        QCOMPARE(test::hivexStyleExport(*root), expected);
    }

    // Writing what we read from a real store gives a hive that reads back to the same tree and
    // still exports exactly like the original.
    void goldenRewrite_data() { goldenReadsLikeHivex_data(); }
    void goldenRewrite()
    {
        QFETCH(QString, name);
        auto root = HiveReader().read(test::golden(name + QStringLiteral(".bcd")), name);
        QVERIFY(root.ok());
        auto bytes = HiveWriter().write(*root);
        QVERIFY(bytes.ok());
        QCOMPARE(test::checkHiveProfile(*bytes), QString());
        auto again = HiveReader().read(*bytes, QStringLiteral("rewritten"));
        QVERIFY2(again.ok(), qPrintable(again.ok() ? QString() : again.error().toString()));
        QVERIFY(*again == *root);
        QCOMPARE(test::hivexStyleExport(*again), test::golden(name + QStringLiteral(".reg.txt")));
    }

    void writerProfile()
    {
        auto bytes = HiveWriter().write(sampleTree());
        QVERIFY(bytes.ok());
        QCOMPARE(test::checkHiveProfile(*bytes), QString());
        QVERIFY(bytes->size() > 3 * 4096); // several bins
        // Root nk at 0x20 with flags 0x2C, like bcdedit.
        QCOMPARE(bytes->mid(4096 + 0x24, 4), QByteArray("nk\x2c\x00", 4));
    }

    void roundTrip()
    {
        const HiveKey tree = sampleTree();
        auto bytes = HiveWriter().write(tree);
        QVERIFY(bytes.ok());
        auto back = HiveReader().read(*bytes, QStringLiteral("sample"));
        QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().toString()));
        QVERIFY(*back != tree); // the input was unsorted ...
        QVERIFY(*back == tree.sorted()); // ... and comes back sorted, otherwise identical
        const HiveKey *misc = back->subkey(QStringLiteral("amixed"));
        QVERIFY(misc);
        QStringList order;
        for (const HiveKey &k : misc->subkeys)
            order << k.name;
        QCOMPARE(order, QStringList({ "Alpha", "BETA", "beta_", "zeta" }));
    }

    void roundTripUnicodeNames()
    {
        HiveKey root { QStringLiteral("Wurzel"), {}, {} };
        HiveKey &k = root.ensureSubkey(QStringLiteral("Schlüssel-ключ"));
        k.values.push_back(HiveValue::string(QStringLiteral("Wert-значение"), QStringLiteral("x")));
        root.ensureSubkey(QStringLiteral("Ünïcode"));
        auto bytes = HiveWriter().write(root);
        QVERIFY(bytes.ok());
        auto back = HiveReader().read(*bytes, QStringLiteral("unicode"));
        QVERIFY(back.ok());
        QVERIFY(*back == root.sorted());
    }

    void writerRejectsDuplicates()
    {
        HiveKey root { QStringLiteral("R"), {}, {} };
        root.subkeys.push_back(HiveKey { QStringLiteral("Objects"), {}, {} });
        root.subkeys.push_back(HiveKey { QStringLiteral("OBJECTS"), {}, {} });
        auto bytes = HiveWriter().write(root);
        QVERIFY(!bytes.ok());
        QCOMPARE(bytes.error().code(), Errc::InvalidInput);
        HiveKey values { QStringLiteral("R"),
            { HiveValue::dword(QStringLiteral("a"), 1), HiveValue::dword(QStringLiteral("A"), 2) },
            {} };
        QVERIFY(!HiveWriter().write(values).ok());
    }

    void rejectsNonHives()
    {
        for (const QByteArray &junk : { QByteArray(), QByteArray("regf"), QByteArray(8192, '\0'),
                 QByteArray("MZ") + QByteArray(9000, 'A') }) {
            auto r = HiveReader().read(junk, QStringLiteral("/tmp/junk.bcd"));
            QVERIFY(!r.ok());
            QCOMPARE(r.error().code(), Errc::BadFormat);
            QVERIFY(r.error().toString().contains(QStringLiteral("/tmp/junk.bcd")));
        }
    }

    void workIsBounded()
    {
        HiveKey root { QStringLiteral("R"), {}, { HiveKey { QStringLiteral("K"), {}, {} } } };
        for (int i = 0; i < 1000; ++i)
            root.subkeys[0].values.push_back(
                HiveValue::dword(QStringLiteral("v%1").arg(i), quint32(i)));
        auto bytes = HiveWriter().write(root);
        QVERIFY(bytes.ok());
        HiveReadOptions small;
        small.maxValueBytes = 10000; // 1000 values cost > 64 000
        auto r = HiveReader(small).read(*bytes, QStringLiteral("budget"));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code(), Errc::BadFormat);
        HiveReadOptions fewKeys;
        fewKeys.maxKeys = 1;
        QVERIFY(!HiveReader(fewKeys).read(*bytes, QStringLiteral("keys")).ok());
        QVERIFY(HiveReader().read(*bytes, QStringLiteral("default limits")).ok());
    }

    void dirtyHiveIsReported()
    {
        QByteArray file = test::golden(QStringLiteral("jpz4085_BCD-SYS_BCD-NEW.bcd"));
        QCOMPARE(file.size(), 8192);
        qToLittleEndian<quint32>(4, file.data() + 8); // secondary sequence != primary
        auto r = HiveReader().read(file, QStringLiteral("dirty"));
        QVERIFY(!r.ok());
        QVERIFY(r.error().toString().contains(QStringLiteral("dirty")));
        QVERIFY(HiveReader(lenient()).read(file, QStringLiteral("dirty")).ok());
    }

    void cycleIsAnError()
    {
        // Point the first lf entry of \Objects' parent (the root list) back at the root nk.
        QByteArray file = test::golden(QStringLiteral("jpz4085_BCD-SYS_BCD-NEW.bcd"));
        QCOMPARE(file.size(), 8192);
        // Root lf at 0x268 (bcd-format.md §1.10): entry 0 -> 0x208 "Desc"; make it 0x20.
        QCOMPARE(file.mid(4096 + 0x268 + 4, 2), QByteArray("lf"));
        qToLittleEndian<quint32>(0x20, file.data() + 4096 + 0x268 + 8);
        auto r = HiveReader(lenient()).read(file, QStringLiteral("cycle"));
        QVERIFY(!r.ok());
        QVERIFY2(r.error().toString().contains(QStringLiteral("twice")),
            qPrintable(r.error().toString()));
    }

    // Hostile input: every truncation and many corruptions of real and written hives end in a
    // result (tree or BadFormat), never a crash or hang. The libFuzzer target goes further.
    void corruptionNeverCrashes()
    {
        QList<QByteArray> seeds;
        for (const QString &n : test::goldenStores())
            seeds << test::golden(n + QStringLiteral(".bcd"));
        for (const QByteArray &seed : seeds)
            QVERIFY(seed.size() >= 8192);
        seeds << HiveWriter().write(sampleTree()).value();
        int failures = 0;
        int successes = 0;
        QRandomGenerator rng(1234); // fixed seed: reproducible
        for (const QByteArray &seed : seeds) {
            for (qsizetype len = 0; len < seed.size(); len += 97) {
                auto r = HiveReader(lenient()).read(seed.left(len), QStringLiteral("t"));
                r.ok() ? ++successes : ++failures;
            }
            for (int i = 0; i < 1500; ++i) {
                QByteArray m = seed;
                const int flips = 1 + int(rng.bounded(4));
                for (int j = 0; j < flips; ++j) {
                    // Mostly inside the used cells, where structure lives.
                    const qsizetype at = 4096
                        + qsizetype(rng.bounded(quint32(qMin<qsizetype>(m.size() - 4096, 0x1800))));
                    m[at] = char(rng.bounded(256));
                }
                auto r = HiveReader(lenient()).read(m, QStringLiteral("t"));
                if (r.ok())
                    ++successes;
                else {
                    ++failures;
                    QCOMPARE(r.error().code(), Errc::BadFormat);
                }
            }
        }
        QVERIFY(failures > 100); // the corruptions were detected ...
        QVERIFY(successes > 100); // ... and harmless ones (e.g. in value data) still read
    }
};

QTEST_GUILESS_MAIN(TestHive)
#include "tst_hive.moc"
