// The boot chain, proved in QEMU (TCG): an image assembled with core/disk (MBR + GRUB + NTFS +
// the stub \bootmgr) boots as a plain disk and through iPXE + memdisk over HTTP; the stub
// reports the drive, the BPB hidden sectors and an INT 13h read through DL.

#include "disk/ntfsvolume.h"
#include "diskimagebuilder.h"
#include "fixtures.h"
#include "qemuboot.h"
#include "testenv.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace pecast;

namespace {

constexpr qint64 kMiB = 1024 * 1024;
// Small images keep the emulated e1000 download short (~60 MB/s under TCG).
constexpr qint64 kImageBytes = 16 * kMiB;
// memdisk from syslinux-common.
constexpr char kMemdisk[] = "/usr/lib/syslinux/memdisk";

} // namespace

class TestDiskBoot : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void bootsAsPlainDisk();
    void missingBootmgrFailsFast();
    void bootsThroughIpxeAndMemdisk();

private:
    QTemporaryDir m_dir;
    QString m_stub;
    QString m_image;
};

void TestDiskBoot::initTestCase()
{
    QVERIFY(m_dir.isValid());
    if (test::qemuPath().isEmpty())
        QSKIP("qemu-system-x86_64 not installed");
    QString error;
    m_stub = test::buildStubBootmgr(m_dir.path(), &error);
    if (m_stub.isEmpty())
        QSKIP(qPrintable(QStringLiteral("no stub bootmgr: %1").arg(error)));
    m_image = m_dir.filePath(QStringLiteral("stub.img"));
    const QString built = test::buildDiskImage(m_image, kImageBytes,
        { { QStringLiteral("/bootmgr"), m_stub, {},
            disk::AttrHidden | disk::AttrSystem | disk::AttrReadOnly } });
    QVERIFY2(built.isEmpty(), qPrintable(built));
}

void TestDiskBoot::bootsAsPlainDisk()
{
    const auto boot = test::bootDisk(m_image, 60000);
    QVERIFY2(boot.succeeded(), boot.describe().constData());
    const auto stub = test::parseStubLine(boot.log);
    QVERIFY(stub);
    qInfo().noquote() << "plain disk:" << stub->line;
    QVERIFY2(stub->dl == 0x80, qPrintable(stub->line));
    QVERIFY2(stub->hiddenSectors == 2048, qPrintable(stub->line)); // HS=00000800
    QVERIFY2(stub->readOk, qPrintable(stub->line));
    QVERIFY2(stub->a20 == 1, qPrintable(stub->line));
}

void TestDiskBoot::missingBootmgrFailsFast()
{
    // Same chain without \bootmgr: GRUB's rescue parser reports it, and the helper ends the
    // boot on that text instead of waiting for the timeout.
    const QString image = m_dir.filePath(QStringLiteral("empty.img"));
    const QString built = test::buildDiskImage(
        image, kImageBytes, { { QStringLiteral("/other"), {}, QByteArray("x"), 0 } });
    QVERIFY2(built.isEmpty(), qPrintable(built));
    const auto boot = test::bootDisk(image, 60000);
    QVERIFY2(boot.started, boot.describe().constData());
    QVERIFY2(boot.failure && !boot.success, boot.describe().constData());
    QVERIFY2(
        boot.log.contains("bootmgr") || boot.log.contains("error:"), boot.describe().constData());
    QVERIFY(!test::parseStubLine(boot.log));
}

void TestDiskBoot::bootsThroughIpxeAndMemdisk()
{
    if (!QFile::exists(QLatin1String(kMemdisk)))
        QSKIP("memdisk (syslinux-common) not installed");
    const QString www = m_dir.filePath(QStringLiteral("www"));
    const QString tftp = m_dir.filePath(QStringLiteral("tftp"));
    QVERIFY(QDir().mkpath(www) && QDir().mkpath(tftp));
    QVERIFY(QFile::copy(QLatin1String(kMemdisk), www + QStringLiteral("/memdisk")));
    QVERIFY(QFile::link(m_image, www + QStringLiteral("/disk.img")));
    test::LoopbackHttpServer server(www);
    if (!server.start())
        QSKIP(qPrintable(server.errorString()));
    QFile script(tftp + QStringLiteral("/boot.ipxe"));
    QVERIFY(script.open(QIODevice::WriteOnly));
    script.write(QStringLiteral("#!ipxe\nkernel %1 raw\ninitrd %2\nboot\n")
                     .arg(server.guestUrl(QStringLiteral("memdisk")),
                         server.guestUrl(QStringLiteral("disk.img")))
                     .toUtf8());
    script.close();
    const auto boot = test::bootNetwork(tftp, QStringLiteral("boot.ipxe"), 120000);
    QVERIFY2(boot.succeeded(), boot.describe().constData());
    QVERIFY2(boot.log.contains("MEMDISK"), boot.describe().constData()); // memdisk's banner
    const auto stub = test::parseStubLine(boot.log);
    QVERIFY(stub);
    qInfo().noquote() << "iPXE + memdisk:" << stub->line;
    QVERIFY2(stub->dl == 0x80, qPrintable(stub->line));
    QVERIFY2(stub->hiddenSectors == 2048, qPrintable(stub->line));
    QVERIFY2(stub->readOk, qPrintable(stub->line)); // INT 13h through memdisk's handler
}

QTEST_GUILESS_MAIN(TestDiskBoot)
#include "tst_diskboot.moc"
