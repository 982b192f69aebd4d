// WIM customization through the CLI (pecast wim add/delete/rename/export/set-boot-index/
// edit-text) and the core API (cancel). Results are checked with wimlib's own command-line tools
// (wimextract, wimdir, wiminfo), not with PEcast's reader.

#include "cancelatstage.h"
#include "fixtures.h"
#include "testenv.h"
#include "util/filehash.h"
#include "wim/wimedit.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace pecast;
using namespace pecast::test;

namespace {

QStringList dirEntries(const QString &dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
}

QByteArray sha(const QString &path)
{
    auto hash = sha256File(path);
    return hash ? QByteArray(hash->toUtf8()) : QByteArray();
}

} // namespace

class TestWimEdit : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_wim; // two images, boot index 1
    QByteArray m_wimHash;

    QByteArray extract(const QString &wim, int image, const QString &path)
    {
        const auto r = run(findTool(QStringLiteral("wimextract")),
            { wim, QString::number(image), path, QStringLiteral("--to-stdout") });
        if (r.exitCode != 0)
            return QByteArray("<missing>");
        return r.out;
    }

    QString listing(const QString &wim, int image)
    {
        const auto r = run(findTool(QStringLiteral("wimdir")), { wim, QString::number(image) });
        return QString::fromUtf8(r.out);
    }

    QString info(const QString &wim)
    {
        return QString::fromUtf8(run(findTool(QStringLiteral("wiminfo")), { wim }).out);
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (findTool(QStringLiteral("wimextract")).isEmpty())
            QSKIP("wimtools (wimextract, wimdir, wiminfo) are needed to check results");
        QVERIFY(m_dir.isValid());
        FixtureWimOptions options;
        options.imageCount = 2;
        QString error;
        m_wim = makeFixtureWim(m_dir.path(), options, &error);
        QVERIFY2(!m_wim.isEmpty(), qPrintable(error));
        m_wimHash = sha(m_wim);
    }

    void cleanup()
    {
        // The source WIM is only ever read.
        QCOMPARE(sha(m_wim), m_wimHash);
    }

    void addFileAndFolder()
    {
        QTemporaryDir work;
        QFile tool(work.filePath(QStringLiteral("tool.exe")));
        QVERIFY(tool.open(QIODevice::WriteOnly));
        tool.write("MZ tool");
        tool.close();
        QDir(work.path()).mkpath(QStringLiteral("drivers/net"));
        QFile inf(work.filePath(QStringLiteral("drivers/net/e1000.inf")));
        QVERIFY(inf.open(QIODevice::WriteOnly));
        inf.write("[Version]");
        inf.close();

        const QString out1 = work.filePath(QStringLiteral("one.wim"));
        auto r = runCli({ QStringLiteral("wim"), QStringLiteral("add"), m_wim, tool.fileName(),
            QStringLiteral("\\Tools\\tool.exe"), QStringLiteral("-o"), out1,
            QStringLiteral("-q") });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(extract(out1, 1, QStringLiteral("/Tools/tool.exe")), QByteArray("MZ tool"));
        // Other images are untouched.
        QVERIFY(!listing(out1, 2).contains(QStringLiteral("tool.exe")));

        const QString out2 = work.filePath(QStringLiteral("two.wim"));
        r = runCli({ QStringLiteral("wim"), QStringLiteral("add"), out1,
            work.filePath(QStringLiteral("drivers")), QStringLiteral("/Drivers"),
            QStringLiteral("--index"), QStringLiteral("2"), QStringLiteral("-o"), out2,
            QStringLiteral("-q") });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(
            extract(out2, 2, QStringLiteral("/Drivers/net/e1000.inf")), QByteArray("[Version]"));
        QCOMPARE(extract(out2, 1, QStringLiteral("/Tools/tool.exe")), QByteArray("MZ tool"));
        // Existing content survived.
        QVERIFY(listing(out2, 2).contains(QStringLiteral("/Windows/System32/startnet.cmd")));
    }

    void deleteAndRename()
    {
        QTemporaryDir work;
        const QString deleted = work.filePath(QStringLiteral("deleted.wim"));
        auto r = runCli({ QStringLiteral("wim"), QStringLiteral("delete"), m_wim,
            QStringLiteral("\\Windows\\System32\\startnet.cmd"), QStringLiteral("-o"), deleted,
            QStringLiteral("-q") });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(!listing(deleted, 1).contains(QStringLiteral("startnet.cmd")));
        QVERIFY(listing(deleted, 2).contains(QStringLiteral("startnet.cmd")));

        const QString renamed = work.filePath(QStringLiteral("renamed.wim"));
        r = runCli({ QStringLiteral("wim"), QStringLiteral("rename"), m_wim,
            QStringLiteral("/Windows/System32/startnet.cmd"),
            QStringLiteral("/Windows/System32/startnet.old"), QStringLiteral("-o"), renamed,
            QStringLiteral("-q") });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(extract(renamed, 1, QStringLiteral("/Windows/System32/startnet.old")),
            extract(m_wim, 1, QStringLiteral("/Windows/System32/startnet.cmd")));
        QVERIFY(!listing(renamed, 1).contains(QStringLiteral("startnet.cmd")));

        // A path that does not exist: a clear error and no output, no debris.
        const QString bad = work.filePath(QStringLiteral("bad.wim"));
        r = runCli({ QStringLiteral("wim"), QStringLiteral("delete"), m_wim,
            QStringLiteral("/No/Such/Path"), QStringLiteral("-o"), bad, QStringLiteral("-q") });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("/No/Such/Path"), r.err.constData());
        QCOMPARE(dirEntries(work.path()),
            (QStringList { QStringLiteral("deleted.wim"), QStringLiteral("renamed.wim") }));
    }

    // The original recipe's use case: WinPE joins a WDS multicast session at start.
    void editStartnetForWdsMulticast()
    {
        QTemporaryDir work;
        const QString script = work.filePath(QStringLiteral("startnet.cmd"));
        QFile file(script);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("wpeinit\nwdsmcast /transfer-file /server:wds01 /namespace:WinPE "
                   "/username:lab\\imager /password:x /sourcefile:install.wim "
                   "/destinationfile:X:\\install.wim\n");
        file.close();
        const QString out = work.filePath(QStringLiteral("wds.wim"));
        const auto r = runCli({ QStringLiteral("wim"), QStringLiteral("edit-text"), m_wim,
            QStringLiteral("\\Windows\\System32\\startnet.cmd"), QStringLiteral("--from"), script,
            QStringLiteral("-o"), out, QStringLiteral("-q") });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QByteArray text = extract(out, 1, QStringLiteral("/Windows/System32/startnet.cmd"));
        QVERIFY(text.startsWith("wpeinit\r\nwdsmcast /transfer-file /server:wds01"));
        QVERIFY(text.endsWith("X:\\install.wim\r\n"));
        QCOMPARE(text.count('\n'), text.count("\r\n"));

        // winpeshl.ini does not exist in the fixture: edit-text creates it.
        const QString ini = work.filePath(QStringLiteral("winpeshl.ini"));
        QFile iniFile(ini);
        QVERIFY(iniFile.open(QIODevice::WriteOnly));
        iniFile.write("[LaunchApps]\r\n%SYSTEMDRIVE%\\Windows\\System32\\cmd.exe\r\n");
        iniFile.close();
        const QString out2 = work.filePath(QStringLiteral("shell.wim"));
        const auto r2 = runCli({ QStringLiteral("wim"), QStringLiteral("edit-text"), out,
            QStringLiteral("/Windows/System32/winpeshl.ini"), QStringLiteral("--from"), ini,
            QStringLiteral("-o"), out2, QStringLiteral("-q") });
        QVERIFY2(r2.exitCode == 0, r2.err.constData());
        QCOMPARE(extract(out2, 1, QStringLiteral("/Windows/System32/winpeshl.ini")),
            QByteArray("[LaunchApps]\r\n%SYSTEMDRIVE%\\Windows\\System32\\cmd.exe\r\n"));
    }

    // One image alone, recompressed (core API: `pecast wim export` is the WIM module's command).
    void exportOneImageRecompressed()
    {
        QTemporaryDir work;
        wim::WimEditRequest request;
        request.input = m_wim;
        request.output = work.filePath(QStringLiteral("two.wim"));
        request.image = 2;
        request.onlyImage = true;
        request.compression = wim::WimCompression::Xpress;
        Progress progress;
        const Status s = wim::editWim(request, progress);
        QVERIFY2(s.ok(), s.ok() ? "" : qPrintable(s.error().toString()));
        const QString text = info(request.output);
        QVERIFY2(text.contains(QRegularExpression(QStringLiteral("Image Count:\\s+1"))),
            qPrintable(text));
        QVERIFY2(text.contains(QRegularExpression(QStringLiteral("Boot Index:\\s+1"))),
            qPrintable(text));
        QVERIFY2(text.contains(QRegularExpression(QStringLiteral("Compression:\\s+XPRESS"))),
            qPrintable(text));
        QVERIFY2(text.contains(QRegularExpression(QStringLiteral("Chunk Size:\\s+32768"))),
            qPrintable(text));
        QCOMPARE(extract(request.output, 1, QStringLiteral("/Windows/Boot/DVD/PCAT/boot.sdi")),
            extract(m_wim, 2, QStringLiteral("/Windows/Boot/DVD/PCAT/boot.sdi")));

        // One image alone with changes (what the wizard's Customize page asks for): wimlib
        // refuses to update an exported image, so the changes must land before the export.
        wim::WimEditRequest custom = request;
        custom.output = work.filePath(QStringLiteral("custom.wim"));
        custom.compression = wim::WimCompression::Keep;
        custom.changes.push_back(wim::WimChange::writeFile(
            QStringLiteral("/Windows/System32/startnet.cmd"), QByteArray("wpeinit\r\nexit\r\n")));
        custom.changes.push_back(
            wim::WimChange::remove(QStringLiteral("/Windows/Boot/DVD/PCAT/boot.sdi")));
        const Status cs = wim::editWim(custom, progress);
        QVERIFY2(cs.ok(), cs.ok() ? "" : qPrintable(cs.error().toString()));
        QVERIFY(
            info(custom.output).contains(QRegularExpression(QStringLiteral("Image Count:\\s+1"))));
        QCOMPARE(extract(custom.output, 1, QStringLiteral("/Windows/System32/startnet.cmd")),
            QByteArray("wpeinit\r\nexit\r\n"));
        QCOMPARE(extract(custom.output, 1, QStringLiteral("/Windows/Boot/DVD/PCAT/boot.sdi")),
            QByteArray("<missing>"));
        // The source WIM is unchanged on disk.
        QVERIFY(extract(m_wim, 2, QStringLiteral("/Windows/Boot/DVD/PCAT/boot.sdi"))
            != QByteArray("<missing>"));

        // Back to LZX 32 KiB, the bootable default, through the CLI while deleting a file.
        const QString lzx = work.filePath(QStringLiteral("lzx.wim"));
        const auto r = runCli({ QStringLiteral("wim"), QStringLiteral("delete"), request.output,
            QStringLiteral("/Windows/System32/startnet.cmd"), QStringLiteral("--compress"),
            QStringLiteral("lzx"), QStringLiteral("-o"), lzx, QStringLiteral("-q") });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(info(lzx).contains(QRegularExpression(QStringLiteral("Compression:\\s+LZX"))));
        QCOMPARE(extract(lzx, 1, QStringLiteral("/Windows/Boot/DVD/PCAT/boot.sdi")),
            extract(m_wim, 2, QStringLiteral("/Windows/Boot/DVD/PCAT/boot.sdi")));

        // An unknown compression is a usage error.
        const auto r3 = runCli({ QStringLiteral("wim"), QStringLiteral("delete"), m_wim,
            QStringLiteral("/x"), QStringLiteral("--compress"), QStringLiteral("zip"),
            QStringLiteral("-o"), work.filePath(QStringLiteral("x.wim")) });
        QCOMPARE(r3.exitCode, 2);
    }

    void setBootIndex()
    {
        QTemporaryDir work;
        const QString out = work.filePath(QStringLiteral("boot2.wim"));
        const auto r = runCli({ QStringLiteral("wim"), QStringLiteral("set-boot-index"), m_wim,
            QStringLiteral("2"), QStringLiteral("-o"), out, QStringLiteral("-q") });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(info(out).contains(QRegularExpression(QStringLiteral("Boot Index:\\s+2"))));
        const auto bad = runCli({ QStringLiteral("wim"), QStringLiteral("set-boot-index"), m_wim,
            QStringLiteral("7"), QStringLiteral("-o"), work.filePath(QStringLiteral("x.wim")) });
        QCOMPARE(bad.exitCode, 1);
        QCOMPARE(dirEntries(work.path()), QStringList { QStringLiteral("boot2.wim") });
    }

    void refusesExistingOutput()
    {
        QTemporaryDir work;
        const QString out = work.filePath(QStringLiteral("exists.wim"));
        QFile f(out);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("keep me");
        f.close();
        auto r = runCli({ QStringLiteral("wim"), QStringLiteral("delete"), m_wim,
            QStringLiteral("/Windows/System32/startnet.cmd"), QStringLiteral("-o"), out });
        QCOMPARE(r.exitCode, 1);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("keep me"));
        f.close();
        r = runCli({ QStringLiteral("wim"), QStringLiteral("delete"), m_wim,
            QStringLiteral("/Windows/System32/startnet.cmd"), QStringLiteral("-o"), out,
            QStringLiteral("--force"), QStringLiteral("-q") });
        QCOMPARE(r.exitCode, 0);
        QVERIFY(!listing(out, 1).contains(QStringLiteral("startnet.cmd")));
        QCOMPARE(dirEntries(work.path()), QStringList { QStringLiteral("exists.wim") });
    }

    // Cancel while the new WIM is being written: Errc::Cancelled, no output, no temporary file.
    void cancelLeavesNothing()
    {
        QTemporaryDir work;
        CancelAtStage cancel(QStringLiteral("Writing"));
        wim::WimEditRequest request;
        request.input = m_wim;
        request.output = work.filePath(QStringLiteral("cancelled.wim"));
        request.compression = wim::WimCompression::Xpress; // forces every byte to be rewritten
        request.changes.push_back(wim::WimChange::writeFile(
            QStringLiteral("/Windows/System32/startnet.cmd"), "wpeinit\r\n"));
        const Status s = wim::editWim(request, cancel.progress());
        QVERIFY(cancel.reached());
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code(), Errc::Cancelled);
        QCOMPARE(dirEntries(work.path()), QStringList());
    }

    void windowsText()
    {
        QCOMPARE(wim::toWindowsText("a\nb\r\nc"), QByteArray("a\r\nb\r\nc\r\n"));
        QCOMPARE(wim::toWindowsText(""), QByteArray());
    }
};

QTEST_GUILESS_MAIN(TestWimEdit)
#include "tst_wimedit.moc"
