// A UDF-only medium, like a Windows install ISO: its ISO 9660 tree does not hold
// sources/boot.wim, its UDF tree does. libarchive cannot see the files, so `pecast source
// extract` reads them through libguestfs (one appliance launch, TCG in tests).

#include "fixtures.h"
#include "testenv.h"
#include "testfiles.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace pecast;
using namespace pecast::test;

class TestSourceUdf : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void udfOnlyIso()
    {
        if (findTool(QStringLiteral("genisoimage")).isEmpty())
            QSKIP("genisoimage is not installed");
        if (findTool(QStringLiteral("libguestfs-test-tool")).isEmpty())
            QSKIP("libguestfs is not installed");
        QTemporaryDir dir;
        const QByteArray wim = pseudoRandomBytes(3 * 1024 * 1024, 21);
        const QByteArray bootmgr = pseudoRandomBytes(100 * 1024, 22);
        const QByteArray sdi = pseudoRandomBytes(32 * 1024, 23);
        const QString media = dir.filePath(QStringLiteral("media"));
        QVERIFY(writeFile(
            media + QStringLiteral("/sources/boot.wim"), QByteArray("MSWIM\0\0\0", 8) + wim));
        QVERIFY(writeFile(media + QStringLiteral("/bootmgr"), bootmgr));
        QVERIFY(writeFile(media + QStringLiteral("/boot/boot.sdi"), sdi));
        const QString iso = dir.filePath(QStringLiteral("install.iso"));
        // Plain ISO 9660 (upper-case names) plus UDF (names as given).
        const auto mk = run(findTool(QStringLiteral("genisoimage")),
            { QStringLiteral("-quiet"), QStringLiteral("-udf"), QStringLiteral("-o"), iso, media });
        QVERIFY2(mk.exitCode == 0, mk.err.constData());
        // Hide the folder from ISO 9660 only: rename SOURCES in its directory records and path
        // table; UDF stores "sources" in lower case and keeps it.
        QFile f(iso);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QByteArray bytes = f.readAll();
        QVERIFY(bytes.count("SOURCES") >= 2);
        QVERIFY(bytes.contains("sources"));
        bytes.replace("SOURCES", "SOURCEX");
        QVERIFY(f.seek(0));
        QCOMPARE(f.write(bytes), bytes.size());
        f.close();

        const QString out = dir.filePath(QStringLiteral("out"));
        const auto r = runCli({ QStringLiteral("source"), QStringLiteral("extract"), iso,
                                  QStringLiteral("-o"), out, QStringLiteral("-q") },
            600000);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(readFile(out + QStringLiteral("/boot.wim")), QByteArray("MSWIM\0\0\0", 8) + wim);
        QCOMPARE(readFile(out + QStringLiteral("/bootmgr")), bootmgr);
        QCOMPARE(readFile(out + QStringLiteral("/boot.sdi")), sdi);
        QVERIFY(!QFileInfo::exists(out + QStringLiteral("/BCD"))); // none on this medium
    }
};

QTEST_GUILESS_MAIN(TestSourceUdf)
#include "tst_sourceudf.moc"
