// pecast image show on a qcow2 copy of a built image: libguestfs (one appliance launch) finds
// the boot partition, its files, the BCD and the WIM it boots.

#include "fixtures.h"
#include "testenv.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace pecast;
using namespace pecast::test;

class TestImageShow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void qcow2()
    {
        if (findTool(QStringLiteral("qemu-img")).isEmpty())
            QSKIP("qemu-img is not installed");
        if (findTool(QStringLiteral("libguestfs-test-tool")).isEmpty())
            QSKIP("libguestfs is not installed");
        QTemporaryDir dir;
        QString error;
        const QString wim = makeFixtureWim(dir.path(), {}, &error);
        QVERIFY2(!wim.isEmpty(), qPrintable(error));
        const QString raw = dir.filePath(QStringLiteral("pe.img"));
        auto r = runCli({ QStringLiteral("build"), QStringLiteral("--wim"), wim,
                            QStringLiteral("-o"), raw, QStringLiteral("-q") },
            300000);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString qcow = dir.filePath(QStringLiteral("pe.qcow2"));
        const auto conv = run(findTool(QStringLiteral("qemu-img")),
            { QStringLiteral("convert"), QStringLiteral("-O"), QStringLiteral("qcow2"), raw,
                qcow });
        QVERIFY2(conv.exitCode == 0, conv.err.constData());

        r = runCli({ QStringLiteral("image"), QStringLiteral("show"), qcow,
                       QStringLiteral("--json"), QStringLiteral("-q") },
            600000);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject json = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(json.value(QStringLiteral("partition")).toInt(), 1);
        QCOMPARE(json.value(QStringLiteral("filesystem")).toString(), QStringLiteral("ntfs"));
        QCOMPARE(json.value(QStringLiteral("wimPath")).toString(), QStringLiteral("\\winpe.wim"));
        QVERIFY(json.value(QStringLiteral("wimPresent")).toBool());
        QCOMPARE(json.value(QStringLiteral("wimBytes")).toInteger(), QFileInfo(wim).size());
        QCOMPARE(json.value(QStringLiteral("sdiPath")).toString(), QStringLiteral("\\boot.sdi"));
        QVERIFY(json.value(QStringLiteral("sdiPresent")).toBool());
        const QVariantList files = json.value(QStringLiteral("files")).toArray().toVariantList();
        for (const char *name : { "bootmgr", "boot.sdi", "winpe.wim", "boot/BCD" })
            QVERIFY2(files.contains(QString::fromLatin1(name)), name);
        QVERIFY2(json.value(QStringLiteral("bcd")).toString().contains(QStringLiteral("ramdisk")),
            r.out.constData());
    }
};

QTEST_GUILESS_MAIN(TestImageShow)
#include "tst_imageshow.moc"
