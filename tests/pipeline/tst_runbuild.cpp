// runBuild() end to end with the real components (wimlib, mkntfs, libntfs-3g, GRUB): the image's
// files are read back with grub-fstest (GRUB's own NTFS driver) and compared with their sources;
// bad inputs fail with a clear error and leave nothing behind; an existing target is untouched.

#include "bcd/bcdstore.h"
#include "bcd/winpestore.h"
#include "disk/imagereport.h"
#include "fixtures.h"
#include "pipeline/runbuild.h"
#include "pipelinetestutil.h"
#include "testenv.h"

#include <QDebug>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

using namespace pecast;
using namespace pecast::pipeline;
using namespace pecast::test;

namespace {

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeAll(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

} // namespace

class TestRunBuild : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_fixtures;
    QString m_wim; // default fixture: one LZX image, stub bootmgr
    QString m_stub;
    QString m_bigWim; // ~256 MiB, so that a write takes long enough to be cancelled midway

    QString bigWim()
    {
        if (m_bigWim.isEmpty()) {
            FixtureWimOptions options;
            options.fileName = QStringLiteral("big.wim");
            options.compression = FixtureCompression::None; // quick to make; random data anyway
            options.targetSize = 256LL * 1024 * 1024;
            FixtureImage image;
            image.tree.bootmgrSource = m_stub;
            options.images = { image };
            QString error;
            m_bigWim = makeFixtureWim(m_fixtures.path(), options, &error);
            if (m_bigWim.isEmpty())
                qWarning() << error;
        }
        return m_bigWim;
    }

    // Extracts a file of image `index` with wimlib-imagex (independent of core/wim).
    QString wimExtract(const QString &wim, int index, const QString &path)
    {
        const QString dest = m_fixtures.filePath(QStringLiteral("x%1").arg(qHash(wim + path)));
        const auto r = run(findTool(QStringLiteral("wimlib-imagex")),
            { QStringLiteral("extract"), wim, QString::number(index), path,
                QStringLiteral("--dest-dir=") + dest, QStringLiteral("--no-acls") });
        if (r.exitCode != 0)
            return {};
        return dest + QLatin1Char('/') + path.section(QLatin1Char('/'), -1);
    }

    void verifyNoDebris(const QString &dir, const QStringList &expected)
    {
        QCOMPARE(directoryEntries(dir), expected);
    }

private Q_SLOTS:
    void initTestCase()
    {
        for (const char *tool :
            { "grub-fstest", "wimlib-imagex", "mkntfs", "grub-mkimage", "nasm" }) {
            if (findTool(QString::fromLatin1(tool)).isEmpty())
                QSKIP(qPrintable(QStringLiteral("%1 is not installed").arg(QLatin1String(tool))));
        }
        QString error;
        m_stub = buildStubBootmgr(m_fixtures.path(), &error);
        QVERIFY2(!m_stub.isEmpty(), qPrintable(error));
        m_wim = defaultFixtureWim(m_fixtures.path(), &error);
        QVERIFY2(!m_wim.isEmpty(), qPrintable(error));
    }

    void classicLayoutFilesEqualSources()
    {
        QTemporaryDir out;
        const QString image = out.filePath(QStringLiteral("pe.img"));
        QStringList logs;
        QStringList steps;
        qint64 lastCopyDone = -1;
        qint64 copyTotal = -1;
        BuildCallbacks cb;
        cb.stepStarted = [&](int i, int count, const QString &d) {
            QCOMPARE(i, steps.size());
            QVERIFY(count >= 9);
            steps << d;
        };
        cb.log = [&](const QString &line) { logs << line; };
        cb.progress = [&](const ProgressEvent &e) {
            if (e.stage == QLatin1String("Copying files into NTFS")) {
                QVERIFY(e.done >= lastCopyDone); // bytes only go forward
                lastCopyDone = e.done;
                copyTotal = e.total;
            }
        };
        const auto r = runBuild(basicPlan(m_wim, image), cb);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        QCOMPARE(steps, plannedSteps(basicPlan(m_wim, image)));
        QVERIFY(copyTotal > QFileInfo(m_wim).size());
        QCOMPARE(lastCopyDone, copyTotal); // 100 % was reported
        verifyNoDebris(out.path(), { QStringLiteral("pe.img") });

        // The result describes the file.
        QCOMPARE(r->outputPath, image);
        QCOMPARE(r->sizeBytes, QFileInfo(image).size());
        QCOMPARE(r->diskSizeBytes, r->sizeBytes);
        QCOMPARE(r->sha256, sha256sumTool(image));
        QCOMPARE(r->diskSignature, 0x5eca57u);
        QCOMPARE(r->partitionOffset, qint64(1024 * 1024));
        QVERIFY(r->wimCopiedAsIs);
        QCOMPARE(r->imageIndex, 1);
        QCOMPARE(r->timings.size(), steps.size());
        QVERIFY(r->warnings.isEmpty());
        // The size is a whole number of 255x63 cylinders, and the MBR carries the signature.
        QCOMPARE(r->diskSizeBytes % (255 * 63 * 512), qint64(0));
        const QByteArray mbr = readAll(image).left(512);
        QCOMPARE(quint8(mbr[510]), quint8(0x55));
        QCOMPARE(qFromLittleEndian<quint32>(mbr.constData() + 0x1b8), 0x5eca57u);

        // Bytes equal their sources, read back by GRUB's NTFS driver.
        QString error;
        QVERIFY2(
            imageFileEquals(image, QStringLiteral("/bootmgr"), m_stub, &error), qPrintable(error));
        QVERIFY2(
            imageFileEquals(image, QStringLiteral("/winpe.wim"), m_wim, &error), qPrintable(error));
        const QString sdi = wimExtract(m_wim, 1, QStringLiteral("/Windows/Boot/DVD/PCAT/boot.sdi"));
        QVERIFY(!sdi.isEmpty());
        QVERIFY2(
            imageFileEquals(image, QStringLiteral("/boot.sdi"), sdi, &error), qPrintable(error));

        // \boot\BCD boots \winpe.wim with \boot.sdi from the boot device.
        const QByteArray hive = readImageFile(image, QStringLiteral("/boot/BCD"), &error);
        QVERIFY2(!hive.isEmpty(), qPrintable(error));
        const auto store = bcd::readStore(hive, QStringLiteral("BCD"));
        QVERIFY(store.ok());
        const auto boot = bcd::ramdiskBoot(*store);
        QVERIFY(boot.ok());
        QCOMPARE(boot->wimPath, QStringLiteral("\\winpe.wim"));
        QCOMPARE(boot->sdiPath, QStringLiteral("\\boot.sdi"));
        QCOMPARE(boot->parent.kind(), bcd::BcdDevice::Kind::Boot);

        // The disk engineer's inspector agrees.
        const auto report = disk::inspectImage(image);
        QVERIFY(report.ok());
        QVERIFY2(report->consistent(), qPrintable(report->toText()));
        const disk::NtfsEntry *bootmgr = report->findFile(QStringLiteral("/bootmgr"));
        QVERIFY(bootmgr);
        QVERIFY(bootmgr->attributes & disk::AttrHidden);
        QVERIFY(bootmgr->attributes & disk::AttrSystem);
        QCOMPARE(report->volumeLabel, QStringLiteral("PECAST"));
    }

    void mediaLayoutPartitionDevice()
    {
        QTemporaryDir out;
        const QString image = out.filePath(QStringLiteral("media.img"));
        BuildPlan plan = basicPlan(m_wim, image);
        plan.layout = Layout::Media;
        plan.bcdDevice = BcdDevice::Partition;
        plan.diskSignature = 0xc0ffee01;
        plan.label = QStringLiteral("MEDIA");
        plan.sha256 = false; // not asked for: not computed, and the JSON says so
        const auto r = runBuild(plan, {});
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        QVERIFY(r->sha256.isEmpty());
        QVERIFY(r->toJson().value(QStringLiteral("sha256")).isNull());
        QVERIFY(r->toText().contains(QLatin1String("sha256: not computed")));
        QString error;
        QVERIFY2(imageFileEquals(image, QStringLiteral("/sources/boot.wim"), m_wim, &error),
            qPrintable(error));
        QVERIFY2(
            imageFileEquals(image, QStringLiteral("/bootmgr"), m_stub, &error), qPrintable(error));
        QVERIFY(!readImageFile(image, QStringLiteral("/boot/boot.sdi"), &error).isEmpty());
        const auto store = bcd::readStore(
            readImageFile(image, QStringLiteral("/boot/BCD"), &error), QStringLiteral("BCD"));
        QVERIFY(store.ok());
        const auto boot = bcd::ramdiskBoot(*store);
        QVERIFY(boot.ok());
        QCOMPARE(boot->wimPath, QStringLiteral("\\sources\\boot.wim"));
        QCOMPARE(boot->sdiPath, QStringLiteral("\\boot\\boot.sdi"));
        QCOMPARE(boot->parent.kind(), bcd::BcdDevice::Kind::Partition);
        QCOMPARE(boot->parent.diskSignature(), 0xc0ffee01u);
        QCOMPARE(boot->parent.partitionOffset(), quint64(r->partitionOffset));
        const auto report = disk::inspectImage(image);
        QVERIFY(report.ok());
        QCOMPARE(report->diskSignature, 0xc0ffee01u);
        QVERIFY2(report->consistent(), qPrintable(report->toText()));
    }

    void exportsChosenImageAlone()
    {
        QTemporaryDir dir;
        FixtureWimOptions options;
        options.fileName = QStringLiteral("two.wim");
        options.imageCount = 2;
        options.bootIndex = 1;
        QString error;
        const QString wim = makeFixtureWim(dir.path(), options, &error);
        QVERIFY2(!wim.isEmpty(), qPrintable(error));
        const QString image = dir.filePath(QStringLiteral("two.img"));
        BuildPlan plan = basicPlan(wim, image);
        plan.imageIndex = 2;
        const auto r = runBuild(plan, {});
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        QVERIFY(!r->wimCopiedAsIs);
        QCOMPARE(r->imageIndex, 2);
        // The WIM inside holds one image, bootable, with image 2's files.
        const QByteArray inner = readImageFile(image, QStringLiteral("/winpe.wim"), &error);
        QVERIFY2(!inner.isEmpty(), qPrintable(error));
        const QString innerPath = dir.filePath(QStringLiteral("inner.wim"));
        QVERIFY(writeAll(innerPath, inner));
        const auto info
            = run(findTool(QStringLiteral("wimlib-imagex")), { QStringLiteral("info"), innerPath });
        QCOMPARE(info.exitCode, 0);
        QVERIFY2(QString::fromUtf8(info.out).contains(
                     QRegularExpression(QStringLiteral("Image Count:\\s+1\\n"))),
            info.out.constData());
        QVERIFY2(QString::fromUtf8(info.out).contains(
                     QRegularExpression(QStringLiteral("Boot Index:\\s+1\\n"))),
            info.out.constData());
        QVERIFY2(info.out.contains("WinPE 2"), info.out.constData());
        QVERIFY2(info.out.contains("LZX"), info.out.constData());
        QCOMPARE(directoryEntries(dir.path()).filter(QStringLiteral("pecast")), QStringList());
    }

    void solidSourceIsRecompressed()
    {
        QTemporaryDir dir;
        FixtureWimOptions options;
        options.fileName = QStringLiteral("solid.esd");
        options.compression = FixtureCompression::LzmsSolid;
        QString error;
        const QString wim = makeFixtureWim(dir.path(), options, &error);
        QVERIFY2(!wim.isEmpty(), qPrintable(error));
        const QString image = dir.filePath(QStringLiteral("solid.img"));
        const auto r = runBuild(basicPlan(wim, image), {});
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        QVERIFY(!r->wimCopiedAsIs);
        const QString innerPath = dir.filePath(QStringLiteral("inner.wim"));
        QVERIFY(writeAll(innerPath, readImageFile(image, QStringLiteral("/winpe.wim"), &error)));
        const auto info
            = run(findTool(QStringLiteral("wimlib-imagex")), { QStringLiteral("info"), innerPath });
        QVERIFY2(QString::fromUtf8(info.out).contains(
                     QRegularExpression(QStringLiteral("Compression:\\s+LZX\\n"))),
            info.out.constData());
        QVERIFY2(!info.out.contains("LZMS"), info.out.constData());
    }

    void gzipOutputInflatesToABootableDisk()
    {
        QTemporaryDir out;
        const QString gz = out.filePath(QStringLiteral("pe.img.gz"));
        BuildPlan plan = basicPlan(m_wim, gz);
        plan.gzip = true;
        const auto r = runBuild(plan, {});
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        verifyNoDebris(out.path(), { QStringLiteral("pe.img.gz") });
        QCOMPARE(r->sha256, sha256sumTool(gz));
        QCOMPARE(r->sizeBytes, QFileInfo(gz).size());
        QVERIFY(r->sizeBytes < r->diskSizeBytes);
        const auto inflated = run(findTool(QStringLiteral("gzip")), { QStringLiteral("-dc"), gz });
        QCOMPARE(inflated.exitCode, 0);
        QCOMPARE(qint64(inflated.out.size()), r->diskSizeBytes);
        const QString raw = out.filePath(QStringLiteral("raw.img"));
        QVERIFY(writeAll(raw, inflated.out));
        QString error;
        QVERIFY2(
            imageFileEquals(raw, QStringLiteral("/winpe.wim"), m_wim, &error), qPrintable(error));
        QVERIFY2(
            imageFileEquals(raw, QStringLiteral("/bootmgr"), m_stub, &error), qPrintable(error));
    }

    void userBootFilesAndBigBootmgrWarning()
    {
        QTemporaryDir dir;
        // bootmgr over the memdisk limit: built, with a warning.
        QByteArray big = readAll(m_stub);
        big.append(QByteArray(600 * 1024 - big.size(), '\0'));
        const QString bootmgr = dir.filePath(QStringLiteral("bigbootmgr"));
        const QString sdi = dir.filePath(QStringLiteral("my.sdi"));
        QVERIFY(writeAll(bootmgr, big));
        QVERIFY(writeAll(sdi, pseudoRandomBytes(1024 * 1024, 7)));
        const QString image = dir.filePath(QStringLiteral("user.img"));
        BuildPlan plan = basicPlan(m_wim, image);
        plan.bootmgrPath = bootmgr;
        plan.sdiPath = sdi;
        QStringList logs;
        BuildCallbacks cb;
        cb.log = [&](const QString &l) { logs << l; };
        const auto r = runBuild(plan, cb);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        QVERIFY2(r->warnings.join(QLatin1Char('\n')).contains(QStringLiteral("bootmgr is 600 KiB")),
            qPrintable(r->warnings.join(QLatin1Char('\n'))));
        QVERIFY(logs.filter(QStringLiteral("warning: bootmgr is 600 KiB")).size() == 1);
        QString error;
        QVERIFY2(
            imageFileEquals(image, QStringLiteral("/bootmgr"), bootmgr, &error), qPrintable(error));
        QVERIFY2(
            imageFileEquals(image, QStringLiteral("/boot.sdi"), sdi, &error), qPrintable(error));
    }

    void nonBootableWimRefusedUnlessForced()
    {
        QTemporaryDir dir;
        FixtureWimOptions options;
        options.fileName = QStringLiteral("noboot.wim");
        FixtureImage img;
        img.tree.withBootFiles = false;
        options.images = { img };
        QString error;
        const QString wim = makeFixtureWim(dir.path(), options, &error);
        QVERIFY2(!wim.isEmpty(), qPrintable(error));
        const QString image = dir.filePath(QStringLiteral("noboot.img"));
        BuildPlan plan = basicPlan(wim, image);
        plan.bootmgrPath = m_stub;
        plan.sdiPath = m_stub;
        auto r = runBuild(plan, {});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code(), Errc::InvalidInput);
        QVERIFY2(r.error().toString().contains(QStringLiteral("winload.exe")),
            qPrintable(r.error().toString()));
        QVERIFY(r.error().hint().contains(QStringLiteral("--force")));
        QCOMPARE(directoryEntries(dir.path()), QStringList { QStringLiteral("noboot.wim") });

        plan.allowNonBootable = true;
        r = runBuild(plan, {});
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        QVERIFY(!r->warnings.filter(QStringLiteral("winload.exe")).isEmpty());
    }

    void sizeTooSmallIsRefused()
    {
        QTemporaryDir dir;
        const QString image = dir.filePath(QStringLiteral("small.img"));
        BuildPlan plan = basicPlan(m_wim, image);
        plan.sizeBytes = 5 * 1024 * 1024; // the fixture's files alone are ~7 MiB
        const auto r = runBuild(plan, {});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code(), Errc::NoSpace);
        QVERIFY2(r.error().toString().contains(QStringLiteral("small")),
            qPrintable(r.error().toString()));
        QCOMPARE(directoryEntries(dir.path()), QStringList());
    }

    void existingTargetUntouchedUnlessForced()
    {
        QTemporaryDir dir;
        const QString image = dir.filePath(QStringLiteral("keep.img"));
        const QByteArray precious = "a user's file that must survive\n";
        QVERIFY(writeAll(image, precious));
        BuildPlan plan = basicPlan(m_wim, image);
        auto r = runBuild(plan, {});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code(), Errc::Exists);
        QCOMPARE(readAll(image), precious);
        QCOMPARE(directoryEntries(dir.path()), QStringList { QStringLiteral("keep.img") });

        plan.overwrite = true;
        r = runBuild(plan, {});
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        QCOMPARE(QFileInfo(image).size(), r->sizeBytes);
        QCOMPARE(directoryEntries(dir.path()), QStringList { QStringLiteral("keep.img") });
    }

    void missingGrubFiles()
    {
        QTemporaryDir dir;
        const QString image = dir.filePath(QStringLiteral("nogrub.img"));
        const QByteArray old = qgetenv("PECAST_GRUB_DIR");
        qputenv("PECAST_GRUB_DIR", dir.filePath(QStringLiteral("no-grub-here")).toLocal8Bit());
        const auto r = runBuild(basicPlan(m_wim, image), {});
        if (old.isNull())
            qunsetenv("PECAST_GRUB_DIR");
        else
            qputenv("PECAST_GRUB_DIR", old);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().toString().contains(QStringLiteral("GRUB"), Qt::CaseInsensitive),
            qPrintable(r.error().toString()));
        QCOMPARE(directoryEntries(dir.path()), QStringList());
    }

    void missingOutputDirectory()
    {
        QTemporaryDir dir;
        const auto r
            = runBuild(basicPlan(m_wim, dir.filePath(QStringLiteral("no/such/dir/x.img"))), {});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code(), Errc::NotFound);
        // Under a regular file: nothing can be created there, even by root.
        const QString file = dir.filePath(QStringLiteral("file"));
        QVERIFY(writeAll(file, "x"));
        const auto r2 = runBuild(basicPlan(m_wim, file + QStringLiteral("/x.img")), {});
        QVERIFY(!r2.ok());
        QCOMPARE(directoryEntries(dir.path()), QStringList { QStringLiteral("file") });
    }

    // Cancel before each step and in the middle of the big write: Errc::Cancelled, nothing left.
    void cancelAnywhereLeavesNothing_data()
    {
        QTest::addColumn<int>("step");
        QTest::addColumn<bool>("gzip");
        BuildPlan gzipPlan;
        gzipPlan.gzip = true;
        const int count = int(plannedSteps(gzipPlan).size());
        for (int i = 0; i < count; ++i)
            QTest::addRow("before step %d", i + 1) << i << true;
        QTest::addRow("mid copy") << -1 << false;
        QTest::addRow("mid gzip") << -2 << true;
    }
    void cancelAnywhereLeavesNothing()
    {
        QFETCH(int, step);
        QFETCH(bool, gzip);
        QTemporaryDir dir;
        const QString image = dir.filePath(QStringLiteral("c.img"));
        const QByteArray precious = "existing target\n";
        QVERIFY(writeAll(image, precious));
        const QString wim = step < 0 ? bigWim() : m_wim;
        QVERIFY(!wim.isEmpty());
        BuildPlan plan = basicPlan(wim, image);
        plan.overwrite = true; // even when replacing, a cancel keeps the old file
        plan.gzip = gzip;
        std::stop_source stop;
        BuildCallbacks cb;
        QString current;
        cb.stepStarted = [&](int i, int, const QString &d) {
            current = d;
            if (i == step)
                stop.request_stop();
        };
        const QString midStage = step == -1 ? QStringLiteral("Copying files into NTFS")
                                            : QStringLiteral("Compressing with gzip");
        cb.progress = [&](const ProgressEvent &e) {
            if (step < 0 && e.stage == midStage && e.total > 0 && e.done > 0 && e.done < e.total)
                stop.request_stop();
        };
        const auto r = runBuild(plan, cb, stop.get_token());
        QVERIFY2(!r.ok(), "the build ran to the end despite the cancel");
        QVERIFY2(r.error().isCancelled(), qPrintable(r.error().toString()));
        QCOMPARE(readAll(image), precious);
        QCOMPARE(directoryEntries(dir.path()), QStringList { QStringLiteral("c.img") });
    }
};

QTEST_GUILESS_MAIN(TestRunBuild)
#include "tst_runbuild.moc"
