// pecast image replace-wim on images built by `pecast build` (in-process engine): a larger WIM
// (the image grows), a smaller one, a new WIM path (the BCD follows), atomic replacement of the
// original, cancel, and bad input. Checks use independent tools where they exist: ntfscat and
// ntfsresize --info on the partition copied out, wimlib's wiminfo; the grown and the shrunk
// images boot the stub bootmgr through iPXE + memdisk in QEMU.

#include "cancelatstage.h"
#include "disk/ntfsvolume.h"
#include "fixtures.h"
#include "memdisknetboot.h"
#include "pipeline/replacewim.h"
#include "qemuboot.h"
#include "testenv.h"
#include "util/filehash.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <sys/stat.h>

using namespace pecast;
using namespace pecast::test;

namespace {

QByteArray readRange(const QString &path, qint64 offset, qint64 size)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly) || !f.seek(offset))
        return {};
    return f.read(size);
}

QByteArray sha(const QString &path)
{
    auto hash = sha256File(path);
    return hash ? QByteArray(hash->toUtf8()) : QByteArray();
}

QStringList dirEntries(const QString &dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
}

struct Entry
{
    quint32 start = 0;
    quint32 sectors = 0;
};

Entry partition1(const QString &image)
{
    const QByteArray mbr = readRange(image, 0, 512);
    return { qFromLittleEndian<quint32>(mbr.constData() + 446 + 8),
        qFromLittleEndian<quint32>(mbr.constData() + 446 + 12) };
}

// The partition as a file of its own, for ntfs-3g's command-line tools.
QString partitionFile(const QString &image, const QString &dir)
{
    const Entry e = partition1(image);
    const QString out = QDir(dir).filePath(QFileInfo(image).fileName() + QStringLiteral(".p1"));
    QFile::remove(out);
    const auto r = run(findTool(QStringLiteral("dd")),
        { QStringLiteral("if=") + image, QStringLiteral("of=") + out, QStringLiteral("bs=512"),
            QStringLiteral("skip=%1").arg(e.start), QStringLiteral("count=%1").arg(e.sectors),
            QStringLiteral("conv=sparse"), QStringLiteral("status=none") });
    return r.exitCode == 0 ? out : QString();
}

QByteArray ntfscat(const QString &partition, const QString &path)
{
    const auto r = run(findTool(QStringLiteral("ntfscat")), { partition, path });
    return r.exitCode == 0 ? r.out : QByteArray("<missing>");
}

} // namespace

class TestReplaceWim : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_base; // built by pecast build from m_wim
    QString m_wim;
    QString m_bigWim; // forces growth
    QString m_smallWim;

    QString copyOf(const QString &image, const QString &dir, const QString &name)
    {
        const QString out = QDir(dir).filePath(name);
        const auto r = run(
            findTool(QStringLiteral("cp")), { QStringLiteral("--sparse=always"), image, out });
        return r.exitCode == 0 ? out : QString();
    }

    // Everything but the WIM (and, when `bcdChanges`, the BCD) is byte-identical, the WIM is
    // the new one, and ntfsresize finds the NTFS consistent.
    void verifyEdited(const QString &before, const QString &after, const QString &newWim,
        const QString &wimPath = QStringLiteral("/winpe.wim"), bool bcdChanges = false)
    {
        const Entry b = partition1(before);
        const Entry a = partition1(after);
        QCOMPARE(a.start, b.start);
        // Boot code, disk signature and the bytes up to the partition table.
        QCOMPARE(readRange(after, 0, 446), readRange(before, 0, 446));
        // The other three entries, the status/type/start of ours, 55 AA.
        QCOMPARE(readRange(after, 446, 5), readRange(before, 446, 5));
        QCOMPARE(readRange(after, 446 + 8, 4), readRange(before, 446 + 8, 4));
        QCOMPARE(readRange(after, 462, 50), readRange(before, 462, 50));
        // GRUB's core.img in the gap before the partition.
        QCOMPARE(readRange(after, 512, qint64(a.start) * 512 - 512),
            readRange(before, 512, qint64(b.start) * 512 - 512));
        // The partition fills the image (PEcast layout: it is the last thing on the disk).
        QCOMPARE(qint64(a.start + a.sectors) * 512, QFileInfo(after).size());

        QTemporaryDir scratch;
        const QString pb = partitionFile(before, scratch.path());
        const QString pa = partitionFile(after, scratch.path());
        QVERIFY(!pb.isEmpty() && !pa.isEmpty());
        const auto check = run(findTool(QStringLiteral("ntfsresize")),
            { QStringLiteral("--info"), QStringLiteral("--force"), pa });
        QVERIFY2(check.exitCode == 0, check.out.constData());
        QFile wim(newWim);
        QVERIFY(wim.open(QIODevice::ReadOnly));
        QCOMPARE(ntfscat(pa, wimPath), wim.readAll());
        for (const QString &path : { QStringLiteral("/bootmgr"), QStringLiteral("/boot.sdi") })
            QCOMPARE(ntfscat(pa, path), ntfscat(pb, path));
        if (!bcdChanges)
            QCOMPARE(
                ntfscat(pa, QStringLiteral("/boot/BCD")), ntfscat(pb, QStringLiteral("/boot/BCD")));
    }

    void netboot(const QString &image)
    {
        const QemuBootResult boot = netbootMemdisk(image);
        QVERIFY2(boot.succeeded(), boot.describe().constData());
        const auto stub = parseStubLine(boot.log);
        QVERIFY2(stub, boot.log.constData());
        QCOMPARE(stub->dl, 0x80);
        QVERIFY2(stub->readOk, qPrintable(stub->line));
    }

    ProcessResult replace(const QStringList &extra)
    {
        return runCli(QStringList { QStringLiteral("image"), QStringLiteral("replace-wim") } + extra
                + QStringList { QStringLiteral("-q") },
            300000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        for (const char *tool : { "ntfscat", "ntfsresize", "dd", "cp" }) {
            if (findTool(QLatin1String(tool)).isEmpty())
                QSKIP(qPrintable(QStringLiteral("%1 is needed").arg(QLatin1String(tool))));
        }
        QVERIFY(m_dir.isValid());
        QString error;
        QDir(m_dir.path()).mkdir(QStringLiteral("w"));
        m_wim = makeFixtureWim(m_dir.filePath(QStringLiteral("w")), {}, &error);
        QVERIFY2(!m_wim.isEmpty(), qPrintable(error));
        FixtureWimOptions big;
        big.fileName = QStringLiteral("big.wim");
        big.targetSize = 40 * 1024 * 1024; // incompressible: more than the built image's slack
        m_bigWim = makeFixtureWim(m_dir.filePath(QStringLiteral("w")), big, &error);
        QVERIFY2(!m_bigWim.isEmpty(), qPrintable(error));
        FixtureWimOptions small;
        small.fileName = QStringLiteral("small.wim");
        small.images = { FixtureImage {} };
        small.images[0].tree.sdiSize = 4096;
        m_smallWim = makeFixtureWim(m_dir.filePath(QStringLiteral("w")), small, &error);
        QVERIFY2(!m_smallWim.isEmpty(), qPrintable(error));
        QVERIFY(QFileInfo(m_smallWim).size() < QFileInfo(m_wim).size());

        m_base = m_dir.filePath(QStringLiteral("base.img"));
        const auto r = runCli({ QStringLiteral("build"), QStringLiteral("--wim"), m_wim,
                                  QStringLiteral("-o"), m_base, QStringLiteral("-q") },
            300000);
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }

    void largerWimGrowsTheImageAndBoots()
    {
        QTemporaryDir work;
        const QByteArray baseHash = sha(m_base);
        const QString out = work.filePath(QStringLiteral("grown.img"));
        const auto r = replace({ m_base, QStringLiteral("--wim"), m_bigWim, QStringLiteral("-o"),
            out, QStringLiteral("--json") });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject json = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(json.value(QStringLiteral("grown")).toBool(), true);
        QCOMPARE(json.value(QStringLiteral("wimPath")).toString(), QStringLiteral("\\winpe.wim"));
        QVERIFY(QFileInfo(out).size() > QFileInfo(m_base).size());
        QCOMPARE(QFileInfo(out).size() % (255 * 63 * 512), 0); // whole cylinders, like a build
        QCOMPARE(sha(m_base), baseHash); // -o: the original is only read
        verifyEdited(m_base, out, m_bigWim);
        QCOMPARE(dirEntries(work.path()), QStringList { QStringLiteral("grown.img") });
        if (qemuPath().isEmpty() || !QFileInfo::exists(QString::fromLatin1(kMemdiskPath)))
            QSKIP("qemu-system-x86_64 or memdisk is missing: boot not checked");
        netboot(out);
    }

    void smallerWimReplacesTheOriginalAtomically()
    {
        QTemporaryDir work;
        const QString image = copyOf(m_base, work.path(), QStringLiteral("edit.img"));
        QVERIFY(!image.isEmpty());
        const auto r = replace({ image, QStringLiteral("--wim"), m_smallWim });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(QFileInfo(image).size(), QFileInfo(m_base).size()); // no growth needed
        verifyEdited(m_base, image, m_smallWim);
        QCOMPARE(dirEntries(work.path()), QStringList { QStringLiteral("edit.img") });
        if (qemuPath().isEmpty() || !QFileInfo::exists(QString::fromLatin1(kMemdiskPath)))
            QSKIP("qemu-system-x86_64 or memdisk is missing: boot not checked");
        netboot(image);
    }

    void inPlace()
    {
        QTemporaryDir work;
        const QString image = copyOf(m_base, work.path(), QStringLiteral("inplace.img"));
        const auto r
            = replace({ image, QStringLiteral("--wim"), m_smallWim, QStringLiteral("--in-place") });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        verifyEdited(m_base, image, m_smallWim);
    }

    void newWimPathUpdatesTheBcd()
    {
        QTemporaryDir work;
        const QString out = work.filePath(QStringLiteral("renamed.img"));
        const auto r
            = replace({ m_base, QStringLiteral("--wim"), m_smallWim, QStringLiteral("--wim-path"),
                QStringLiteral("\\custom.wim"), QStringLiteral("-o"), out });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        verifyEdited(m_base, out, m_smallWim, QStringLiteral("/custom.wim"), true);
        const QString part = partitionFile(out, work.path());
        QCOMPARE(ntfscat(part, QStringLiteral("/winpe.wim")), QByteArray("<missing>"));
        const QString bcd = work.filePath(QStringLiteral("BCD"));
        QFile f(bcd);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(ntfscat(part, QStringLiteral("/boot/BCD")));
        f.close();
        const auto dump = runCli({ QStringLiteral("bcd"), QStringLiteral("dump"), bcd });
        QVERIFY2(dump.exitCode == 0, dump.err.constData());
        QVERIFY2(dump.out.contains("\\custom.wim"), dump.out.constData());
        QVERIFY(!dump.out.contains("\\winpe.wim"));
    }

    void cancelLeavesTheOriginal()
    {
        QTemporaryDir work;
        const QString image = copyOf(m_base, work.path(), QStringLiteral("cancel.img"));
        const QByteArray before = sha(image);
        CancelAtStage cancel(QStringLiteral("Writing"));
        pipeline::ReplaceWimRequest request;
        request.image = image;
        request.newWim = m_bigWim; // grows: the longest path, with the scratch partition
        auto result = pipeline::replaceWim(request, cancel.progress());
        QVERIFY(cancel.reached());
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code(), Errc::Cancelled);
        QCOMPARE(sha(image), before);
        QCOMPARE(dirEntries(work.path()), QStringList { QStringLiteral("cancel.img") });
    }

    void badInput()
    {
        QTemporaryDir work;
        // Not a WIM.
        auto r = replace({ m_base, QStringLiteral("--wim"), m_base, QStringLiteral("-o"),
            work.filePath(QStringLiteral("x.img")) });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("not a WIM"), r.err.constData());

        // No NTFS partition: one partition of type 07 that was never formatted.
        const QString blank = work.filePath(QStringLiteral("blank.img"));
        {
            QFile f(blank);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QVERIFY(f.resize(16 * 1024 * 1024));
        }
        const auto sf = run(findTool(QStringLiteral("sfdisk")), { QStringLiteral("-q"), blank },
            60000, "label: dos\nstart=2048, type=7, bootable\n");
        QVERIFY2(sf.exitCode == 0, sf.err.constData());
        r = replace({ blank, QStringLiteral("--wim"), m_smallWim });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("no NTFS partition"), r.err.constData());

        // NTFS without bootmgr or BCD.
        const QString empty = copyOf(m_base, work.path(), QStringLiteral("nobcd.img"));
        {
            auto volume = disk::NtfsVolume::open(
                empty, qint64(partition1(empty).start) * 512, disk::NtfsVolume::Mode::ReadWrite);
            QVERIFY(volume.ok());
            QVERIFY(volume->remove(QStringLiteral("/boot/BCD")).ok());
            QVERIFY(volume->close().ok());
        }
        QByteArray before = sha(empty);
        r = replace({ empty, QStringLiteral("--wim"), m_smallWim });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("\\boot\\BCD"), r.err.constData());
        QCOMPARE(sha(empty), before);

        // A BCD that points nowhere: the WIM it names is gone.
        const QString nowim = copyOf(m_base, work.path(), QStringLiteral("nowim.img"));
        {
            auto volume = disk::NtfsVolume::open(
                nowim, qint64(partition1(nowim).start) * 512, disk::NtfsVolume::Mode::ReadWrite);
            QVERIFY(volume.ok());
            QVERIFY(volume->remove(QStringLiteral("/winpe.wim")).ok());
            QVERIFY(volume->close().ok());
        }
        before = sha(nowim);
        r = replace({ nowim, QStringLiteral("--wim"), m_smallWim });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("\\winpe.wim, which is not on partition 1"), r.err.constData());
        QCOMPARE(sha(nowim), before);

        // A read-only image is not replaced.
        const QString ro = copyOf(m_base, work.path(), QStringLiteral("ro.img"));
        QVERIFY(::chmod(QFile::encodeName(ro).constData(), 0444) == 0);
        before = sha(ro);
        r = replace({ ro, QStringLiteral("--wim"), m_smallWim });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("read-only"), r.err.constData());
        QCOMPARE(sha(ro), before);

        QCOMPARE(dirEntries(work.path()),
            (QStringList { QStringLiteral("blank.img"), QStringLiteral("nobcd.img"),
                QStringLiteral("nowim.img"), QStringLiteral("ro.img") }));
    }

    // Growing needs room on the output's file system: a small tmpfs in a private mount
    // namespace (unshare, as root) is too small for the grown image.
    void notEnoughSpaceToGrow()
    {
        if (findTool(QStringLiteral("unshare")).isEmpty() || ::geteuid() != 0)
            QSKIP("needs root and unshare for a private tmpfs");
        QTemporaryDir work;
        const QString mnt = work.filePath(QStringLiteral("small"));
        QVERIFY(QDir().mkpath(mnt));
        const QString script
            = QStringLiteral("mount -t tmpfs -o size=%1k tmpfs \"$1\" || exit 77\n"
                             "cp --sparse=always \"$2\" \"$1/img\" || exit 78\n"
                             "\"$3\" image replace-wim \"$1/img\" --wim \"$4\" -q; rc=$?\n"
                             "ls -A \"$1\"; exit $rc\n")
                  .arg((QFileInfo(m_base).size() + 8 * 1024 * 1024) / 1024);
        const auto r = run(findTool(QStringLiteral("unshare")),
            { QStringLiteral("-m"), QStringLiteral("sh"), QStringLiteral("-c"), script,
                QStringLiteral("sh"), mnt, m_base, cliPath(), m_bigWim },
            300000);
        if (r.exitCode == 77)
            QSKIP("cannot mount a tmpfs here");
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("not enough disk space"), r.err.constData());
        QCOMPARE(r.out.trimmed(), QByteArray("img")); // nothing left behind
    }
};

QTEST_GUILESS_MAIN(TestReplaceWim)
#include "tst_replacewim.moc"
