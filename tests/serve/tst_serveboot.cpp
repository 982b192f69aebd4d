// The real path: QEMU's e1000 NIC ROM (Debian's iPXE) gets a one-line script over slirp TFTP
// that chains http://10.0.2.2:PORT/boot.ipxe from our ServeController on loopback; the served
// script boots an image built by `pecast build` from a fixture WIM (stub bootmgr) to the stub's
// serial line — once through memdisk, once through iPXE's HTTP sanboot (Range requests).

#include "fixtureimage.h"
#include "qemuboot.h"
#include "serve/servecontroller.h"
#include "testenv.h"

#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace pecast;
using namespace pecast::serve;

class TestServeBoot : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_image;

    // Serves the image in `mode`, network-boots QEMU through it and checks the stub's report.
    void bootThrough(BootMode mode, const QString &image, QStringList *log = nullptr)
    {
        ServeController controller;
        QStringList requests;
        connect(&controller, &ServeController::requestLogged,
            [&requests](const QString &line) { requests << line; });
        ServeSettings settings;
        settings.imagePath = image;
        settings.mode = mode;
        settings.bindAddress = QHostAddress::LocalHost;
        settings.httpPort = 0;
        const Status started = controller.start(settings);
        QVERIFY2(started, qPrintable(started ? QString() : started.error().toString()));

        const QString tftp = m_dir.filePath(
            mode == BootMode::Sanboot ? QStringLiteral("tftp-san") : QStringLiteral("tftp-mem"));
        QVERIFY(QDir().mkpath(tftp));
        QFile chain(tftp + QStringLiteral("/chain.ipxe"));
        QVERIFY(chain.open(QIODevice::WriteOnly));
        chain.write(QStringLiteral("#!ipxe\nchain http://10.0.2.2:%1/boot.ipxe\n")
                        .arg(controller.httpPort())
                        .toUtf8());
        chain.close();

        test::QemuBootOptions options;
        options.network = true;
        options.tftpDirectory = tftp;
        options.bootFile = QStringLiteral("chain.ipxe");
        options.timeoutMs = 180000;
        const test::QemuBootResult boot = test::bootQemu(options);
        QVERIFY2(boot.succeeded(), boot.describe().constData());
        const auto stub = test::parseStubLine(boot.log);
        QVERIFY(stub);
        QCOMPARE(stub->dl, 0x80);
        QCOMPARE(stub->hiddenSectors, 2048);
        QVERIFY(stub->readOk);

        QCoreApplication::processEvents(); // deliver the queued access-log lines
        QTRY_VERIFY_WITH_TIMEOUT(!requests.isEmpty(), 5000);
        if (log)
            *log = requests;
        controller.stop();
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (test::qemuPath().isEmpty())
            QSKIP("qemu-system-x86_64 is not installed");
        if (!QFileInfo::exists(defaultMemdiskPath()))
            QSKIP("syslinux-common's memdisk is not installed");
        QVERIFY(m_dir.isValid());
        QString error;
        m_image = test::buildFixtureImage(m_dir.path(), &error);
        QVERIFY2(!m_image.isEmpty(), qPrintable(error));
        QVERIFY(QFileInfo(m_image).size() > 0);
    }

    void memdiskBoot()
    {
        QStringList requests;
        bootThrough(BootMode::Memdisk, m_image, &requests);
        const QString all = requests.join(u'\n');
        QVERIFY2(all.contains(QStringLiteral("\"GET /boot.ipxe HTTP/1.1\" 200")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("\"GET /memdisk HTTP/1.1\" 200")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("\"GET /image.img HTTP/1.1\" 200 %1")
                                  .arg(QFileInfo(m_image).size())),
            qPrintable(all));
    }

    void sanbootWithRanges()
    {
        QStringList requests;
        bootThrough(BootMode::Sanboot, m_image, &requests);
        const QString all = requests.join(u'\n');
        // iPXE asks for the capacity with HEAD, then reads blocks with Range requests.
        QVERIFY2(all.contains(QStringLiteral("\"HEAD /image.img HTTP/1.1\" 200")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("\" 206 ")), qPrintable(all));
        QVERIFY2(!all.contains(QStringLiteral("\"GET /image.img HTTP/1.1\" 200")), qPrintable(all));
    }
};

QTEST_GUILESS_MAIN(TestServeBoot)
#include "tst_serveboot.moc"
