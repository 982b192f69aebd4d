// `pecast wim info --json` on every fixture kind: the JSON facts the README promises.

#include "fixtures.h"
#include "testenv.h"
#include "util/init.h"
#include "wim/wiminspect.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace pecast;
using namespace pecast::test;

class TestWimInspect : public QObject
{
    Q_OBJECT

private:
    QJsonObject info(const QString &wim)
    {
        const ProcessResult r = runCli(
            { QStringLiteral("wim"), QStringLiteral("info"), wim, QStringLiteral("--json") });
        if (r.exitCode != 0)
            qWarning() << r.err;
        [&] { QCOMPARE(r.exitCode, 0); }();
        QJsonParseError error {};
        const QJsonDocument doc = QJsonDocument::fromJson(r.out, &error);
        [&] { QCOMPARE(error.error, QJsonParseError::NoError); }();
        return doc.object();
    }
    QString build(const FixtureWimOptions &options)
    {
        QString error;
        const QString wim = makeFixtureWim(m_dir.path(), options, &error);
        if (wim.isEmpty())
            qWarning() << error;
        return wim;
    }
    static QJsonObject image(const QJsonObject &info, int index)
    {
        return info.value(QStringLiteral("images")).toArray().at(index - 1).toObject();
    }
    static QJsonObject boot(const QJsonObject &image)
    {
        return image.value(QStringLiteral("boot")).toObject();
    }
    static QStringList reasons(const QJsonObject &image)
    {
        QStringList list;
        for (const QJsonValue &v : boot(image).value(QStringLiteral("reasons")).toArray())
            list.append(v.toString());
        return list;
    }

    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        initLibraries();
        QVERIFY(m_dir.isValid());
        QVERIFY2(QFileInfo(cliPath()).isExecutable(), qPrintable(cliPath()));
    }

    void winPe()
    {
        FixtureWimOptions o;
        o.fileName = QStringLiteral("winpe.wim");
        const QString wim = build(o);
        QVERIFY(!wim.isEmpty());
        const QJsonObject j = info(wim);
        QCOMPARE(j.value(QStringLiteral("path")).toString(), QFileInfo(wim).absoluteFilePath());
        QCOMPARE(j.value(QStringLiteral("fileSize")).toInteger(), QFileInfo(wim).size());
        QCOMPARE(j.value(QStringLiteral("guid")).toString().size(), 32);
        QCOMPARE(j.value(QStringLiteral("imageCount")).toInt(), 1);
        QCOMPARE(j.value(QStringLiteral("bootIndex")).toInt(), 1);
        QCOMPARE(j.value(QStringLiteral("compression")).toString(), QStringLiteral("lzx"));
        QCOMPARE(j.value(QStringLiteral("chunkSize")).toInt(), 32768);
        QCOMPARE(j.value(QStringLiteral("solid")).toBool(), false);
        QCOMPARE(j.value(QStringLiteral("solidCompression")).toString(), QString());
        QCOMPARE(j.value(QStringLiteral("partNumber")).toInt(), 1);
        QCOMPARE(j.value(QStringLiteral("totalParts")).toInt(), 1);
        QCOMPARE(j.value(QStringLiteral("parts")).toArray().size(), 1);
        QCOMPARE(j.value(QStringLiteral("hasIntegrity")).toBool(), false);
        QCOMPARE(j.value(QStringLiteral("compressionBootable")).toBool(), true);

        const QJsonObject i = image(j, 1);
        QCOMPARE(i.value(QStringLiteral("index")).toInt(), 1);
        QCOMPARE(i.value(QStringLiteral("name")).toString(), QStringLiteral("WinPE 1"));
        QCOMPARE(i.value(QStringLiteral("description")).toString(),
            QStringLiteral("PEcast fixture image 1"));
        QCOMPARE(i.value(QStringLiteral("archCode")).toInt(), 9);
        QCOMPARE(i.value(QStringLiteral("arch")).toString(), QStringLiteral("x64"));
        QCOMPARE(i.value(QStringLiteral("edition")).toString(), QStringLiteral("WindowsPE"));
        QCOMPARE(
            i.value(QStringLiteral("installationType")).toString(), QStringLiteral("WindowsPE"));
        QCOMPARE(i.value(QStringLiteral("version")).toString(), QStringLiteral("10.0.19041"));
        QCOMPARE(i.value(QStringLiteral("build")).toInt(), 19041);

        // Counts and bytes against the tree the fixture was made from, walked independently.
        QTemporaryDir treeDir;
        const QString tree = makeWinPeTree(treeDir.path() + QStringLiteral("/t"));
        qint64 files = 0, dirs = 0, bytes = 0;
        QDirIterator it(tree, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden,
            QDirIterator::Subdirectories);
        while (it.hasNext()) {
            it.next();
            if (it.fileInfo().isDir()) {
                ++dirs;
            } else {
                ++files;
                bytes += it.fileInfo().size();
            }
        }
        QCOMPARE(i.value(QStringLiteral("fileCount")).toInteger(), files);
        // wimlib counts the root directory too.
        QCOMPARE(i.value(QStringLiteral("dirCount")).toInteger(), dirs + 1);
        QCOMPARE(i.value(QStringLiteral("totalBytes")).toInteger(), bytes);

        const QJsonObject b = boot(i);
        QCOMPARE(b.value(QStringLiteral("bootable")).toBool(), true);
        QCOMPARE(b.value(QStringLiteral("reasons")).toArray().size(), 0);
        QCOMPARE(b.value(QStringLiteral("warnings")).toArray().size(), 0);
        QCOMPARE(b.value(QStringLiteral("hasWinload")).toBool(), true);
        QCOMPARE(b.value(QStringLiteral("hasBootmgr")).toBool(), true);
        QCOMPARE(b.value(QStringLiteral("hasBootSdi")).toBool(), true);
        QCOMPARE(b.value(QStringLiteral("hasMediaBcd")).toBool(), true);
        QCOMPARE(b.value(QStringLiteral("bootmgrSize")).toInteger(),
            QFileInfo(tree + QStringLiteral("/Windows/Boot/PCAT/bootmgr")).size());
        QCOMPARE(b.value(QStringLiteral("bootSdiSize")).toInteger(), kDefaultSdiSize);
    }

    void twoImagesBootIndex2()
    {
        FixtureWimOptions o;
        o.fileName = QStringLiteral("two.wim");
        FixtureImage setup;
        setup.name = QStringLiteral("Setup");
        setup.description = QStringLiteral("Windows Setup");
        setup.archCode = kArchX86;
        setup.edition = QStringLiteral("Professional");
        setup.installationType = QStringLiteral("Client");
        setup.major = 6;
        setup.minor = 3;
        setup.build = 9600;
        setup.tree.withBootFiles = false;
        FixtureImage pe;
        pe.name = QStringLiteral("Microsoft Windows PE (x86)");
        pe.archCode = kArchX86;
        pe.tree.seed = 2;
        o.images = { setup, pe };
        o.bootIndex = 2;
        const QJsonObject j = info(build(o));
        QCOMPARE(j.value(QStringLiteral("imageCount")).toInt(), 2);
        QCOMPARE(j.value(QStringLiteral("bootIndex")).toInt(), 2);
        const QJsonObject one = image(j, 1);
        QCOMPARE(one.value(QStringLiteral("name")).toString(), QStringLiteral("Setup"));
        QCOMPARE(
            one.value(QStringLiteral("description")).toString(), QStringLiteral("Windows Setup"));
        QCOMPARE(one.value(QStringLiteral("arch")).toString(), QStringLiteral("x86"));
        QCOMPARE(one.value(QStringLiteral("archCode")).toInt(), 0);
        QCOMPARE(one.value(QStringLiteral("edition")).toString(), QStringLiteral("Professional"));
        QCOMPARE(
            one.value(QStringLiteral("installationType")).toString(), QStringLiteral("Client"));
        QCOMPARE(one.value(QStringLiteral("version")).toString(), QStringLiteral("6.3.9600"));
        QCOMPARE(boot(one).value(QStringLiteral("bootable")).toBool(), false);
        const QJsonObject two = image(j, 2);
        QCOMPARE(two.value(QStringLiteral("index")).toInt(), 2);
        QCOMPARE(two.value(QStringLiteral("name")).toString(), pe.name);
        QCOMPARE(two.value(QStringLiteral("arch")).toString(), QStringLiteral("x86"));
        QCOMPARE(boot(two).value(QStringLiteral("bootable")).toBool(), true);
    }

    void xpress()
    {
        FixtureWimOptions o;
        o.fileName = QStringLiteral("xpress.wim");
        o.compression = FixtureCompression::Xpress;
        const QJsonObject j = info(build(o));
        QCOMPARE(j.value(QStringLiteral("compression")).toString(), QStringLiteral("xpress"));
        QCOMPARE(j.value(QStringLiteral("chunkSize")).toInt(), 32768);
        QCOMPARE(j.value(QStringLiteral("compressionBootable")).toBool(), true);
        QCOMPARE(boot(image(j, 1)).value(QStringLiteral("bootable")).toBool(), true);
    }

    void lzmsSolid()
    {
        FixtureWimOptions o;
        o.fileName = QStringLiteral("solid.esd");
        o.compression = FixtureCompression::LzmsSolid;
        const QJsonObject j = info(build(o));
        QCOMPARE(j.value(QStringLiteral("compression")).toString(), QStringLiteral("lzms"));
        QCOMPARE(j.value(QStringLiteral("solid")).toBool(), true);
        QCOMPARE(j.value(QStringLiteral("solidCompression")).toString(), QStringLiteral("lzms"));
        QCOMPARE(j.value(QStringLiteral("compressionBootable")).toBool(), false);
        const QJsonObject i = image(j, 1);
        QCOMPARE(boot(i).value(QStringLiteral("bootable")).toBool(), false);
        // The boot files are there; compression is the only reason.
        QCOMPARE(boot(i).value(QStringLiteral("hasBootmgr")).toBool(), true);
        const QStringList r = reasons(i);
        QCOMPARE(r.size(), 1);
        QVERIFY2(r.first().contains(QStringLiteral("recompress")), qPrintable(r.first()));
        QVERIFY2(r.first().contains(QStringLiteral("solid")), qPrintable(r.first()));
    }

    void largeChunksAreNotBootable()
    {
        FixtureWimOptions o;
        o.fileName = QStringLiteral("lzx64k.wim");
        o.chunkSize = 65536;
        const QJsonObject j = info(build(o));
        QCOMPARE(j.value(QStringLiteral("chunkSize")).toInt(), 65536);
        QCOMPARE(j.value(QStringLiteral("compressionBootable")).toBool(), false);
        const QStringList r = reasons(image(j, 1));
        QCOMPARE(r.size(), 1);
        QVERIFY2(r.first().contains(QStringLiteral("64 KiB")), qPrintable(r.first()));
    }

    void uncompressedIsNotBootable()
    {
        FixtureWimOptions o;
        o.fileName = QStringLiteral("none.wim");
        o.compression = FixtureCompression::None;
        const QJsonObject j = info(build(o));
        QCOMPARE(j.value(QStringLiteral("compression")).toString(), QStringLiteral("none"));
        QCOMPARE(boot(image(j, 1)).value(QStringLiteral("bootable")).toBool(), false);
    }

    void withoutBootFiles()
    {
        FixtureWimOptions o;
        o.fileName = QStringLiteral("noboot.wim");
        FixtureImage plain;
        plain.tree.withBootFiles = false;
        o.images = { plain };
        const QJsonObject j = info(build(o));
        const QJsonObject b = boot(image(j, 1));
        QCOMPARE(b.value(QStringLiteral("bootable")).toBool(), false);
        QCOMPARE(b.value(QStringLiteral("hasWinload")).toBool(), false);
        QCOMPARE(b.value(QStringLiteral("hasBootmgr")).toBool(), false);
        QCOMPARE(b.value(QStringLiteral("hasBootSdi")).toBool(), false);
        QCOMPARE(b.value(QStringLiteral("hasMediaBcd")).toBool(), false);
        QCOMPARE(b.value(QStringLiteral("bootmgrSize")).toInteger(), -1);
        const QStringList r = reasons(image(j, 1));
        QCOMPARE(r.size(), 3); // winload, bootmgr, boot.sdi: every reason, not just the first
        QVERIFY(r.filter(QStringLiteral("winload.exe")).size() == 1);
        QVERIFY(r.filter(QStringLiteral("\\Windows\\Boot\\PCAT\\bootmgr")).size() == 1);
        QVERIFY(r.filter(QStringLiteral("boot.sdi")).size() == 1);
    }

    void lookupsAreCaseInsensitive()
    {
        FixtureWimOptions o;
        o.fileName = QStringLiteral("case.wim");
        FixtureImage odd;
        odd.tree.withBootFiles = false;
        odd.tree.extraFiles = {
            { QStringLiteral("Windows/BOOT/pcat/BootMgr"), QByteArray(1000, 'b') },
            { QStringLiteral("Windows/BOOT/Dvd/PCAT/BOOT.SDI"), QByteArray(2000, 's') },
            { QStringLiteral("Windows/BOOT/Dvd/PCAT/bcd"), QByteArray(300, 'c') },
            { QStringLiteral("Windows/System32/BOOT/Winload.EXE"), QByteArray(400, 'w') },
        };
        o.images = { odd };
        const QJsonObject b = boot(image(info(build(o)), 1));
        QCOMPARE(b.value(QStringLiteral("bootable")).toBool(), true);
        QCOMPARE(b.value(QStringLiteral("hasMediaBcd")).toBool(), true);
        QCOMPARE(b.value(QStringLiteral("bootmgrSize")).toInt(), 1000);
        QCOMPARE(b.value(QStringLiteral("bootSdiSize")).toInt(), 2000);
    }

    void architectures()
    {
        FixtureWimOptions o;
        o.fileName = QStringLiteral("arch.wim");
        FixtureImage arm;
        arm.archCode = kArchArm64;
        FixtureImage unset;
        unset.archCode = -1;
        o.images = { arm, unset };
        const QJsonObject j = info(build(o));
        const QJsonObject a = image(j, 1);
        QCOMPARE(a.value(QStringLiteral("archCode")).toInt(), 12);
        QCOMPARE(a.value(QStringLiteral("arch")).toString(), QStringLiteral("arm64"));
        QCOMPARE(reasons(a).size(), 1);
        QVERIFY(reasons(a).first().contains(QStringLiteral("arm64")));
        const QJsonObject u = image(j, 2);
        QCOMPARE(u.value(QStringLiteral("archCode")).toInt(), -1);
        QCOMPARE(u.value(QStringLiteral("arch")).toString(), QStringLiteral("unknown"));
        QCOMPARE(boot(u).value(QStringLiteral("bootable")).toBool(), false);
    }

    void integrityTable()
    {
        FixtureWimOptions o;
        o.fileName = QStringLiteral("integrity.wim");
        o.integrity = true;
        QCOMPARE(info(build(o)).value(QStringLiteral("hasIntegrity")).toBool(), true);
    }

    void bigBootmgrWarns()
    {
        FixtureWimOptions o;
        o.fileName = QStringLiteral("bigbootmgr.wim");
        FixtureImage big;
        big.tree.bootmgrSize = 500 * 1024;
        o.images = { big };
        const QJsonObject b = boot(image(info(build(o)), 1));
        QCOMPARE(b.value(QStringLiteral("bootable")).toBool(), true);
        QCOMPARE(b.value(QStringLiteral("bootmgrSize")).toInt(), 500 * 1024);
        const QJsonArray w = b.value(QStringLiteral("warnings")).toArray();
        QCOMPARE(w.size(), 1);
        QVERIFY2(w.first().toString().contains(QStringLiteral("640 KiB")),
            qPrintable(w.first().toString()));
    }

    void splitWim()
    {
        FixtureWimOptions o;
        o.fileName = QStringLiteral("split.swm");
        o.splitPartSize = 1024 * 1024;
        o.targetSize = 3 * 1024 * 1024 + 2 * 1024 * 1024; // sdi + one more big blob
        const QString first = build(o);
        QVERIFY(!first.isEmpty());
        const QStringList parts = splitParts(first);
        QVERIFY2(parts.size() >= 2, qPrintable(parts.join(QLatin1Char(' '))));
        const QJsonObject j = info(first);
        QCOMPARE(j.value(QStringLiteral("partNumber")).toInt(), 1);
        QCOMPARE(j.value(QStringLiteral("totalParts")).toInt(), parts.size());
        QCOMPARE(j.value(QStringLiteral("parts")).toArray().size(), parts.size());
        QCOMPARE(j.value(QStringLiteral("parts")).toArray().at(1).toString(), parts.at(1));
        QCOMPARE(boot(image(j, 1)).value(QStringLiteral("bootable")).toBool(), true);
        // Any part names the split WIM; the images come from part 1.
        const QJsonObject second = info(parts.at(1));
        QCOMPARE(second.value(QStringLiteral("partNumber")).toInt(), 2);
        QCOMPARE(second.value(QStringLiteral("totalParts")).toInt(), parts.size());
        QCOMPARE(second.value(QStringLiteral("imageCount")).toInt(), 1);
        QCOMPARE(
            image(second, 1).value(QStringLiteral("name")).toString(), QStringLiteral("WinPE 1"));
    }

    void apiMatchesCli()
    {
        FixtureWimOptions o;
        o.fileName = QStringLiteral("api.wim");
        const QString wim = build(o);
        Progress progress;
        const Result<wim::WimInfo> r = wim::inspectWim(wim, progress);
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().toString()));
        QCOMPARE(QJsonDocument(r->toJson()).toJson(), QJsonDocument(info(wim)).toJson());
        QVERIFY(r->image(1));
        QVERIFY(!r->image(2));
    }

    void cancelledInspectStops()
    {
        FixtureWimOptions o;
        o.fileName = QStringLiteral("cancel.wim");
        const QString wim = build(o);
        std::stop_source stop;
        stop.request_stop();
        Progress progress(stop.get_token());
        const Result<wim::WimInfo> r = wim::inspectWim(wim, progress);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code(), Errc::Cancelled);
    }
};

QTEST_GUILESS_MAIN(TestWimInspect)
#include "tst_wiminspect.moc"
