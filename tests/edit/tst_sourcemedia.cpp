// Boot media as a source: ISO 9660 images made with xorriso (plain, upper-case 8.3 names) and
// genisoimage (Rock Ridge + Joliet + UDF), a copype working folder with Windows' mixed case,
// and bad input. `pecast source extract` must produce byte-identical files.

#include "fixtures.h"
#include "pipeline/sourceresolve.h"
#include "testenv.h"
#include "testfiles.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace pecast;
using namespace pecast::test;

namespace {

QStringList dirEntries(const QString &dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
}

} // namespace

class TestSourceMedia : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_media; // a media root: bootmgr, boot/bcd, boot/boot.sdi, sources/boot.wim
    QByteArray m_wim, m_bootmgr, m_sdi, m_bcd;

    void verifyExtracted(const QString &dir, bool withBcd = true)
    {
        QCOMPARE(readFile(QDir(dir).filePath(QStringLiteral("boot.wim"))), m_wim);
        QCOMPARE(readFile(QDir(dir).filePath(QStringLiteral("bootmgr"))), m_bootmgr);
        QCOMPARE(readFile(QDir(dir).filePath(QStringLiteral("boot.sdi"))), m_sdi);
        if (withBcd)
            QCOMPARE(readFile(QDir(dir).filePath(QStringLiteral("BCD"))), m_bcd);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        const QString wim = makeFixtureWim(m_dir.filePath(QStringLiteral("wim")), {}, &error);
        QVERIFY2(!wim.isEmpty(), qPrintable(error));
        m_wim = readFile(wim);
        m_bootmgr = pseudoRandomBytes(200 * 1024, 7);
        m_sdi = pseudoRandomBytes(64 * 1024, 8);
        m_bcd = pseudoRandomBytes(16 * 1024, 9);
        m_media = m_dir.filePath(QStringLiteral("media"));
        QVERIFY(writeFile(m_media + QStringLiteral("/sources/boot.wim"), m_wim));
        QVERIFY(writeFile(m_media + QStringLiteral("/bootmgr"), m_bootmgr));
        QVERIFY(writeFile(m_media + QStringLiteral("/boot/boot.sdi"), m_sdi));
        QVERIFY(writeFile(m_media + QStringLiteral("/boot/bcd"), m_bcd));
        QVERIFY(writeFile(m_media + QStringLiteral("/efi/microsoft/boot/bcd"), "efi"));
    }

    void iso9660PlainUpperCase()
    {
        if (findTool(QStringLiteral("xorriso")).isEmpty())
            QSKIP("xorriso is not installed");
        QTemporaryDir work;
        const QString iso = work.filePath(QStringLiteral("winpe.iso"));
        // No Rock Ridge, no Joliet: names are BOOTMGR, BOOT/BOOT.SDI, SOURCES/BOOT.WIM.
        const auto mk = run(findTool(QStringLiteral("xorriso")),
            { QStringLiteral("-as"), QStringLiteral("mkisofs"), QStringLiteral("-quiet"),
                QStringLiteral("-o"), iso, m_media });
        QVERIFY2(mk.exitCode == 0, mk.err.constData());
        const QString out = work.filePath(QStringLiteral("out"));
        const auto r = runCli({ QStringLiteral("source"), QStringLiteral("extract"), iso,
            QStringLiteral("-o"), out, QStringLiteral("-q"), QStringLiteral("--json") });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        verifyExtracted(out);
        const QJsonObject json = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(json.value(QStringLiteral("wim")).toString(),
            QDir(out).filePath(QStringLiteral("boot.wim")));
        QCOMPARE(dirEntries(out),
            (QStringList { QStringLiteral("BCD"), QStringLiteral("boot.sdi"),
                QStringLiteral("boot.wim"), QStringLiteral("bootmgr") }));
        QCOMPARE(dirEntries(work.path()),
            (QStringList { QStringLiteral("out"), QStringLiteral("winpe.iso") }));
    }

    void iso9660RockRidgeJolietUdf()
    {
        if (findTool(QStringLiteral("genisoimage")).isEmpty())
            QSKIP("genisoimage is not installed");
        QTemporaryDir work;
        const QString iso = work.filePath(QStringLiteral("hybrid.iso"));
        const auto mk = run(findTool(QStringLiteral("genisoimage")),
            { QStringLiteral("-quiet"), QStringLiteral("-R"), QStringLiteral("-J"),
                QStringLiteral("-udf"), QStringLiteral("-o"), iso, m_media });
        QVERIFY2(mk.exitCode == 0, mk.err.constData());
        // The core API resolves into a folder the caller owns.
        QTemporaryDir temp;
        Progress progress;
        auto resolved = pipeline::resolveSource(iso, temp.path(), progress);
        QVERIFY2(resolved.ok(), resolved.ok() ? "" : qPrintable(resolved.error().toString()));
        QCOMPARE(resolved->kind, wim::SourceKind::Iso);
        QCOMPARE(readFile(resolved->wimPath), m_wim);
        QCOMPARE(readFile(resolved->bootmgrPath), m_bootmgr);
        QCOMPARE(readFile(resolved->sdiPath), m_sdi);
        QCOMPARE(readFile(resolved->bcdPath), m_bcd);
    }

    void adkFolderMixedCase()
    {
        QTemporaryDir work;
        // copype amd64 C:\WinPE_amd64: media\Boot\BCD, media\Boot\boot.sdi, media\bootmgr,
        // media\sources\boot.wim, plus fwfiles\ and mount\.
        const QString adk = work.filePath(QStringLiteral("WinPE_amd64"));
        QVERIFY(writeFile(adk + QStringLiteral("/media/sources/boot.wim"), m_wim));
        QVERIFY(writeFile(adk + QStringLiteral("/media/bootmgr"), m_bootmgr));
        QVERIFY(writeFile(adk + QStringLiteral("/media/Boot/boot.sdi"), m_sdi));
        QVERIFY(writeFile(adk + QStringLiteral("/media/Boot/BCD"), m_bcd));
        QVERIFY(writeFile(adk + QStringLiteral("/fwfiles/etfsboot.com"), "boot"));
        QVERIFY(QDir(adk).mkpath(QStringLiteral("mount")));

        Progress progress;
        auto resolved = pipeline::resolveSource(adk, work.path(), progress);
        QVERIFY2(resolved.ok(), resolved.ok() ? "" : qPrintable(resolved.error().toString()));
        QCOMPARE(resolved->kind, wim::SourceKind::AdkFolder);
        // Folders are used in place.
        QCOMPARE(resolved->wimPath, adk + QStringLiteral("/media/sources/boot.wim"));
        QCOMPARE(resolved->sdiPath, adk + QStringLiteral("/media/Boot/boot.sdi"));

        // An existing empty output folder is fine.
        const QString out = work.filePath(QStringLiteral("out"));
        QVERIFY(QDir().mkpath(out));
        const auto r = runCli({ QStringLiteral("source"), QStringLiteral("extract"), adk,
            QStringLiteral("-o"), out, QStringLiteral("-q") });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        verifyExtracted(out);
    }

    void badInput()
    {
        QTemporaryDir work;
        // A folder without boot.wim.
        const QString empty = work.filePath(QStringLiteral("empty"));
        QVERIFY(writeFile(empty + QStringLiteral("/readme.txt"), "x"));
        auto r = runCli({ QStringLiteral("source"), QStringLiteral("extract"), empty,
            QStringLiteral("-o"), work.filePath(QStringLiteral("o1")) });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("boot.wim"), r.err.constData());

        // Media with boot.wim but without boot.sdi.
        const QString partial = work.filePath(QStringLiteral("partial"));
        QVERIFY(writeFile(partial + QStringLiteral("/sources/boot.wim"), m_wim));
        QVERIFY(writeFile(partial + QStringLiteral("/bootmgr"), m_bootmgr));
        r = runCli({ QStringLiteral("source"), QStringLiteral("extract"), partial,
            QStringLiteral("-o"), work.filePath(QStringLiteral("o2")) });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("boot/boot.sdi"), r.err.constData());

        // Not an ISO at all.
        const QString junk = work.filePath(QStringLiteral("junk.iso"));
        QVERIFY(writeFile(junk, pseudoRandomBytes(128 * 1024, 3)));
        r = runCli({ QStringLiteral("source"), QStringLiteral("extract"), junk,
            QStringLiteral("-o"), work.filePath(QStringLiteral("o3")) });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("not a WIM, an ISO"), r.err.constData());

        // A non-empty output folder is refused and left alone.
        const QString full = work.filePath(QStringLiteral("full"));
        QVERIFY(writeFile(full + QStringLiteral("/keep"), "keep"));
        r = runCli({ QStringLiteral("source"), QStringLiteral("extract"), m_media,
            QStringLiteral("-o"), full });
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(dirEntries(full), QStringList { QStringLiteral("keep") });

        QCOMPARE(dirEntries(work.path()),
            (QStringList { QStringLiteral("empty"), QStringLiteral("full"),
                QStringLiteral("junk.iso"), QStringLiteral("partial") }));
    }

    // Cancel during extraction: no output folder, no staging folder.
    void cancelLeavesNothing()
    {
        QTemporaryDir work;
        std::stop_source stop;
        Progress progress(
            [&](const ProgressEvent &event) {
                if (event.stage.startsWith(QLatin1String("Copying")))
                    stop.request_stop();
            },
            stop.get_token());
        auto r = pipeline::extractSource(m_media, work.filePath(QStringLiteral("out")), progress);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code(), Errc::Cancelled);
        QCOMPARE(dirEntries(work.path()), QStringList());
    }
};

QTEST_GUILESS_MAIN(TestSourceMedia)
#include "tst_sourcemedia.moc"
