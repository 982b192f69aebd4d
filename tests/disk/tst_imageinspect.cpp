// `pecast image inspect` on a good image and on broken ones: each problem shows up as its own
// failed check with a readable message, and files that are not images are refused cleanly.

#include "disk/disklayout.h"
#include "disk/imagereport.h"
#include "disk/ntfsvolume.h"
#include "diskimagebuilder.h"
#include "fixtures.h"
#include "testenv.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace pecast;
using namespace pecast::disk;

namespace {

constexpr qint64 kMiB = 1024 * 1024;
constexpr qint64 kImageBytes = 24 * kMiB;

QList<test::DiskImageFile> goodFiles(qint64 bootmgrSize = 200 * 1024)
{
    return {
        { QStringLiteral("/bootmgr"), {}, test::pseudoRandomBytes(bootmgrSize, 1),
            AttrHidden | AttrSystem | AttrReadOnly },
        { QStringLiteral("/boot/BCD"), {}, test::winPeBcd(), 0 },
        { QStringLiteral("/boot.sdi"), {}, test::pseudoRandomBytes(3 * kMiB, 2), 0 },
        { QStringLiteral("/winpe.wim"), {}, test::pseudoRandomBytes(5 * kMiB, 3), 0 },
    };
}

QList<test::DiskImageFile> without(QList<test::DiskImageFile> files, const QString &path)
{
    files.removeIf([&](const test::DiskImageFile &f) { return f.path == path; });
    return files;
}

struct Inspection
{
    int exitCode = -1;
    QJsonObject json;
    QByteArray err;
    QString checkResult(const QString &name) const
    {
        for (const QJsonValue &v : json.value(QStringLiteral("checks")).toArray()) {
            if (v[QStringLiteral("name")].toString() == name)
                return v[QStringLiteral("result")].toString();
        }
        return QStringLiteral("(absent)");
    }
    QString checkMessage(const QString &name) const
    {
        for (const QJsonValue &v : json.value(QStringLiteral("checks")).toArray()) {
            if (v[QStringLiteral("name")].toString() == name)
                return v[QStringLiteral("message")].toString();
        }
        return {};
    }
};

Inspection inspect(const QString &image)
{
    const auto result = test::runCli(
        { QStringLiteral("image"), QStringLiteral("inspect"), QStringLiteral("--json"), image });
    Inspection inspection;
    inspection.exitCode = result.exitCode;
    inspection.err = result.err;
    inspection.json = QJsonDocument::fromJson(result.out).object();
    return inspection;
}

} // namespace

class TestImageInspect : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void goodImageIsConsistent();
    void textReport();
    void missingBootmgr();
    void missingWim();
    void largeBootmgrWarns();
    void wrongHiddenSectors();
    void noPartition();
    void foreignImageAtSector63();
    void notAnImage();

private:
    QString build(const QString &name, const QList<test::DiskImageFile> &files);
    QTemporaryDir m_dir;
};

void TestImageInspect::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFile::exists(test::cliPath()), "PECAST_CLI not set");
    QVERIFY(!test::winPeBcd().isEmpty());
}

QString TestImageInspect::build(const QString &name, const QList<test::DiskImageFile> &files)
{
    const QString path = m_dir.filePath(name);
    const QString error = test::buildDiskImage(path, kImageBytes, files, 0x5EC0DE01);
    if (!error.isEmpty()) {
        qWarning() << error;
        return {};
    }
    return path;
}

void TestImageInspect::goodImageIsConsistent()
{
    const QString image = build(QStringLiteral("good.img"), goodFiles());
    QVERIFY(!image.isEmpty());
    const Inspection r = inspect(image);
    QVERIFY2(r.exitCode == 0, r.err + QJsonDocument(r.json).toJson());
    QCOMPARE(r.json[QStringLiteral("consistent")].toBool(), true);
    for (const char *check : { "partition-table", "boot-code", "partition-end", "hidden-sectors",
             "bpb-geometry", "ntfs", "bootmgr", "bcd", "bcd-store", "bcd-wim", "bcd-sdi" })
        QCOMPARE(r.checkResult(QLatin1String(check)), QStringLiteral("pass"));
    QCOMPARE(r.json[QStringLiteral("diskSignature")].toString(), QStringLiteral("0x5ec0de01"));
    const QJsonArray parts = r.json[QStringLiteral("partitions")].toArray();
    QCOMPARE(parts.size(), 1);
    QCOMPARE(parts[0][QStringLiteral("startLba")].toInt(), 2048);
    QCOMPARE(parts[0][QStringLiteral("type")].toString(), QStringLiteral("0x07"));
    QCOMPARE(parts[0][QStringLiteral("active")].toBool(), true);
    const QJsonObject boot = r.json[QStringLiteral("bootCode")].toObject();
    QCOMPARE(boot[QStringLiteral("kind")].toString(), QStringLiteral("grub-i386-pc"));
    QCOMPARE(boot[QStringLiteral("kernelSector")].toInt(), 1);
    QCOMPARE(boot[QStringLiteral("blocklistStart")].toInt(), 2);
    QCOMPARE(boot[QStringLiteral("hardDiskPatch")].toBool(), true);
    const QJsonObject bpb = r.json[QStringLiteral("ntfsBootSector")].toObject();
    QCOMPARE(bpb[QStringLiteral("hiddenSectors")].toInt(), 2048);
    QCOMPARE(bpb[QStringLiteral("heads")].toInt(), 255);
    QCOMPARE(bpb[QStringLiteral("sectorsPerTrack")].toInt(), 63);
    QMap<QString, qint64> sizes;
    for (const QJsonValue &f : r.json[QStringLiteral("volume")][QStringLiteral("files")].toArray())
        sizes.insert(
            f[QStringLiteral("path")].toString(), qint64(f[QStringLiteral("size")].toDouble()));
    QCOMPARE(sizes.value(QStringLiteral("/winpe.wim")), 5 * kMiB);
    QCOMPARE(sizes.value(QStringLiteral("/bootmgr")), qint64(200 * 1024));
    QCOMPARE(r.json[QStringLiteral("bcd")][QStringLiteral("wimPath")].toString(),
        QStringLiteral("\\winpe.wim"));
}

void TestImageInspect::textReport()
{
    const QString image = m_dir.filePath(QStringLiteral("good.img"));
    QVERIFY(QFile::exists(image));
    const auto result = test::runCli({ QStringLiteral("image"), QStringLiteral("inspect"), image });
    QCOMPARE(result.exitCode, 0);
    const QString out = QString::fromUtf8(result.out);
    QVERIFY2(out.contains(QLatin1String("Boot code: grub-i386-pc")), qPrintable(out));
    QVERIFY2(out.contains(QLatin1String("/winpe.wim  5242880")), qPrintable(out));
    QVERIFY2(out.contains(QLatin1String("Consistent: yes")), qPrintable(out));
    QVERIFY2(out.contains(QLatin1String("\\boot\\BCD:")), qPrintable(out)); // the BCD dump
}

void TestImageInspect::missingBootmgr()
{
    const QString image
        = build(QStringLiteral("nobootmgr.img"), without(goodFiles(), QStringLiteral("/bootmgr")));
    QVERIFY(!image.isEmpty());
    const Inspection r = inspect(image);
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(r.json[QStringLiteral("consistent")].toBool(), false);
    QCOMPARE(r.checkResult(QStringLiteral("bootmgr")), QStringLiteral("fail"));
    QVERIFY(r.checkMessage(QStringLiteral("bootmgr")).contains(QLatin1String("missing")));
    QCOMPARE(r.checkResult(QStringLiteral("bcd-wim")), QStringLiteral("pass"));
}

void TestImageInspect::missingWim()
{
    const QString image
        = build(QStringLiteral("nowim.img"), without(goodFiles(), QStringLiteral("/winpe.wim")));
    QVERIFY(!image.isEmpty());
    const Inspection r = inspect(image);
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(r.checkResult(QStringLiteral("bcd-wim")), QStringLiteral("fail"));
    QVERIFY2(r.checkMessage(QStringLiteral("bcd-wim")).contains(QLatin1String("\\winpe.wim")),
        qPrintable(r.checkMessage(QStringLiteral("bcd-wim"))));
    QCOMPARE(r.checkResult(QStringLiteral("bcd-sdi")), QStringLiteral("pass"));
}

void TestImageInspect::largeBootmgrWarns()
{
    const QString image = build(QStringLiteral("bigbootmgr.img"), goodFiles(500 * 1024));
    QVERIFY(!image.isEmpty());
    const Inspection r = inspect(image);
    QCOMPARE(r.exitCode, 0); // a warning, not a failure
    QCOMPARE(r.checkResult(QStringLiteral("bootmgr")), QStringLiteral("warn"));
    QVERIFY(r.checkMessage(QStringLiteral("bootmgr")).contains(QLatin1String("490 KiB")));
}

void TestImageInspect::wrongHiddenSectors()
{
    const QString image = build(QStringLiteral("hidden.img"), goodFiles());
    QVERIFY(!image.isEmpty());
    // BPB hidden sectors (0x1C) := 63, as a tool that assumed the old layout would write.
    QVERIFY(test::patchFile(image, 2048 * 512 + 0x1C, QByteArray::fromHex("3f000000")));
    const Inspection r = inspect(image);
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(r.checkResult(QStringLiteral("hidden-sectors")), QStringLiteral("fail"));
    QVERIFY2(r.checkMessage(QStringLiteral("hidden-sectors")).contains(QLatin1String("63")),
        qPrintable(r.checkMessage(QStringLiteral("hidden-sectors"))));
    QCOMPARE(r.checkResult(QStringLiteral("bpb-geometry")), QStringLiteral("pass"));
}

void TestImageInspect::noPartition()
{
    const QString image = build(QStringLiteral("notable.img"), goodFiles());
    QVERIFY(!image.isEmpty());
    QVERIFY(test::patchFile(image, 0x1BE, QByteArray(64, '\0')));
    const Inspection r = inspect(image);
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(r.checkResult(QStringLiteral("partition-table")), QStringLiteral("fail"));
    QVERIFY(r.checkMessage(QStringLiteral("partition-table")).contains(QLatin1String("empty")));
    QCOMPARE(r.json[QStringLiteral("partitions")].toArray().size(), 0);
    QCOMPARE(r.checkResult(QStringLiteral("boot-code")), QStringLiteral("pass")); // still GRUB
}

void TestImageInspect::foreignImageAtSector63()
{
    // An image in the old style: partition at LBA 63, no boot code, a BPB that says 63.
    const QString mkntfs = test::findTool(QStringLiteral("mkntfs"));
    if (mkntfs.isEmpty())
        QSKIP("mkntfs not installed");
    const QString image = m_dir.filePath(QStringLiteral("foreign.img"));
    const QString part = m_dir.filePath(QStringLiteral("foreign.part"));
    DiskLayout layout;
    layout.diskBytes = 16 * kMiB;
    layout.signature = 0x12345678;
    layout.partitionLba = 63;
    layout.partitionSectors = quint32(16 * kMiB / 512 - 63); // not on a cylinder boundary
    QFile partFile(part);
    QVERIFY(partFile.open(QIODevice::WriteOnly));
    QVERIFY(partFile.resize(qint64(layout.partitionSectors) * 512));
    partFile.close();
    const auto made = test::run(mkntfs,
        { QStringLiteral("-q"), QStringLiteral("-F"), QStringLiteral("-Q"), QStringLiteral("-p"),
            QStringLiteral("63"), QStringLiteral("-H"), QStringLiteral("16"), QStringLiteral("-S"),
            QStringLiteral("63"), part });
    QVERIFY2(made.exitCode == 0, made.err.constData());
    QFile partIn(part);
    QVERIFY(partIn.open(QIODevice::ReadOnly));
    QFile out(image);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(buildMbr(layout));
    out.seek(63 * 512);
    out.write(partIn.readAll());
    out.close();

    const Inspection r = inspect(image);
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(r.json[QStringLiteral("bootCode")][QStringLiteral("kind")].toString(),
        QStringLiteral("none"));
    QCOMPARE(r.checkResult(QStringLiteral("boot-code")), QStringLiteral("fail"));
    QCOMPARE(r.checkResult(QStringLiteral("hidden-sectors")), QStringLiteral("pass"));
    QCOMPARE(r.checkResult(QStringLiteral("bpb-geometry")), QStringLiteral("fail"));
    QCOMPARE(r.checkResult(QStringLiteral("partition-end")), QStringLiteral("fail"));
    QCOMPARE(r.checkResult(QStringLiteral("ntfs")), QStringLiteral("pass"));
    QCOMPARE(r.checkResult(QStringLiteral("bootmgr")), QStringLiteral("fail"));
}

void TestImageInspect::notAnImage()
{
    const QString path = m_dir.filePath(QStringLiteral("random.bin"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(test::pseudoRandomBytes(4096, 9));
    file.close();
    auto direct = inspectImage(path);
    QVERIFY(!direct);
    QCOMPARE(direct.error().code(), Errc::BadFormat);
    const Inspection r = inspect(path);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("not a disk image"), r.err.constData());
    const Inspection missing = inspect(m_dir.filePath(QStringLiteral("absent.img")));
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains("absent.img"), missing.err.constData());
}

QTEST_GUILESS_MAIN(TestImageInspect)
#include "tst_imageinspect.moc"
