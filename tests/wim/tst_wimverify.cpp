// Integrity verification (with progress, cancellable, detects corruption) and image export.

#include "fixtures.h"
#include "testenv.h"
#include "util/init.h"
#include "wim/wimexport.h"
#include "wim/wiminspect.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace pecast;
using namespace pecast::test;

namespace {

QStringList entries(const QString &dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
}

// Flips bytes in the middle of the file, where the incompressible boot.sdi data lies.
bool corrupt(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadWrite))
        return false;
    const qint64 at = file.size() / 2;
    file.seek(at);
    QByteArray bytes = file.read(16);
    for (char &c : bytes)
        c = char(~c);
    file.seek(at);
    return file.write(bytes) == 16;
}

} // namespace

class TestWimVerify : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString fixture(const FixtureWimOptions &o, const QString &subdir)
    {
        QString error;
        const QString wim = makeFixtureWim(m_dir.path() + QLatin1Char('/') + subdir, o, &error);
        if (wim.isEmpty())
            qWarning() << error;
        return wim;
    }

private Q_SLOTS:
    void initTestCase()
    {
        initLibraries();
        QVERIFY(m_dir.isValid());
    }

    void verifyReportsBytes_data()
    {
        QTest::addColumn<bool>("integrity");
        QTest::newRow("integrity table") << true;
        QTest::newRow("no table") << false;
    }

    void verifyReportsBytes()
    {
        QFETCH(bool, integrity);
        FixtureWimOptions o;
        o.integrity = integrity;
        const QString wim = fixture(o, QString::number(integrity));
        QStringList stages;
        qint64 lastDone = 0, lastTotal = 0;
        Progress progress([&](const ProgressEvent &e) {
            if (stages.isEmpty() || stages.last() != e.stage)
                stages.append(e.stage);
            lastDone = e.done;
            lastTotal = e.total;
        });
        const Status s = wim::verifyIntegrity(wim, progress);
        QVERIFY2(s.ok(), s.ok() ? "" : qPrintable(s.error().toString()));
        QVERIFY2(
            stages.contains(QStringLiteral("Verifying WIM data")), qPrintable(stages.join(',')));
        QCOMPARE(stages.contains(QStringLiteral("Checking the integrity table")), integrity);
        QVERIFY(lastTotal >= kDefaultSdiSize);
        QCOMPARE(lastDone, lastTotal);

        const ProcessResult r = runCli({ QStringLiteral("wim"), QStringLiteral("info"), wim,
            QStringLiteral("--verify"), QStringLiteral("--json"), QStringLiteral("-q") });
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("\"verified\": true"));
    }

    void corruptionIsDetected_data()
    {
        QTest::addColumn<bool>("integrity");
        QTest::newRow("integrity table") << true;
        QTest::newRow("blob hashes") << false;
    }

    void corruptionIsDetected()
    {
        QFETCH(bool, integrity);
        FixtureWimOptions o;
        o.integrity = integrity;
        const QString wim = fixture(o, QStringLiteral("corrupt%1").arg(integrity));
        QVERIFY(corrupt(wim));
        Progress progress;
        const Status s = wim::verifyIntegrity(wim, progress);
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code(), Errc::BadFormat);
        QVERIFY2(s.error().toString().contains(wim), qPrintable(s.error().toString()));
        const ProcessResult r = runCli(
            { QStringLiteral("wim"), QStringLiteral("info"), wim, QStringLiteral("--verify") });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("error:") && r.err.contains("hint:"), r.err.constData());
        QVERIFY(r.out.isEmpty());
    }

    void verifyCancels()
    {
        FixtureWimOptions o;
        o.integrity = true;
        const QString wim = fixture(o, QStringLiteral("cancel"));
        std::stop_source stop;
        int events = 0;
        Progress progress(
            [&](const ProgressEvent &) {
                ++events;
                stop.request_stop();
            },
            stop.get_token());
        const Status s = wim::verifyIntegrity(wim, progress);
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code(), Errc::Cancelled);
        QVERIFY(events >= 1);
    }

    void exportKeepsCompression()
    {
        FixtureWimOptions o;
        o.fileName = QStringLiteral("two.wim");
        o.imageCount = 2;
        o.bootIndex = 2;
        o.compression = FixtureCompression::Xpress;
        const QString src = fixture(o, QStringLiteral("export"));
        const QString dst = m_dir.path() + QStringLiteral("/export/out.wim");
        Progress progress;
        Status s = wim::exportImage(src, 0, dst, {}, progress);
        QVERIFY2(s.ok(), s.ok() ? "" : qPrintable(s.error().toString()));
        const Result<wim::WimInfo> info = wim::inspectWim(dst, progress);
        QVERIFY(info.ok());
        QCOMPARE(info->imageCount, 1);
        QCOMPARE(info->bootIndex, 1);
        QCOMPARE(info->compression, QStringLiteral("xpress"));
        QCOMPARE(info->chunkSize, 32768u);
        QCOMPARE(info->images.first().name, QStringLiteral("WinPE 2"));
        QVERIFY(info->images.first().boot.bootable);
        // The exported boot.sdi is image 2's.
        const Result<QByteArray> sdi
            = wim::readFile(dst, 1, QStringLiteral("\\windows\\boot\\dvd\\pcat\\BOOT.SDI"));
        QVERIFY(sdi.ok());
        const Result<QByteArray> original
            = wim::readFile(src, 2, QStringLiteral("/Windows/Boot/DVD/PCAT/boot.sdi"));
        QVERIFY(original.ok());
        QCOMPARE(sdi->size(), kDefaultSdiSize);
        QVERIFY(*sdi == *original);

        // An existing output is refused and left alone; overwrite replaces it.
        s = wim::exportImage(src, 1, dst, {}, progress);
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code(), Errc::Exists);
        QCOMPARE(wim::inspectWim(dst, progress)->images.first().name, QStringLiteral("WinPE 2"));
        wim::ExportOptions replace;
        replace.overwrite = true;
        s = wim::exportImage(src, 1, dst, replace, progress);
        QVERIFY(s.ok());
        QCOMPARE(wim::inspectWim(dst, progress)->images.first().name, QStringLiteral("WinPE 1"));
        QCOMPARE(entries(QFileInfo(dst).absolutePath()).size(), 2); // two.wim, out.wim
    }

    void exportRecompressesSolid()
    {
        FixtureWimOptions o;
        o.fileName = QStringLiteral("solid.esd");
        o.compression = FixtureCompression::LzmsSolid;
        const QString src = fixture(o, QStringLiteral("solid"));
        const QString dst = m_dir.path() + QStringLiteral("/solid/boot.wim");
        const ProcessResult r = runCli({ QStringLiteral("wim"), QStringLiteral("export"), src,
            QStringLiteral("-o"), dst, QStringLiteral("-q") });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        Progress progress;
        const Result<wim::WimInfo> info = wim::inspectWim(dst, progress);
        QVERIFY(info.ok());
        QCOMPARE(info->compression, QStringLiteral("lzx"));
        QCOMPARE(info->chunkSize, 32768u);
        QVERIFY(!info->solid);
        QVERIFY(info->compressionBootable);
        QVERIFY(info->images.first().boot.bootable);
        QVERIFY(wim::verifyIntegrity(dst, progress).ok());
    }

    void exportCompressFlag_data()
    {
        QTest::addColumn<QStringList>("flags");
        QTest::addColumn<QString>("expected");
        QTest::newRow("xpress") << QStringList { QStringLiteral("--compress"),
            QStringLiteral("xpress") }
                                << QStringLiteral("xpress");
        QTest::newRow("lzx") << QStringList { QStringLiteral("--compress"), QStringLiteral("LZX") }
                             << QStringLiteral("lzx");
        QTest::newRow("--lzx alias")
            << QStringList { QStringLiteral("--lzx") } << QStringLiteral("lzx");
        QTest::newRow("keep") << QStringList {} << QStringLiteral("none");
    }
    void exportCompressFlag()
    {
        QFETCH(QStringList, flags);
        QFETCH(QString, expected);
        FixtureWimOptions o;
        o.fileName = QStringLiteral("plain.wim");
        o.compression = FixtureCompression::None; // neither target: every flag must recompress
        const QString src = fixture(o, QStringLiteral("compress"));
        QVERIFY(!src.isEmpty());
        const QString dst = m_dir.path()
            + QStringLiteral("/compress/out-%1.wim")
                  .arg(QString::fromLatin1(QTest::currentDataTag()));
        const ProcessResult r
            = runCli(QStringList { QStringLiteral("wim"), QStringLiteral("export"), src,
                         QStringLiteral("--index"), QStringLiteral("1"), QStringLiteral("-o"), dst,
                         QStringLiteral("-q") }
                + flags);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const ProcessResult info = runCli(
            { QStringLiteral("wim"), QStringLiteral("info"), QStringLiteral("--json"), dst });
        QVERIFY2(info.exitCode == 0, info.err.constData());
        const QJsonObject json = QJsonDocument::fromJson(info.out).object();
        QCOMPARE(json.value(QStringLiteral("compression")).toString(), expected);
        if (expected != QLatin1String("none")) {
            QCOMPARE(json.value(QStringLiteral("chunkSize")).toInt(), 32768);
            QVERIFY(json.value(QStringLiteral("compressionBootable")).toBool());
        }
    }

    void exportCompressRejectsOthers()
    {
        const ProcessResult r = runCli({ QStringLiteral("wim"), QStringLiteral("export"),
            m_dir.path() + QStringLiteral("/missing.wim"), QStringLiteral("--compress"),
            QStringLiteral("lzms"), QStringLiteral("-o"),
            m_dir.path() + QStringLiteral("/x.wim") });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("lzx or xpress"), r.err.constData());
        QVERIFY(!QFileInfo::exists(m_dir.path() + QStringLiteral("/x.wim")));
    }

    void exportCancelLeavesNoDebris()
    {
        FixtureWimOptions o;
        o.compression = FixtureCompression::Xpress;
        const QString src = fixture(o, QStringLiteral("export-cancel"));
        const QString outDir = m_dir.path() + QStringLiteral("/export-cancel-out");
        QDir().mkpath(outDir);
        std::stop_source stop;
        Progress progress([&](const ProgressEvent &) { stop.request_stop(); }, stop.get_token());
        wim::ExportOptions lzx;
        lzx.compression = wim::ExportOptions::Compression::Lzx32k;
        const Status s = wim::exportImage(src, 1, outDir + QStringLiteral("/x.wim"), lzx, progress);
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code(), Errc::Cancelled);
        QVERIFY2(entries(outDir).isEmpty(), qPrintable(entries(outDir).join(' ')));
    }
};

QTEST_GUILESS_MAIN(TestWimVerify)
#include "tst_wimverify.moc"
