// `pecast bcd create` and `pecast bcd dump` end to end, through the real binary.

#include "bcd/bcddump.h"
#include "bcd/bcdstore.h"
#include "bcd/winpestore.h"
#include "bcdtesthelpers.h"
#include "testenv.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace pecast;
using namespace pecast::bcd;
namespace bt = pecast::bcd::test;

class TestBcdCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFileInfo(pecast::test::cliPath()).isExecutable(), "PECAST_CLI not set");
    }

    void createAndDumpBootMode()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("BCD"));
        const auto create = pecast::test::runCli(
            { QStringLiteral("bcd"), QStringLiteral("create"), QStringLiteral("-o"), path });
        QVERIFY2(create.exitCode == 0, create.err.constData());
        auto store = readStoreFile(path);
        QVERIFY(store.ok());
        auto info = ramdiskBoot(*store);
        QVERIFY(info.ok());
        QCOMPARE(info->parent.kind(), BcdDevice::Kind::Boot);
        QCOMPARE(info->wimPath, QStringLiteral("\\winpe.wim"));
        QCOMPARE(info->sdiPath, QStringLiteral("\\boot.sdi"));

        const auto dump
            = pecast::test::runCli({ QStringLiteral("bcd"), QStringLiteral("dump"), path });
        QCOMPARE(dump.exitCode, 0);
        const QString text = QString::fromUtf8(dump.out);
        QVERIFY(text.startsWith(QStringLiteral("Windows Boot Manager\n")));
        QVERIFY(text.contains(QStringLiteral(
            "device                  ramdisk=[boot]\\winpe.wim,{ramdiskoptions}\n")));
        QVERIFY(text.contains(QStringLiteral(
            "osdevice                ramdisk=[boot]\\winpe.wim,{ramdiskoptions}\n")));
        QVERIFY(text.contains(QStringLiteral("ramdisksdidevice        boot\n")));
        QVERIFY(text.contains(QStringLiteral("description             WinPE\n")));
        // The dump is exactly dumpText(), which the wizard previews.
        QCOMPARE(text, dumpText(*store));
    }

    void createPartitionModeMediaLayout()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("BCD"));
        const auto create = pecast::test::runCli(
            { QStringLiteral("bcd"), QStringLiteral("create"), QStringLiteral("--device"),
                QStringLiteral("partition"), QStringLiteral("--disk-signature"),
                QStringLiteral("43DA9AB1"), QStringLiteral("--partition-offset"),
                QStringLiteral("525336576"), QStringLiteral("--wim-path"),
                QStringLiteral("\\sources\\boot.wim"), QStringLiteral("--sdi-path"),
                QStringLiteral("\\boot\\boot.sdi"), QStringLiteral("--description"),
                QStringLiteral("Lab PE"), QStringLiteral("--timeout"), QStringLiteral("7"),
                QStringLiteral("--locale"), QStringLiteral("fr-FR"), QStringLiteral("-o"), path });
        QVERIFY2(create.exitCode == 0, create.err.constData());
        auto store = readStoreFile(path);
        QVERIFY(store.ok());
        // The sdidevice is byte for byte the partition device bcdedit wrote in the grub4dos store.
        auto g4d = readStore(
            bt::golden(QStringLiteral("grub4dos_ntloader_bcd.bcd")), QStringLiteral("g4d"));
        QVERIFY(g4d.ok());
        const QByteArray bcdeditPartition
            = g4d->object(QUuid(QStringLiteral("{19260817-6666-8888-abcd-000000000002}")))
                  ->element(0x11000001)
                  ->data();
        QCOMPARE(store->object(WellKnown::ramdiskOptions())->element(Element::SdiDevice)->data(),
            bcdeditPartition);
        QCOMPARE(store->object(WellKnown::bootmgr())->element(Element::ApplicationDevice)->data(),
            bcdeditPartition);
        QCOMPARE(store->object(WellKnown::bootmgr())->element(Element::Timeout)->toInteger(), 7u);

        const auto dump = pecast::test::runCli(
            { QStringLiteral("bcd"), QStringLiteral("dump"), QStringLiteral("--json"), path });
        QCOMPARE(dump.exitCode, 0);
        const QJsonObject json = QJsonDocument::fromJson(dump.out).object();
        const QJsonArray objects = json.value(QStringLiteral("objects")).toArray();
        QCOMPARE(objects.size(), 3);
        const QJsonObject loader = objects[1].toObject();
        QCOMPARE(loader.value(QStringLiteral("typeName")).toString(),
            QStringLiteral("Windows Boot Loader"));
        const QString text = QString::fromUtf8(
            pecast::test::runCli({ QStringLiteral("bcd"), QStringLiteral("dump"), path }).out);
        QVERIFY(text.contains(
            QStringLiteral("device                  ramdisk=[signature 0x43da9ab1, offset "
                           "525336576]\\sources\\boot.wim,{ramdiskoptions}\n")));
        QVERIFY(text.contains(QStringLiteral("ramdisksdipath          \\boot\\boot.sdi\n")));
        QVERIFY(text.contains(QStringLiteral("locale                  fr-FR\n")));
    }

    void refusesOverwriteUnlessForced()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("BCD"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("precious");
        f.close();
        const QStringList args { QStringLiteral("bcd"), QStringLiteral("create"),
            QStringLiteral("-o"), path };
        const auto refused = pecast::test::runCli(args);
        QCOMPARE(refused.exitCode, 1);
        QVERIFY(refused.err.contains("already exists"));
        QCOMPARE(bt::readFile(path), QByteArray("precious"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1); // no temp left
        const auto forced = pecast::test::runCli(args + QStringList { QStringLiteral("--force") });
        QCOMPARE(forced.exitCode, 0);
        QVERIFY(readStoreFile(path).ok());
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden),
            QStringList { QStringLiteral("BCD") });
    }

    void usageErrors()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("BCD"));
        const QList<QStringList> bad {
            { QStringLiteral("--device"), QStringLiteral("partition"), QStringLiteral("-o"), out },
            { QStringLiteral("--device"), QStringLiteral("partition"),
                QStringLiteral("--disk-signature"), QStringLiteral("0"),
                QStringLiteral("--partition-offset"), QStringLiteral("1048576"),
                QStringLiteral("-o"), out },
            { QStringLiteral("--device"), QStringLiteral("cdrom"), QStringLiteral("-o"), out },
            { QStringLiteral("--wim-path"), QStringLiteral("winpe.wim"), QStringLiteral("-o"),
                out },
            { QStringLiteral("--timeout"), QStringLiteral("soon"), QStringLiteral("-o"), out },
            {},
        };
        for (const QStringList &extra : bad) {
            const auto r = pecast::test::runCli(
                QStringList { QStringLiteral("bcd"), QStringLiteral("create") } + extra);
            QVERIFY2(r.exitCode == 2,
                qPrintable(extra.join(QLatin1Char(' ')) + QStringLiteral(": ")
                    + QString::fromUtf8(r.err)));
            QVERIFY(!QFile::exists(out));
        }
    }

    void dumpRejectsNonHivesNamingTheFile()
    {
        QTemporaryDir dir;
        const QString junk = dir.filePath(QStringLiteral("not-a-bcd"));
        QFile f(junk);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(9000, 'x'));
        f.close();
        const auto r
            = pecast::test::runCli({ QStringLiteral("bcd"), QStringLiteral("dump"), junk });
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains(junk.toUtf8()));
        QVERIFY(r.err.contains("regf"));
        const auto missing = pecast::test::runCli({ QStringLiteral("bcd"), QStringLiteral("dump"),
            dir.filePath(QStringLiteral("nope")) });
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(missing.err.contains("nope"));
    }

    void editCommands()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("BCD"));
        QFile::copy(bt::dataDir() + QStringLiteral("/grub4dos_ntloader_bcd.bcd"), path);
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
        const auto bcd = [](const QStringList &a) {
            return pecast::test::runCli(QStringList { QStringLiteral("bcd") } + a);
        };

        QCOMPARE(bcd({ QStringLiteral("set"), path, QStringLiteral("{bootmgr}"),
                         QStringLiteral("timeout"), QStringLiteral("9") })
                     .exitCode,
            0);
        QCOMPARE(readStoreFile(path)
                     ->object(WellKnown::bootmgr())
                     ->element(Element::Timeout)
                     ->toInteger(),
            9u);
        QCOMPARE(bcd({ QStringLiteral("set"), path, QStringLiteral("{ramdiskoptions}"),
                         QStringLiteral("ramdisksdidevice"),
                         QStringLiteral("partition=mbr:43da9ab1:525336576") })
                     .exitCode,
            0);
        QCOMPARE(readStoreFile(path)
                     ->object(WellKnown::ramdiskOptions())
                     ->element(Element::SdiDevice)
                     ->toDevice()
                     ->diskSignature(),
            0x43da9ab1u);
        QCOMPARE(bcd({ QStringLiteral("delete"), path, QStringLiteral("{bootmgr}"),
                         QStringLiteral("timeout") })
                     .exitCode,
            0);
        QVERIFY(!readStoreFile(path)->object(WellKnown::bootmgr())->hasElement(Element::Timeout));
        // Errors: unknown object, element not valid for the object, bad value; file unchanged.
        const QByteArray before = bt::readFile(path);
        QCOMPARE(bcd({ QStringLiteral("set"), path, QStringLiteral("{memdiag}"),
                         QStringLiteral("timeout"), QStringLiteral("1") })
                     .exitCode,
            1);
        QCOMPARE(bcd({ QStringLiteral("set"), path, QStringLiteral("{bootmgr}"),
                         QStringLiteral("osdevice"), QStringLiteral("boot") })
                     .exitCode,
            2);
        QCOMPARE(bcd({ QStringLiteral("set"), path, QStringLiteral("{bootmgr}"),
                         QStringLiteral("timeout"), QStringLiteral("soon") })
                     .exitCode,
            2);
        QCOMPARE(bt::readFile(path), before);

        const auto add = bcd({ QStringLiteral("add-winpe"), path, QStringLiteral("--wim-path"),
            QStringLiteral("\\pe.wim") });
        QVERIFY2(add.exitCode == 0, add.err.constData());
        auto store = readStoreFile(path);
        QVERIFY(store.ok());
        QCOMPARE(int(store->objects().size()), 11); // 10 + the new loader
        auto info = ramdiskBoot(*store);
        QVERIFY(info.ok());
        QCOMPARE(info->wimPath, QStringLiteral("\\pe.wim"));
        QCOMPARE(store->object(WellKnown::bootmgr())->element(Element::DefaultObject)->toObject(),
            info->loader);
        QVERIFY(QString::fromUtf8(add.out).contains(bcd::guidString(info->loader)));
    }

    void dumpsRealStores()
    {
        const auto r = pecast::test::runCli({ QStringLiteral("bcd"), QStringLiteral("dump"),
            bt::dataDir() + QStringLiteral("/amidevous_wimboot-install_bcd.bcd") });
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(
            "ramdisk=[boot]\\sources\\boot.wim,{7619dcc8-fafe-11d9-b411-000476eba25f}"));
        QVERIFY(r.out.contains("Windows Memory Tester"));
    }
};

QTEST_GUILESS_MAIN(TestBcdCli)
#include "tst_bcdcli.moc"
