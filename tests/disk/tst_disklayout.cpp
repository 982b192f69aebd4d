// planLayout / buildMbr / GRUB boot code bytes, checked against sfdisk's reading of the table.

#include "disk/disklayout.h"
#include "disk/grubbootcode.h"
#include "diskimagebuilder.h"
#include "testenv.h"
#include "util/uniquefd.h"

#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <fcntl.h>
#include <unistd.h>

using namespace pecast;
using namespace pecast::disk;

class TestDiskLayout : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void planRoundsUpToCylinders();
    void planRejectsBadSizes();
    void mbrFields();
    void chsClampsPastCylinder1023();
    void sfdiskReadsTheTable();
    void grubBootCode();
};

void TestDiskLayout::planRoundsUpToCylinders()
{
    auto layout = planLayout(64 * 1024 * 1024, 0x12345678);
    QVERIFY(layout);
    QCOMPARE(layout->diskBytes, 9 * kCylinderBytes); // 64 MiB = 8.16 cylinders -> 9
    QCOMPARE(layout->signature, 0x12345678u);
    QCOMPARE(layout->partitionLba, 2048u);
    QCOMPARE(qint64(layout->partitionLba + layout->partitionSectors) % kCylinderSectors, 0);
    QCOMPARE(layout->partitionOffset() + layout->partitionBytes(), layout->diskBytes);
    // An exact multiple is kept; a random signature is never 0.
    auto exact = planLayout(20 * kCylinderBytes);
    QVERIFY(exact);
    QCOMPARE(exact->diskBytes, 20 * kCylinderBytes);
    QVERIFY(exact->signature != 0);
}

void TestDiskLayout::planRejectsBadSizes()
{
    auto zero = planLayout(0);
    QVERIFY(!zero);
    QCOMPARE(zero.error().code(), Errc::InvalidInput);
    auto huge = planLayout(kMaxDiskBytes + 1);
    QVERIFY(!huge);
    QCOMPARE(huge.error().code(), Errc::InvalidInput);
    QVERIFY(huge.error().message().contains(QLatin1String("4 GiB")));
}

void TestDiskLayout::mbrFields()
{
    auto layout = planLayout(9 * kCylinderBytes, 0xCAFEF00D);
    QVERIFY(layout);
    const QByteArray code(440, char(0xAB));
    const QByteArray mbr = buildMbr(*layout, code);
    QCOMPARE(mbr.size(), 512);
    const auto *b = reinterpret_cast<const uchar *>(mbr.constData());
    QCOMPARE(mbr.left(440), code);
    QCOMPARE(qFromLittleEndian<quint32>(b + 0x1B8), 0xCAFEF00Du);
    QCOMPARE(int(b[0x1BE]), 0x80);
    // Start CHS of LBA 2048 with 255/63: C0 H32 S33.
    QCOMPARE(int(b[0x1BF]), 32);
    QCOMPARE(int(b[0x1C0]), 33);
    QCOMPARE(int(b[0x1C1]), 0);
    QCOMPARE(int(b[0x1C2]), 0x07);
    // End CHS: last sector of cylinder 8: C8 H254 S63.
    QCOMPARE(int(b[0x1C3]), 254);
    QCOMPARE(int(b[0x1C4]), 63);
    QCOMPARE(int(b[0x1C5]), 8);
    QCOMPARE(qFromLittleEndian<quint32>(b + 0x1C6), 2048u);
    QCOMPARE(qFromLittleEndian<quint32>(b + 0x1CA), 9 * kCylinderSectors - 2048);
    QCOMPARE(mbr.mid(0x1CE, 48), QByteArray(48, '\0')); // the other three entries are empty
    QCOMPARE(int(b[510]), 0x55);
    QCOMPARE(int(b[511]), 0xAA);
}

void TestDiskLayout::chsClampsPastCylinder1023()
{
    QCOMPARE(encodeChs(1024u * kCylinderSectors), QByteArray::fromHex("feffff"));
    QCOMPARE(encodeChs(1023u * kCylinderSectors), QByteArray::fromHex("00c1ff"));
}

void TestDiskLayout::sfdiskReadsTheTable()
{
    const QString sfdisk = test::findTool(QStringLiteral("sfdisk"));
    if (sfdisk.isEmpty())
        QSKIP("sfdisk (fdisk package) not installed");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("table.img"));
    auto layout = planLayout(100 * 1024 * 1024, 0x0BADCAFE);
    QVERIFY(layout);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(buildMbr(*layout)), qint64(512));
    QVERIFY(file.resize(layout->diskBytes));
    file.close();
    const auto result = test::run(sfdisk, { QStringLiteral("-d"), path });
    QVERIFY2(result.exitCode == 0, result.err.constData());
    const QString out = QString::fromUtf8(result.out);
    QVERIFY2(out.contains(QLatin1String("label: dos")), qPrintable(out));
    QVERIFY2(out.contains(QLatin1String("label-id: 0x0badcafe")), qPrintable(out));
    const QRegularExpression entry(QStringLiteral("start=\\s*2048, size=\\s*%1, type=7, bootable")
                                       .arg(layout->partitionSectors));
    QVERIFY2(out.contains(entry), qPrintable(out));
}

void TestDiskLayout::grubBootCode()
{
    Progress progress;
    auto grub = GrubBootCode::build(progress);
    if (!grub && grub.error().code() == Errc::NotFound)
        QSKIP(qPrintable(grub.error().toString()));
    QVERIFY2(grub, test::errorText(grub).constData());
    const auto *boot = reinterpret_cast<const uchar *>(grub->bootImage().constData());
    QCOMPARE(qFromLittleEndian<quint64>(boot + GrubBootCode::kKernelSectorOffset), quint64(1));
    QCOMPARE(int(boot[GrubBootCode::kBootDriveOffset]), 0xFF);
    QCOMPARE(int(boot[GrubBootCode::kDriveCheckOffset]), 0x90);
    QCOMPARE(int(boot[GrubBootCode::kDriveCheckOffset + 1]), 0x90);
    // ~84 sectors (bootchain.md); must fit in the 1 MiB gap.
    QVERIFY(grub->coreSectors() > 10 && grub->coreSectors() < 2047);
    const auto *core = reinterpret_cast<const uchar *>(grub->coreImage().constData());
    QCOMPARE(qFromLittleEndian<quint64>(core + GrubBootCode::kBlocklistOffset), quint64(2));
    QCOMPARE(int(qFromLittleEndian<quint16>(core + GrubBootCode::kBlocklistOffset + 8)),
        grub->coreSectors() - 1);

    // writeTo keeps the table and signature, and core.img lands at LBA 1.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("boot.img"));
    auto layout = planLayout(16 * 1024 * 1024, 0x11223344);
    QVERIFY(layout);
    UniqueFd fd(::open(QFile::encodeName(path).constData(), O_RDWR | O_CREAT, 0644));
    QVERIFY(fd.valid());
    QVERIFY(grub->writeTo(fd.get(), *layout));
    fd.reset();
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray written = file.read(512 + grub->coreImage().size());
    QCOMPARE(written.left(440), grub->bootImage().left(440));
    QCOMPARE(written.mid(440, 72), buildMbr(*layout).mid(440, 72));
    QCOMPARE(written.mid(512), grub->coreImage());

    // A partition too close to the MBR for core.img is refused.
    DiskLayout tight = *layout;
    tight.partitionLba = 63;
    UniqueFd fd2(::open(QFile::encodeName(path).constData(), O_RDWR));
    auto refused = grub->writeTo(fd2.get(), tight);
    QVERIFY(!refused);
    QVERIFY(refused.error().message().contains(QLatin1String("does not fit")));
}

QTEST_GUILESS_MAIN(TestDiskLayout)
#include "tst_disklayout.moc"
