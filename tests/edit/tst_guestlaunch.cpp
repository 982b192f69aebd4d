// The libguestfs appliance's KVM fallback: on machines where KVM hangs (nested virtualization:
// "Booting from ROM" and then nothing), a KVM launch that shows no kernel output in time is
// killed and the appliance starts again under TCG, the notice says so, and later launches in
// the same process skip KVM. The test makes the KVM launch "hang" deterministically by giving
// it no time to print (kvmKernelTimeoutSeconds = 0) and runs one real TCG launch.

#include "disk/guestimage.h"
#include "testenv.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace pecast;

class TestGuestLaunch : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        if (test::findTool(QStringLiteral("libguestfs-test-tool")).isEmpty())
            QSKIP("libguestfs is not installed");
        if (::access("/dev/kvm", R_OK | W_OK) != 0)
            QSKIP(
                "no usable /dev/kvm: launches use TCG directly, there is no KVM to fall back from");
        // The suite forces TCG for every test; this one needs the KVM path.
        qunsetenv("LIBGUESTFS_BACKEND_SETTINGS");
        QVERIFY(m_dir.isValid());
        m_disk = m_dir.filePath(QStringLiteral("blank.img"));
        QFile disk(m_disk);
        QVERIFY(disk.open(QIODevice::WriteOnly));
        QVERIFY(disk.resize(4 * 1024 * 1024));
    }

    void hungKvmFallsBackToTcg()
    {
        QStringList stages;
        Progress progress([&](const ProgressEvent &e) {
            if (stages.isEmpty() || stages.last() != e.stage)
                stages << e.stage;
        });
        disk::GuestImage::LaunchOptions options;
        options.kvmKernelTimeoutSeconds = 0;
        auto guest = disk::GuestImage::launch(
            { { m_disk, true, QStringLiteral("raw") } }, progress, options);
        QVERIFY2(guest, guest ? "" : qPrintable(guest.error().toString()));
        QCOMPARE(stages.value(0), QStringLiteral("Starting the libguestfs appliance"));
        QCOMPARE(stages.value(1), QStringLiteral("Starting the libguestfs appliance (TCG)"));
        QVERIFY2(guest->notice().contains(QStringLiteral("did not start under KVM")),
            qPrintable(guest->notice()));
        // The TCG appliance works: it sees the drive.
        auto devices = guest->devices();
        QVERIFY2(devices, devices ? "" : qPrintable(devices.error().toString()));
        QCOMPARE(*devices, QStringList { QStringLiteral("/dev/sda") });
        QVERIFY(guest->close());
    }

    void laterLaunchesSkipKvmAndCancelCleanly()
    {
        // A second launch in this process goes to TCG at once. Cancel it as soon as it starts:
        // the launch stops with Errc::Cancelled and leaves no qemu behind.
        std::stop_source stop;
        QStringList stages;
        Progress progress(
            [&](const ProgressEvent &e) {
                stages << e.stage;
                stop.request_stop();
            },
            stop.get_token());
        auto guest
            = disk::GuestImage::launch({ { m_disk, true, QStringLiteral("raw") } }, progress);
        QVERIFY(!guest);
        QCOMPARE(guest.error().code(), Errc::Cancelled);
        QCOMPARE(stages.value(0), QStringLiteral("Starting the libguestfs appliance (TCG)"));
        QVERIFY2(test::run(QStringLiteral("/usr/bin/pgrep"),
                     { QStringLiteral("-P"), QString::number(::getpid()), QStringLiteral("qemu") })
                     .exitCode
                != 0,
            "a qemu child of the test is still running");
    }

private:
    QTemporaryDir m_dir;
    QString m_disk;
};

QTEST_GUILESS_MAIN(TestGuestLaunch)
#include "tst_guestlaunch.moc"
