// Every hive we write is read back identically by two independent parsers: hivex
// (`hivexregedit --export`) and chntpw (`reged -x`), and by our own reader.

#include "bcd/bcdstore.h"
#include "bcd/hive/hivereader.h"
#include "bcd/hive/hivewriter.h"
#include "bcd/winpestore.h"
#include "bcdtesthelpers.h"
#include "testenv.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace pecast;
using namespace pecast::bcd;
namespace bt = pecast::bcd::test;

namespace {

struct Case
{
    QString name;
    HiveKey tree; // what we asked the writer for
    bool checkReged = true; // chntpw prints REG_SZ as text: only for clean UTF-16 strings
};

QList<Case> cases()
{
    QList<Case> out;
    WinPeStoreOptions boot;
    out.append({ QStringLiteral("winpe-boot"), makeWinPeStore(boot)->toHive() });
    WinPeStoreOptions partition;
    partition.device = DeviceMode::Partition;
    partition.diskSignature = 0xA1B2C3D4;
    partition.partitionOffset = 1048576;
    out.append({ QStringLiteral("winpe-partition"), makeWinPeStore(partition)->toHive() });
    WinPeStoreOptions media;
    media.wimPath = QStringLiteral("\\sources\\boot.wim");
    media.sdiPath = QStringLiteral("\\boot\\boot.sdi");
    media.timeout = 30;
    out.append({ QStringLiteral("winpe-media"), makeWinPeStore(media)->toHive() });
    // The WinPE entry added to a real bcdedit store (many objects, several bins).
    auto g4d
        = readStore(bt::golden(QStringLiteral("grub4dos_ntloader_bcd.bcd")), QStringLiteral("g4d"));
    BcdStore edited = *g4d;
    (void)addWinPeEntry(edited, boot);
    out.append({ QStringLiteral("grub4dos-plus-winpe"), edited.toHive() });
    // Real stores rewritten by us (Microsoft's media KeyName is not text: hivex only).
    for (const QString &n : bt::goldenStores()) {
        auto tree = HiveReader().read(bt::golden(n + QStringLiteral(".bcd")), n);
        out.append({ n, *tree, !n.startsWith(QLatin1String("amidevous")) });
    }
    return out;
}

} // namespace

class TestBcdTools : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        if (pecast::test::findTool(QStringLiteral("hivexregedit")).isEmpty()
            || pecast::test::findTool(QStringLiteral("reged")).isEmpty())
            QSKIP(
                "hivexregedit (libhivex-bin) or reged (chntpw) missing: packaging/install-deps.sh");
    }

    void independentParsersAgree_data()
    {
        QTest::addColumn<int>("index");
        const QList<Case> all = cases();
        for (int i = 0; i < all.size(); ++i)
            QTest::newRow(qPrintable(all[i].name)) << i;
    }

    void independentParsersAgree()
    {
        QFETCH(int, index);
        const Case c = cases().at(index);
        const HiveKey expected = c.tree.sorted();
        auto bytes = HiveWriter().write(c.tree);
        QVERIFY(bytes.ok());
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("BCD"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QCOMPARE(f.write(*bytes), bytes->size());
        f.close();

        // Our reader.
        auto ours = HiveReader().read(*bytes, path);
        QVERIFY(ours.ok());
        QVERIFY(*ours == expected);

        // hivex: opening validates the header checksum and bins; the export lists every key,
        // value, type and byte.
        const auto hivex = pecast::test::run(QStringLiteral("hivexregedit"),
            { QStringLiteral("--export"), path, QStringLiteral("\\") }, 60000);
        QVERIFY2(hivex.exitCode == 0, hivex.err.constData());
        QCOMPARE(hivex.out, bt::hivexStyleExport(expected));

        // chntpw's reged, a separate implementation of the format.
        if (c.checkReged) {
            const QString out = dir.filePath(QStringLiteral("reged.reg"));
            const auto reged = pecast::test::run(QStringLiteral("reged"),
                { QStringLiteral("-x"), path, QStringLiteral("HKEY_LOCAL_MACHINE\\BCD00000001"),
                    QStringLiteral("\\"), out },
                60000);
            QVERIFY2(reged.exitCode == 0, reged.out.constData());
            const bt::FlatHive parsed
                = bt::parseRegedExport(bt::readFile(out), QStringLiteral("BCD00000001"));
            const bt::FlatHive want = bt::flatten(expected);
            QCOMPARE(parsed.keys(), want.keys());
            for (auto it = want.begin(); it != want.end(); ++it)
                QCOMPARE(parsed.value(it.key()), it.value());
        }
    }
};

QTEST_GUILESS_MAIN(TestBcdTools)
#include "tst_bcdtools.moc"
