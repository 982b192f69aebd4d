// The proof that a built image boots (QEMU, TCG only): as a plain disk, and the real way —
// QEMU's iPXE NIC ROM fetches memdisk and the image over HTTP from a loopback server, memdisk
// (raw) hooks INT 13h, GRUB's ntldr starts \bootmgr — here the stub, which prints what it was
// handed on COM1: DL=80 (a hard disk), HS=00000800 (BPB hidden sectors = partition LBA 2048),
// RD=OK (an INT 13h read through DL works). Also for the .gz image and partition device mode.

#include "fixtures.h"
#include "memdisknetboot.h"
#include "pipeline/runbuild.h"
#include "pipelinetestutil.h"
#include "qemuboot.h"
#include "testenv.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace pecast;
using namespace pecast::pipeline;
using namespace pecast::test;

class TestBuildBoot : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_wim;

    QString build(const QString &name, BcdDevice device, bool gzip, Layout layout = Layout::Classic)
    {
        BuildPlan plan = basicPlan(m_wim, m_dir.filePath(name));
        plan.bcdDevice = device;
        plan.gzip = gzip;
        plan.layout = layout;
        const auto r = runBuild(plan, {});
        if (!r.ok()) {
            qWarning("build failed: %s", qPrintable(r.error().toString()));
            return {};
        }
        return r->outputPath;
    }

    void verifyStub(const QemuBootResult &boot)
    {
        QVERIFY2(boot.succeeded(), boot.describe().constData());
        const auto stub = parseStubLine(boot.log);
        QVERIFY2(stub, boot.log.constData());
        QCOMPARE(stub->dl, 0x80);
        QCOMPARE(stub->hiddenSectors, qint64(0x800));
        QVERIFY2(stub->readOk, qPrintable(stub->line));
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (qemuPath().isEmpty())
            QSKIP("qemu-system-x86_64 is not installed");
        if (!QFileInfo::exists(QString::fromLatin1(kMemdiskPath)))
            QSKIP("memdisk (syslinux-common) is not installed");
        QString error;
        m_wim = defaultFixtureWim(m_dir.path(), &error);
        QVERIFY2(!m_wim.isEmpty(), qPrintable(error));
    }

    void plainDisk()
    {
        const QString image = build(QStringLiteral("boot.img"), BcdDevice::Boot, false);
        QVERIFY(!image.isEmpty());
        verifyStub(bootDisk(image));
    }

    void plainDiskPartitionModeMediaLayout()
    {
        const QString image
            = build(QStringLiteral("part.img"), BcdDevice::Partition, false, Layout::Media);
        QVERIFY(!image.isEmpty());
        verifyStub(bootDisk(image));
    }

    void ipxeMemdiskRaw()
    {
        const QString image = build(QStringLiteral("net.img"), BcdDevice::Boot, false);
        QVERIFY(!image.isEmpty());
        verifyStub(netbootMemdisk(image));
    }

    void ipxeMemdiskGzip()
    {
        const QString image = build(QStringLiteral("net.img.gz"), BcdDevice::Boot, true);
        QVERIFY(!image.isEmpty());
        verifyStub(netbootMemdisk(image));
    }

    void ipxeMemdiskPartitionMode()
    {
        const QString image = build(QStringLiteral("netpart.img"), BcdDevice::Partition, false);
        QVERIFY(!image.isEmpty());
        verifyStub(netbootMemdisk(image));
    }
};

QTEST_GUILESS_MAIN(TestBuildBoot)
#include "tst_buildboot.moc"
