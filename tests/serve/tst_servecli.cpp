// `pecast serve` as a user runs it: it prints the URLs, script and DHCP snippets, serves what it
// printed, stops cleanly on SIGINT, and fails with a clear message for a taken port or missing
// files.

#include "httptestclient.h"
#include "testenv.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <signal.h>

using namespace pecast;
using pecast::test::HttpTestClient;

namespace {

QByteArray get(const QByteArray &target)
{
    return "GET " + target + " HTTP/1.1\r\nHost: t\r\n\r\n";
}

} // namespace

class TestServeCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_image, m_memdisk, m_extra;

    static bool writeFile(const QString &path, const QByteArray &data)
    {
        QFile f(path);
        return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_image = m_dir.filePath(QStringLiteral("pe.img"));
        m_memdisk = m_dir.filePath(QStringLiteral("memdisk.bin"));
        m_extra = m_dir.filePath(QStringLiteral("undionly.kpxe"));
        QVERIFY(writeFile(m_image, QByteArray(3 * 1024 * 1024 + 7, 'I')));
        QVERIFY(writeFile(m_memdisk, QByteArray("MEMDISK")));
        QVERIFY(writeFile(m_extra, QByteArray("IPXE")));
    }

    void servesPrintsAndStopsOnSigint()
    {
        QProcess serve;
        serve.setProgram(test::cliPath());
        serve.setArguments({ QStringLiteral("serve"), QStringLiteral("--image"), m_image,
            QStringLiteral("--memdisk"), m_memdisk, QStringLiteral("--bind"),
            QStringLiteral("127.0.0.1"), QStringLiteral("--http-port"), QStringLiteral("0"),
            QStringLiteral("--memdisk-args"), QStringLiteral("raw harddisk"),
            QStringLiteral("--publish"), QStringLiteral("undionly.kpxe=") + m_extra });
        serve.start();
        QVERIFY(serve.waitForStarted(10000));
        QByteArray out;
        QTRY_VERIFY_WITH_TIMEOUT(
            (out += serve.readAllStandardOutput()).contains("Press Ctrl-C"), 15000);

        const auto match
            = QRegularExpression(QStringLiteral("on port (\\d+)")).match(QString::fromUtf8(out));
        QVERIFY2(match.hasMatch(), out.constData());
        const quint16 port = quint16(match.captured(1).toUInt());
        const QByteArray url = "http://127.0.0.1:" + QByteArray::number(port) + "/boot.ipxe";
        QVERIFY2(out.contains("  " + url), out.constData());
        QVERIFY(out.contains("dhcp && chain " + url));
        QVERIFY(out.contains("dhcp-boot=tag:ipxe," + url));
        QVERIFY(out.contains("filename \"" + url + "\";"));
        QVERIFY(out.contains("kernel memdisk raw harddisk"));

        HttpTestClient c(port);
        QVERIFY(c.send(get("/boot.ipxe") + get("/memdisk") + "HEAD /image.img HTTP/1.1\r\n\r\n"
            + get("/undionly.kpxe")));
        auto script = c.read();
        QVERIFY(script);
        QCOMPARE(script->status, 200);
        QVERIFY(script->body.startsWith("#!ipxe\n"));
        QVERIFY(out.contains(script->body)); // the printed script is the served one
        auto memdisk = c.read();
        QVERIFY(memdisk);
        QCOMPARE(memdisk->body, QByteArray("MEMDISK"));
        auto image = c.read(true);
        QVERIFY(image);
        QCOMPARE(image->header("content-length"), QByteArray::number(3 * 1024 * 1024 + 7));
        auto extra = c.read();
        QVERIFY(extra);
        QCOMPARE(extra->body, QByteArray("IPXE"));
        c.close();

        // The access log shows the requests.
        QTRY_VERIFY_WITH_TIMEOUT((out += serve.readAllStandardOutput())
                                     .contains("\"GET /undionly.kpxe HTTP/1.1\" 200 4"),
            10000);

        ::kill(pid_t(serve.processId()), SIGINT);
        QVERIFY(serve.waitForFinished(15000));
        out += serve.readAllStandardOutput();
        QCOMPARE(serve.exitStatus(), QProcess::NormalExit);
        QCOMPARE(serve.exitCode(), 0);
        QVERIFY2(out.contains("Stopped. 4 requests"), out.constData());
        // The port is released.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, port));
    }

    void portInUse()
    {
        QTcpServer holder;
        QVERIFY(holder.listen(QHostAddress::LocalHost, 0));
        const auto r = test::runCli({ QStringLiteral("serve"), QStringLiteral("--image"), m_image,
            QStringLiteral("--memdisk"), m_memdisk, QStringLiteral("--bind"),
            QStringLiteral("127.0.0.1"), QStringLiteral("--http-port"),
            QString::number(holder.serverPort()) });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(
            r.err.contains("port " + QByteArray::number(holder.serverPort())), r.err.constData());
        QVERIFY2(r.err.contains("--http-port"), r.err.constData());
    }

    void missingFiles()
    {
        const auto noImage = test::runCli({ QStringLiteral("serve"), QStringLiteral("--image"),
            m_dir.filePath(QStringLiteral("nope.img")), QStringLiteral("--http-port"),
            QStringLiteral("0") });
        QCOMPARE(noImage.exitCode, 1);
        QVERIFY2(noImage.err.contains("nope.img does not exist"), noImage.err.constData());

        const auto noMemdisk = test::runCli({ QStringLiteral("serve"), QStringLiteral("--image"),
            m_image, QStringLiteral("--memdisk"), m_dir.filePath(QStringLiteral("no-memdisk")),
            QStringLiteral("--http-port"), QStringLiteral("0") });
        QCOMPARE(noMemdisk.exitCode, 1);
        QVERIFY2(noMemdisk.err.contains("memdisk"), noMemdisk.err.constData());
        QVERIFY2(noMemdisk.err.contains("syslinux-common"), noMemdisk.err.constData());
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("no-image") << QStringList {};
        QTest::newRow("bad-mode") << QStringList { QStringLiteral("--image"), QStringLiteral("x"),
            QStringLiteral("--mode"), QStringLiteral("pxe") };
        QTest::newRow("bad-port") << QStringList { QStringLiteral("--image"), QStringLiteral("x"),
            QStringLiteral("--http-port"), QStringLiteral("70000") };
        QTest::newRow("bad-bind") << QStringList { QStringLiteral("--image"), QStringLiteral("x"),
            QStringLiteral("--bind"), QStringLiteral("not-an-ip") };
        QTest::newRow("bad-publish") << QStringList { QStringLiteral("--image"),
            QStringLiteral("x"), QStringLiteral("--publish"), QStringLiteral("nofile") };
    }

    void usageErrors()
    {
        QFETCH(QStringList, arguments);
        const auto r = test::runCli(QStringList { QStringLiteral("serve") } + arguments);
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("Try"));
    }

    void sanbootRefusesGzip()
    {
        const QString gz = m_dir.filePath(QStringLiteral("pe.img.gz"));
        QVERIFY(writeFile(gz, QByteArray("\x1f\x8b", 2)));
        const auto r = test::runCli(
            { QStringLiteral("serve"), QStringLiteral("--image"), gz, QStringLiteral("--mode"),
                QStringLiteral("sanboot"), QStringLiteral("--http-port"), QStringLiteral("0") });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("sanboot needs a raw image"), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestServeCli)
#include "tst_servecli.moc"
