// Boot-file extraction: bytes equal the fixture tree's, SHA-256 is right, the memdisk warning,
// image selection, all-or-nothing outputs, and the CLI's JSON.

#include "fixtures.h"
#include "testenv.h"
#include "util/init.h"
#include "wim/bootfiles.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace pecast;
using namespace pecast::test;

namespace {

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QStringList entries(const QString &dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
}

} // namespace

class TestWimExtract : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_twoImages; // image 1 seed 1, image 2 seed 2 (different boot.sdi), boot index 2

private Q_SLOTS:
    void initTestCase()
    {
        initLibraries();
        QVERIFY(m_dir.isValid());
        FixtureWimOptions o;
        o.fileName = QStringLiteral("two.wim");
        o.imageCount = 2;
        o.bootIndex = 2;
        QString error;
        m_twoImages = makeFixtureWim(m_dir.path(), o, &error);
        QVERIFY2(!m_twoImages.isEmpty(), qPrintable(error));
    }

    void bytesAndHashesMatchTheTree()
    {
        const QString out = m_dir.path() + QStringLiteral("/out-default");
        Progress progress;
        const Result<wim::BootFiles> r = wim::extractBootFiles(m_twoImages, 0, out, progress);
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().toString()));
        QCOMPARE(r->imageIndex, 2); // 0 = the boot index
        QCOMPARE(r->files.size(), 3);
        QVERIFY(r->warnings.isEmpty());

        WinPeTreeOptions t;
        t.seed = 2;
        QTemporaryDir treeDir;
        const QString tree = makeWinPeTree(treeDir.path(), t);
        const struct
        {
            const char *role, *source, *output, *inWim;
        } expected[] = {
            { "bootmgr", "Windows/Boot/PCAT/bootmgr", "bootmgr", "\\Windows\\Boot\\PCAT\\bootmgr" },
            { "bootsdi", "Windows/Boot/DVD/PCAT/boot.sdi", "boot.sdi",
                "\\Windows\\Boot\\DVD\\PCAT\\boot.sdi" },
            { "bcd", "Windows/Boot/DVD/PCAT/BCD", "BCD", "\\Windows\\Boot\\DVD\\PCAT\\BCD" },
        };
        for (const auto &e : expected) {
            const wim::BootFile *f = r->find(QLatin1String(e.role));
            QVERIFY2(f, e.role);
            const QByteArray source = readAll(tree + QLatin1Char('/') + QLatin1String(e.source));
            const QString output = QDir(out).absoluteFilePath(QLatin1String(e.output));
            QCOMPARE(f->outputPath, output);
            QCOMPARE(f->pathInWim, QLatin1String(e.inWim));
            QCOMPARE(f->size, source.size());
            QVERIFY(!source.isEmpty());
            QVERIFY(readAll(output) == source);
            QCOMPARE(f->sha256,
                QString::fromLatin1(
                    QCryptographicHash::hash(source, QCryptographicHash::Sha256).toHex()));
        }
        // Only the three outputs: no temporary folder left behind.
        QCOMPARE(entries(out),
            QStringList(
                { QStringLiteral("BCD"), QStringLiteral("boot.sdi"), QStringLiteral("bootmgr") }));
    }

    void chosenIndexIsUsed()
    {
        const QString out1 = m_dir.path() + QStringLiteral("/out-1");
        const QString out2 = m_dir.path() + QStringLiteral("/out-2");
        Progress progress;
        const Result<wim::BootFiles> a = wim::extractBootFiles(m_twoImages, 1, out1, progress);
        const Result<wim::BootFiles> b = wim::extractBootFiles(m_twoImages, 2, out2, progress);
        QVERIFY(a.ok() && b.ok());
        QCOMPARE(a->imageIndex, 1);
        // The images' boot.sdi differ (seed 1 vs 2): the right image was read.
        QVERIFY(a->find(QStringLiteral("bootsdi"))->sha256
            != b->find(QStringLiteral("bootsdi"))->sha256);
        QVERIFY(readAll(out1 + QStringLiteral("/boot.sdi")) == [] {
            WinPeTreeOptions t;
            t.seed = 1;
            QTemporaryDir d;
            return readAll(
                makeWinPeTree(d.path(), t) + QStringLiteral("/Windows/Boot/DVD/PCAT/boot.sdi"));
        }());
    }

    void largeBootmgrWarns()
    {
        FixtureWimOptions o;
        o.fileName = QStringLiteral("big.wim");
        FixtureImage image;
        image.tree.bootmgrSize = 495 * 1024;
        image.tree.withMediaBcd = false;
        o.images = { image };
        const QString wim = makeFixtureWim(m_dir.path(), o);
        const QString out = m_dir.path() + QStringLiteral("/out-big");
        const ProcessResult r = runCli({ QStringLiteral("wim"), QStringLiteral("extract-boot"), wim,
            QStringLiteral("-o"), out, QStringLiteral("--json") });
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.contains("warning: bootmgr is 495 KiB"), r.err.constData());
        const QJsonObject j = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(j.value(QStringLiteral("imageIndex")).toInt(), 1);
        QCOMPARE(j.value(QStringLiteral("warnings")).toArray().size(), 1);
        const QJsonArray files = j.value(QStringLiteral("files")).toArray();
        QCOMPARE(files.size(), 2); // no media BCD in this image: not an error
        QCOMPARE(files.at(0).toObject().value(QStringLiteral("role")).toString(),
            QStringLiteral("bootmgr"));
        QCOMPARE(files.at(0).toObject().value(QStringLiteral("size")).toInt(), 495 * 1024);
        QCOMPARE(QFileInfo(out + QStringLiteral("/bootmgr")).size(), 495 * 1024);
        QCOMPARE(files.at(1).toObject().value(QStringLiteral("sha256")).toString(),
            QString::fromLatin1(QCryptographicHash::hash(
                readAll(out + QStringLiteral("/boot.sdi")), QCryptographicHash::Sha256)
                                    .toHex()));
        QVERIFY(!QFileInfo::exists(out + QStringLiteral("/BCD")));
    }

    void missingBootFilesWriteNothing()
    {
        FixtureWimOptions o;
        o.fileName = QStringLiteral("noboot.wim");
        FixtureImage image;
        image.tree.withBootFiles = false;
        o.images = { image };
        const QString wim = makeFixtureWim(m_dir.path(), o);
        const QString out = m_dir.path() + QStringLiteral("/out-none");
        const ProcessResult r = runCli({ QStringLiteral("wim"), QStringLiteral("extract-boot"), wim,
            QStringLiteral("-o"), out });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("has no \\Windows\\Boot\\PCAT\\bootmgr"), r.err.constData());
        QVERIFY2(r.err.contains("noboot.wim"), r.err.constData());
        QVERIFY(!QFileInfo::exists(out));
    }

    void badIndex()
    {
        const QString out = m_dir.path() + QStringLiteral("/out-badindex");
        ProcessResult r
            = runCli({ QStringLiteral("wim"), QStringLiteral("extract-boot"), m_twoImages,
                QStringLiteral("--index"), QStringLiteral("3"), QStringLiteral("-o"), out });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("has no image 3 (it has 2)"), r.err.constData());
        r = runCli({ QStringLiteral("wim"), QStringLiteral("extract-boot"), m_twoImages,
            QStringLiteral("--index"), QStringLiteral("x"), QStringLiteral("-o"), out });
        QCOMPARE(r.exitCode, 2);
        QVERIFY(!QFileInfo::exists(out));
    }

    void existingOutputsAreKeptUnlessForced()
    {
        const QString out = m_dir.path() + QStringLiteral("/out-exists");
        QDir().mkpath(out);
        QFile sdi(out + QStringLiteral("/boot.sdi"));
        QVERIFY(sdi.open(QIODevice::WriteOnly));
        sdi.write("user data");
        sdi.close();
        const QStringList args { QStringLiteral("wim"), QStringLiteral("extract-boot"), m_twoImages,
            QStringLiteral("-o"), out };
        ProcessResult r = runCli(args);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("already exists"), r.err.constData());
        QVERIFY2(r.err.contains("--force"), r.err.constData());
        QCOMPARE(readAll(out + QStringLiteral("/boot.sdi")), QByteArray("user data"));
        QCOMPARE(entries(out), QStringList { QStringLiteral("boot.sdi") }); // nothing else written
        r = runCli(args + QStringList { QStringLiteral("--force") });
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(QFileInfo(out + QStringLiteral("/boot.sdi")).size(), kDefaultSdiSize);
        QCOMPARE(entries(out).size(), 3);
        // Text output: one line per file with its hash.
        QCOMPARE(r.out.count('\n'), 3);
    }

    void cancelLeavesNoDebris()
    {
        const QString out = m_dir.path() + QStringLiteral("/out-cancel");
        std::stop_source stop;
        Progress progress(
            [&stop](const ProgressEvent &) { stop.request_stop(); }, stop.get_token());
        const Result<wim::BootFiles> r = wim::extractBootFiles(m_twoImages, 2, out, progress);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code(), Errc::Cancelled);
        QVERIFY(entries(out).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestWimExtract)
#include "tst_wimextract.moc"
