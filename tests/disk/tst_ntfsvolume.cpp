// NtfsVolume (libntfs-3g at an offset) + ImageWriter, checked with independent readers:
// GRUB's own NTFS driver (grub-fstest), ntfs-3g's ntfsfix/ntfsls/ntfsinfo on the extracted
// partition, and sfdisk.

#include "disk/imagewriter.h"
#include "disk/ntfsformat.h"
#include "disk/ntfsvolume.h"
#include "diskimagebuilder.h"
#include "fixtures.h"
#include "testenv.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

#include <optional>

using namespace pecast;
using namespace pecast::disk;

namespace {

constexpr qint64 kMiB = 1024 * 1024;

QString writeSource(const QString &path, const QByteArray &data)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size())
        return {};
    return path;
}

// ntfsfix -n on a partition copy: empty when it finds the volume clean (or ntfs-3g is not
// installed), else what it said.
QByteArray ntfsfixComplaint(const QString &part)
{
    const QString ntfsfix = test::findTool(QStringLiteral("ntfsfix"));
    if (ntfsfix.isEmpty())
        return {};
    const auto fix = test::run(ntfsfix, { QStringLiteral("-n"), part });
    if (fix.exitCode == 0)
        return {};
    return "ntfsfix -n exited with " + QByteArray::number(fix.exitCode) + ":\n" + fix.out + fix.err;
}

// GRUB's NTFS driver (what ntldr uses at boot) compares `pathInImage` on the image's partition
// with `source`; std::nullopt when grub-fstest is not installed.
std::optional<test::ProcessResult> grubCompare(
    const QString &image, const QString &pathInImage, const QString &source)
{
    const QString fstest = test::findTool(QStringLiteral("grub-fstest"));
    if (fstest.isEmpty())
        return std::nullopt;
    return test::run(fstest,
        { image, QStringLiteral("cmp"), QStringLiteral("(loop0,msdos1)") + pathInImage, source });
}

} // namespace

class TestNtfsVolume : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void writesFilesOthersCanRead();
    void refusesExistingUnlessReplace();
    void fillsNearlyFullVolume();
    void noSpaceIsCleanError();
    void cancelLeavesNoPartialFile();
    void directWriteFragmentedReadsBack();
    void directWriteNoSpaceIsCleanError();
    void directWriteCancelLeavesNoPartialFile();
    void directWriteFromAnotherFilesystem();
    void uncommittedWriterLeavesNoDebris();
    void openRejectsNonNtfs();

private:
    // A fresh image in m_dir; the writer is left open for the test to fill.
    std::optional<ImageWriter> newImage(const QString &name, qint64 bytes);
    // Commits the writer's image (m_dir/`name`), closes it, and copies its partition to
    // m_dir/<base name>.part for ntfs-3g's tools, which take no offset. Empty on failure.
    QString commitAndExtract(std::optional<ImageWriter> &writer, const QString &name);
    // A write of /winpe.wim that ran out of space failed cleanly: Errc::NoSpace saying "too
    // small", no partial file, its clusters back, the volume still writable, and the committed
    // partition clean for ntfsfix.
    void verifyCleanNoSpace(std::optional<ImageWriter> &writer, const Status &status,
        qint64 freeBefore, const QString &name);

    QTemporaryDir m_dir;
    std::optional<GrubBootCode> m_grub;
};

void TestNtfsVolume::initTestCase()
{
    QVERIFY(m_dir.isValid());
    Progress progress;
    auto grub = GrubBootCode::build(progress);
    if (!grub && grub.error().code() == Errc::NotFound)
        QSKIP(qPrintable(grub.error().toString()));
    QVERIFY2(grub, test::errorText(grub).constData());
    m_grub = *grub;
    if (mkntfsPath().isEmpty())
        QSKIP("mkntfs (ntfs-3g) not installed");
}

std::optional<ImageWriter> TestNtfsVolume::newImage(const QString &name, qint64 bytes)
{
    auto layout = planLayout(bytes);
    if (!layout)
        return std::nullopt;
    Progress progress;
    auto writer = ImageWriter::create(m_dir.filePath(name), *layout, *m_grub,
        QStringLiteral("PECAST"), AtomicFile::Overwrite::Replace, progress);
    if (!writer) {
        qWarning() << writer.error().toString();
        return std::nullopt;
    }
    return std::move(writer).value();
}

QString TestNtfsVolume::commitAndExtract(std::optional<ImageWriter> &writer, const QString &name)
{
    const qint64 offset = writer->layout().partitionOffset();
    const qint64 bytes = writer->layout().partitionBytes();
    const bool committed = writer->commit().ok();
    writer.reset();
    const QString part
        = m_dir.filePath(QFileInfo(name).completeBaseName() + QStringLiteral(".part"));
    if (!committed || !test::extractRange(m_dir.filePath(name), offset, bytes, part))
        return {};
    return part;
}

void TestNtfsVolume::verifyCleanNoSpace(std::optional<ImageWriter> &writer, const Status &status,
    qint64 freeBefore, const QString &name)
{
    QVERIFY(!status);
    QCOMPARE(status.error().code(), Errc::NoSpace);
    QVERIFY2(status.error().toString().contains(QLatin1String("too small")),
        qPrintable(status.error().toString()));
    NtfsVolume &volume = writer->volume();
    QVERIFY(!volume.exists(QStringLiteral("/winpe.wim"))); // no partial file
    QVERIFY(volume.freeBytes() >= freeBefore - 64 * 1024); // its clusters came back
    // The volume is still good.
    QVERIFY(volume.writeFile(QStringLiteral("/after"), QByteArray("ok")));
    const QString part = commitAndExtract(writer, name);
    QVERIFY(!part.isEmpty());
    const QByteArray fix = ntfsfixComplaint(part);
    QVERIFY2(fix.isEmpty(), fix.constData());
}

void TestNtfsVolume::writesFilesOthersCanRead()
{
    const QByteArray bootmgr = test::pseudoRandomBytes(300 * 1024, 1);
    const QByteArray bcd = test::pseudoRandomBytes(24 * 1024, 2);
    const QByteArray sdi = test::pseudoRandomBytes(3 * kMiB, 3);
    const QByteArray wim = test::pseudoRandomBytes(20 * kMiB + 123, 4);
    const QString bootmgrPath = writeSource(m_dir.filePath(QStringLiteral("bootmgr.src")), bootmgr);
    const QString wimPath = writeSource(m_dir.filePath(QStringLiteral("winpe.src")), wim);
    QVERIFY(!bootmgrPath.isEmpty() && !wimPath.isEmpty());

    auto writer = newImage(QStringLiteral("good.img"), 64 * kMiB);
    QVERIFY(writer);
    NtfsVolume &volume = writer->volume();
    QCOMPARE(volume.label(), QStringLiteral("PECAST"));
    Progress progress;
    QVERIFY(volume.writeFile(QStringLiteral("/bootmgr"), bootmgrPath, progress));
    QVERIFY(
        volume.setAttributes(QStringLiteral("\\bootmgr"), AttrHidden | AttrSystem | AttrReadOnly));
    QVERIFY(volume.writeFile(QStringLiteral("\\boot\\BCD"), bcd)); // creates \boot
    QBuffer sdiBuffer;
    sdiBuffer.setData(sdi);
    QVERIFY(sdiBuffer.open(QIODevice::ReadOnly));
    QList<qint64> seen;
    Progress counting([&seen](const ProgressEvent &e) { seen.append(e.done); });
    QVERIFY(volume.writeFile(QStringLiteral("/boot.sdi"), sdiBuffer, sdi.size(), counting));
    QCOMPARE(seen.last(), qint64(sdi.size())); // 100 % is always reported
    QVERIFY(volume.writeFile(QStringLiteral("/winpe.wim"), wimPath, progress));
    QVERIFY(volume.makeDirectories(QStringLiteral("/a/b/c")));
    QVERIFY(volume.makeDirectories(QStringLiteral("/a/b"))); // existing: fine

    // Read back through the same API.
    auto listed = volume.list();
    QVERIFY(listed);
    QStringList paths;
    for (const NtfsEntry &e : *listed)
        paths << e.path + (e.directory ? QStringLiteral("/") : QStringLiteral(":%1").arg(e.size));
    QCOMPARE(paths,
        QStringList({ QStringLiteral("/a/"), QStringLiteral("/a/b/"), QStringLiteral("/a/b/c/"),
            QStringLiteral("/boot/"), QStringLiteral("/boot/BCD:%1").arg(bcd.size()),
            QStringLiteral("/boot.sdi:%1").arg(sdi.size()),
            QStringLiteral("/bootmgr:%1").arg(bootmgr.size()),
            QStringLiteral("/winpe.wim:%1").arg(wim.size()) }));
    auto attrs = volume.stat(QStringLiteral("/BOOTMGR")); // NTFS lookups ignore case
    QVERIFY(attrs);
    QCOMPARE(attrs->attributes & 0x7u, quint32(AttrHidden | AttrSystem | AttrReadOnly));
    auto readBack = volume.readFile(QStringLiteral("/winpe.wim"));
    QVERIFY(readBack);
    QVERIFY(*readBack == wim);
    auto missing = volume.stat(QStringLiteral("/nope"));
    QVERIFY(!missing);
    QCOMPARE(missing.error().code(), Errc::NotFound);
    const QString image = m_dir.filePath(QStringLiteral("good.img"));
    const qint64 partitionOffset = writer->layout().partitionOffset();
    const QString part = commitAndExtract(writer, QStringLiteral("good.img"));
    QVERIFY(!part.isEmpty());
    QVERIFY(QFileInfo::exists(image));

    // Independent reader 1: GRUB's NTFS driver, which is what ntldr uses at boot.
    const QString fstest = test::findTool(QStringLiteral("grub-fstest"));
    if (!fstest.isEmpty()) {
        const auto ls
            = test::run(fstest, { image, QStringLiteral("ls"), QStringLiteral("(loop0,msdos1)/") });
        QVERIFY2(ls.exitCode == 0, ls.err.constData());
        for (const char *name : { "bootmgr", "boot/", "boot.sdi", "winpe.wim", "a/" })
            QVERIFY2(ls.out.contains(name), ls.out.constData());
        const auto cmp = grubCompare(image, QStringLiteral("/winpe.wim"), wimPath);
        QVERIFY2(cmp->exitCode == 0, cmp->out + cmp->err);
        const auto cmpBootmgr = grubCompare(image, QStringLiteral("/bootmgr"), bootmgrPath);
        QVERIFY2(cmpBootmgr->exitCode == 0, cmpBootmgr->out + cmpBootmgr->err);
    }

    // Independent reader 2: ntfs-3g's tools on the partition bytes.
    const QByteArray fix = ntfsfixComplaint(part);
    QVERIFY2(fix.isEmpty(), fix.constData());
    const QString ntfsls = test::findTool(QStringLiteral("ntfsls"));
    if (!ntfsls.isEmpty()) {
        const auto ls = test::run(ntfsls,
            { QStringLiteral("-a"), QStringLiteral("-s"), QStringLiteral("-l"),
                QStringLiteral("-p"), QStringLiteral("/boot"), part });
        QVERIFY2(ls.exitCode == 0, ls.err.constData());
        QVERIFY2(ls.out.contains("BCD") && ls.out.contains(QByteArray::number(bcd.size())),
            ls.out.constData());
    }
    const QString ntfsinfo = test::findTool(QStringLiteral("ntfsinfo"));
    if (!ntfsinfo.isEmpty()) {
        const auto info
            = test::run(ntfsinfo, { QStringLiteral("-F"), QStringLiteral("/bootmgr"), part });
        QVERIFY2(info.exitCode == 0, info.err.constData());
        for (const char *flag : { "HIDDEN", "SYSTEM", "READONLY" })
            QVERIFY2(info.out.contains(flag), info.out.constData());
    }

    // Independent reader 3: sfdisk sees one active NTFS partition at 2048.
    const QString sfdisk = test::findTool(QStringLiteral("sfdisk"));
    if (!sfdisk.isEmpty()) {
        const auto d = test::run(sfdisk, { QStringLiteral("-d"), image });
        QVERIFY2(d.out.contains("start=        2048") && d.out.contains("type=7")
                && d.out.contains("bootable"),
            d.out.constData());
    }

    // Reopen read-only by path: writes are refused, data is intact.
    auto ro = NtfsVolume::open(image, partitionOffset, NtfsVolume::Mode::ReadOnly);
    QVERIFY2(ro, test::errorText(ro).constData());
    auto bcdBack = ro->readFile(QStringLiteral("/boot/bcd"));
    QVERIFY(bcdBack);
    QVERIFY(*bcdBack == bcd);
    auto refused = ro->writeFile(QStringLiteral("/x"), QByteArray("x"));
    QVERIFY(!refused);
    QVERIFY(ro->close());
}

void TestNtfsVolume::refusesExistingUnlessReplace()
{
    auto writer = newImage(QStringLiteral("replace.img"), 16 * kMiB);
    QVERIFY(writer);
    NtfsVolume &volume = writer->volume();
    QVERIFY(volume.writeFile(QStringLiteral("/f"), QByteArray(5000, 'a')));
    auto again = volume.writeFile(QStringLiteral("/f"), QByteArray("b"));
    QVERIFY(!again);
    QCOMPARE(again.error().code(), Errc::Exists);
    QVERIFY(volume.writeFile(QStringLiteral("/f"), QByteArray("bb"), true));
    auto data = volume.readFile(QStringLiteral("/f"));
    QVERIFY(data);
    QCOMPARE(*data, QByteArray("bb"));
    QVERIFY(volume.writeFile(QStringLiteral("/d/x"), QByteArray("x")));
    auto fileInTheWay = volume.writeFile(QStringLiteral("/f/x"), QByteArray("x"));
    QVERIFY(!fileInTheWay);
    QVERIFY(volume.remove(QStringLiteral("/F"))); // Windows semantics: case is ignored
    QVERIFY(!volume.exists(QStringLiteral("/f")));
    QVERIFY(writer->commit());
}

void TestNtfsVolume::fillsNearlyFullVolume()
{
    // ntfscp preallocates and will not use the 12.5 % MFT zone (bootchain.md); chunked writes
    // fill 97 % of the free space.
    auto writer = newImage(QStringLiteral("full.img"), 48 * kMiB);
    QVERIFY(writer);
    NtfsVolume &volume = writer->volume();
    const qint64 free = volume.freeBytes();
    QVERIFY(free > 40 * kMiB);
    const qint64 size = free * 97 / 100;
    const QByteArray data = test::pseudoRandomBytes(size, 7);
    const QString source = writeSource(m_dir.filePath(QStringLiteral("big.src")), data);
    Progress progress;
    auto s = volume.writeFile(QStringLiteral("/winpe.wim"), source, progress);
    QVERIFY2(s, test::errorText(s).constData());
    QVERIFY(volume.freeBytes() < free - size + kMiB);
    QVERIFY(writer->commit());
    writer.reset();
    const auto cmp = grubCompare(
        m_dir.filePath(QStringLiteral("full.img")), QStringLiteral("/winpe.wim"), source);
    if (!cmp)
        QSKIP("grub-fstest not installed");
    QVERIFY2(cmp->exitCode == 0, cmp->out + cmp->err);
}

void TestNtfsVolume::noSpaceIsCleanError()
{
    auto writer = newImage(QStringLiteral("nospace.img"), 16 * kMiB);
    QVERIFY(writer);
    NtfsVolume &volume = writer->volume();
    const qint64 free = volume.freeBytes();
    const qint64 size = free + 2 * kMiB;
    qint64 produced = 0;
    Progress progress;
    auto s = volume.writeFile(
        QStringLiteral("/winpe.wim"), size,
        [&produced](char *buffer, qint64 max) {
            memset(buffer, 0x5A, size_t(max));
            produced += max;
            return max;
        },
        progress);
    QVERIFY(!s);
    QVERIFY(!s.error().hint().isEmpty());
    QVERIFY(produced > free / 2); // it really wrote until the volume was full
    verifyCleanNoSpace(writer, s, free, QStringLiteral("nospace.img"));
}

void TestNtfsVolume::cancelLeavesNoPartialFile()
{
    auto writer = newImage(QStringLiteral("cancel.img"), 32 * kMiB);
    QVERIFY(writer);
    NtfsVolume &volume = writer->volume();
    std::stop_source stop;
    int chunks = 0;
    Progress progress(stop.get_token());
    auto s = volume.writeFile(
        QStringLiteral("/winpe.wim"), 16 * kMiB,
        [&](char *buffer, qint64 max) {
            memset(buffer, 1, size_t(max));
            if (++chunks == 3)
                stop.request_stop();
            return max;
        },
        progress);
    QVERIFY(!s);
    QCOMPARE(s.error().code(), Errc::Cancelled);
    QCOMPARE(chunks, 3);
    QVERIFY(!volume.exists(QStringLiteral("/winpe.wim")));
    QVERIFY(writer->commit());
}

// The direct path (clusters from libntfs-3g, bytes by copy_file_range) on a file that must be
// spread over many runs: the volume is filled with 1 MiB files, every other one is deleted, and
// the big file can only go into the holes. Every independent reader must see the source's bytes.
void TestNtfsVolume::directWriteFragmentedReadsBack()
{
    auto writer = newImage(QStringLiteral("frag.img"), 40 * kMiB);
    QVERIFY(writer);
    NtfsVolume &volume = writer->volume();
    const QString filler
        = writeSource(m_dir.filePath(QStringLiteral("filler.src")), QByteArray(kMiB, 'f'));
    QVERIFY(!filler.isEmpty());
    Progress progress;
    int files = 0;
    while (volume.freeBytes() > 2 * kMiB) {
        QVERIFY(volume.writeFile(QStringLiteral("/fill/%1").arg(files), filler, progress));
        ++files;
    }
    QVERIFY(files > 10);
    for (int i = 0; i < files; i += 2)
        QVERIFY(volume.remove(QStringLiteral("/fill/%1").arg(i)));
    const qint64 free = volume.freeBytes();
    // Not a whole number of clusters, so the tail of the last cluster is exercised too.
    const qint64 size = free * 97 / 100 - 777;
    QVERIFY(size > 8 * kMiB);
    const QString source
        = writeSource(m_dir.filePath(QStringLiteral("frag.src")), test::pseudoRandomBytes(size, 9));
    QVERIFY(!source.isEmpty());
    QList<qint64> seen;
    Progress counting([&seen](const ProgressEvent &e) { seen.append(e.done); });
    auto s = volume.writeFile(QStringLiteral("/winpe.wim"), source, counting);
    QVERIFY2(s, test::errorText(s).constData());
    QCOMPARE(seen.last(), size); // 100 % is always reported
    auto entry = volume.stat(QStringLiteral("/winpe.wim"));
    QVERIFY(entry);
    QCOMPARE(entry->size, size);
    auto back = volume.readFile(QStringLiteral("/winpe.wim"));
    QVERIFY(back);
    QVERIFY(*back == test::pseudoRandomBytes(size, 9));
    const QString image = m_dir.filePath(QStringLiteral("frag.img"));
    const QString part = commitAndExtract(writer, QStringLiteral("frag.img"));
    QVERIFY(!part.isEmpty());

    const QString ntfsinfo = test::findTool(QStringLiteral("ntfsinfo"));
    if (!ntfsinfo.isEmpty()) {
        // The file really is in many pieces, so the run mapping is what is under test.
        const auto info = test::run(ntfsinfo,
            { QStringLiteral("-v"), QStringLiteral("-F"), QStringLiteral("/winpe.wim"), part });
        QVERIFY2(info.exitCode == 0, info.err.constData());
        const qsizetype at = info.out.indexOf("Total runs: ");
        QVERIFY2(at >= 0, info.out.constData());
        const int runs = info.out.mid(at + 12).split(' ').first().toInt();
        QVERIFY2(runs > 3, info.out.mid(at).constData());
    }
    const QByteArray fix = ntfsfixComplaint(part);
    QVERIFY2(fix.isEmpty(), fix.constData());
    const QString ntfscat = test::findTool(QStringLiteral("ntfscat"));
    if (!ntfscat.isEmpty()) {
        const auto cat = test::run(ntfscat, { part, QStringLiteral("/winpe.wim") });
        QVERIFY2(cat.exitCode == 0, cat.err.constData());
        QVERIFY(cat.out == test::pseudoRandomBytes(size, 9));
    }
    if (const auto cmp = grubCompare(image, QStringLiteral("/winpe.wim"), source))
        QVERIFY2(cmp->exitCode == 0, cmp->out + cmp->err);
}

void TestNtfsVolume::directWriteNoSpaceIsCleanError()
{
    auto writer = newImage(QStringLiteral("directfull.img"), 24 * kMiB);
    QVERIFY(writer);
    NtfsVolume &volume = writer->volume();
    const qint64 free = volume.freeBytes();
    // A sparse source: the write must fail while allocating, before reading any of it.
    const QString source = m_dir.filePath(QStringLiteral("toobig.src"));
    QFile file(source);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QVERIFY(file.resize(free + 2 * kMiB));
    file.close();
    Progress progress;
    auto s = volume.writeFile(QStringLiteral("/winpe.wim"), source, progress);
    verifyCleanNoSpace(writer, s, free, QStringLiteral("directfull.img"));
}

void TestNtfsVolume::directWriteCancelLeavesNoPartialFile()
{
    auto writer = newImage(QStringLiteral("directcancel.img"), 32 * kMiB);
    QVERIFY(writer);
    NtfsVolume &volume = writer->volume();
    const qint64 free = volume.freeBytes();
    const QString source = writeSource(
        m_dir.filePath(QStringLiteral("cancel.src")), test::pseudoRandomBytes(8 * kMiB, 5));
    QVERIFY(!source.isEmpty());
    // Stop as soon as the write announces itself: it must not go on to leave a file.
    std::stop_source stop;
    Progress progress(
        [&stop](const ProgressEvent &e) {
            if (e.stage.startsWith(QLatin1String("Writing")))
                stop.request_stop();
        },
        stop.get_token());
    auto s = volume.writeFile(QStringLiteral("/winpe.wim"), source, progress);
    QVERIFY(!s);
    QCOMPARE(s.error().code(), Errc::Cancelled);
    QVERIFY(!volume.exists(QStringLiteral("/winpe.wim")));
    QVERIFY(volume.freeBytes() >= free - 64 * 1024);
    QVERIFY(writer->commit());
}

// A source on another filesystem (tmpfs): copy_file_range refuses with EXDEV on current
// kernels, so this is the pread/pwrite fallback (older kernels copy across; either must work).
void TestNtfsVolume::directWriteFromAnotherFilesystem()
{
    struct stat shm = {};
    struct stat here = {};
    if (::stat("/dev/shm", &shm) != 0
        || ::stat(QFile::encodeName(m_dir.path()).constData(), &here) != 0
        || shm.st_dev == here.st_dev)
        QSKIP("no second filesystem at /dev/shm");
    QTemporaryDir other(QStringLiteral("/dev/shm/pecast-test-XXXXXX"));
    QVERIFY(other.isValid());
    const QByteArray data = test::pseudoRandomBytes(5 * kMiB + 17, 11);
    const QString source = writeSource(other.filePath(QStringLiteral("winpe.src")), data);
    QVERIFY(!source.isEmpty());
    auto writer = newImage(QStringLiteral("crossfs.img"), 16 * kMiB);
    QVERIFY(writer);
    Progress progress;
    auto s = writer->volume().writeFile(QStringLiteral("/winpe.wim"), source, progress);
    QVERIFY2(s, test::errorText(s).constData());
    auto back = writer->volume().readFile(QStringLiteral("/winpe.wim"));
    QVERIFY(back);
    QVERIFY(*back == data);
    QVERIFY(writer->commit());
    writer.reset();
    const auto cmp = grubCompare(
        m_dir.filePath(QStringLiteral("crossfs.img")), QStringLiteral("/winpe.wim"), source);
    if (!cmp)
        QSKIP("grub-fstest not installed");
    QVERIFY2(cmp->exitCode == 0, cmp->out + cmp->err);
}

void TestNtfsVolume::uncommittedWriterLeavesNoDebris()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    {
        auto layout = planLayout(16 * kMiB);
        QVERIFY(layout);
        Progress progress;
        auto writer = ImageWriter::create(dir.filePath(QStringLiteral("out.img")), *layout, *m_grub,
            QStringLiteral("PECAST"), AtomicFile::Overwrite::Refuse, progress);
        QVERIFY(writer);
        QVERIFY(writer->volume().writeFile(QStringLiteral("/bootmgr"), QByteArray(1000, 'x')));
        QVERIFY(QFileInfo::exists(writer->tempPath()));
    }
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
        QStringList());

    // Cancelled formatting: no output either.
    auto layout = planLayout(16 * kMiB);
    std::stop_source stop;
    stop.request_stop();
    Progress cancelled(stop.get_token());
    auto writer = ImageWriter::create(dir.filePath(QStringLiteral("out.img")), *layout, *m_grub,
        QStringLiteral("PECAST"), AtomicFile::Overwrite::Refuse, cancelled);
    QVERIFY(!writer);
    QCOMPARE(writer.error().code(), Errc::Cancelled);
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
        QStringList());
}

void TestNtfsVolume::openRejectsNonNtfs()
{
    const QString path = m_dir.filePath(QStringLiteral("zeros.img"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QVERIFY(file.resize(4 * kMiB));
    file.close();
    auto volume = NtfsVolume::open(path, 0, NtfsVolume::Mode::ReadOnly);
    QVERIFY(!volume);
    QCOMPARE(volume.error().code(), Errc::BadFormat);
    QVERIFY(volume.error().toString().contains(path));
}

QTEST_GUILESS_MAIN(TestNtfsVolume)
#include "tst_ntfsvolume.moc"
