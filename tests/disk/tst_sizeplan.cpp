// planImageSize: the auto size holds the files (proved by writing them into an image of exactly
// that size), explicit sizes that cannot hold them are refused, and the overhead estimate
// bounds what mkntfs really takes.

#include "disk/imagewriter.h"
#include "disk/sizeplan.h"
#include "diskimagebuilder.h"
#include "fixtures.h"

#include <QTemporaryDir>
#include <QTest>

using namespace pecast;
using namespace pecast::disk;

namespace {
constexpr qint64 kMiB = 1024 * 1024;
}

class TestSizePlan : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void autoSizeFitsItsFiles();
    void explicitTooSmallIsRefused();
    void explicitLargeEnoughIsKept();
    void overheadBoundsMkntfs_data();
    void overheadBoundsMkntfs();
    void refusesMoreThanMemdiskCanLoad();

private:
    QTemporaryDir m_dir;
    std::optional<GrubBootCode> m_grub;
};

void TestSizePlan::initTestCase()
{
    QVERIFY(m_dir.isValid());
    Progress progress;
    auto grub = GrubBootCode::build(progress);
    if (!grub && grub.error().code() == Errc::NotFound)
        QSKIP(qPrintable(grub.error().toString()));
    QVERIFY(grub);
    m_grub = *grub;
}

void TestSizePlan::autoSizeFitsItsFiles()
{
    const QList<qint64> sizes { 420 * 1024, 24 * 1024, 3170304, 30 * kMiB + 17 };
    auto plan = planImageSize(sizes);
    QVERIFY(plan);
    QCOMPARE(plan->diskBytes % kCylinderBytes, 0);
    QVERIFY(plan->headroomBytes >= 4 * kMiB);
    QVERIFY(plan->diskBytes >= plan->contentBytes + plan->overheadBytes + plan->headroomBytes);
    // Not wasteful for these small files.
    QVERIFY(plan->diskBytes < 30 * kMiB + 22 * kMiB); // + headroom, NTFS, 1 cylinder

    auto layout = planLayout(plan->diskBytes);
    QVERIFY(layout);
    QCOMPARE(layout->diskBytes, plan->diskBytes);
    Progress progress;
    auto writer = ImageWriter::create(m_dir.filePath(QStringLiteral("auto.img")), *layout, *m_grub,
        QStringLiteral("PECAST"), AtomicFile::Overwrite::Replace, progress);
    QVERIFY(writer);
    int i = 0;
    for (qint64 size : sizes) {
        const QByteArray data = test::pseudoRandomBytes(size, quint32(++i));
        auto s = writer->volume().writeFile(QStringLiteral("/f%1").arg(i), data);
        QVERIFY2(s, test::errorText(s).constData());
    }
    // The headroom is really left over (allowing the per-file estimate's slack).
    QVERIFY(writer->volume().freeBytes() >= plan->headroomBytes);
    QVERIFY(writer->commit());
}

void TestSizePlan::explicitTooSmallIsRefused()
{
    auto plan = planImageSize({ 40 * kMiB }, 32 * kMiB);
    QVERIFY(!plan);
    QCOMPARE(plan.error().code(), Errc::NoSpace);
    QVERIFY2(plan.error().message().contains(QLatin1String("too small")),
        qPrintable(plan.error().message()));
    QVERIFY(plan.error().hint().contains(QLatin1String("--size")));
}

void TestSizePlan::explicitLargeEnoughIsKept()
{
    auto plan = planImageSize({ 40 * kMiB }, 100 * kMiB);
    QVERIFY(plan);
    QCOMPARE(plan->diskBytes, 13 * kCylinderBytes); // 100 MiB rounded up to cylinders
    QVERIFY(plan->headroomBytes > 0);
}

void TestSizePlan::overheadBoundsMkntfs_data()
{
    QTest::addColumn<qint64>("diskBytes");
    QTest::newRow("16 MiB") << 16 * kMiB;
    QTest::newRow("300 MiB") << 300 * kMiB;
    QTest::newRow("1 GiB") << 1024 * kMiB;
}

void TestSizePlan::overheadBoundsMkntfs()
{
    QFETCH(qint64, diskBytes);
    auto layout = planLayout(diskBytes);
    QVERIFY(layout);
    Progress progress;
    auto writer = ImageWriter::create(m_dir.filePath(QStringLiteral("overhead.img")), *layout,
        *m_grub, QString(), AtomicFile::Overwrite::Replace, progress);
    QVERIFY(writer);
    const qint64 used = layout->partitionBytes() - writer->volume().freeBytes();
    QVERIFY2(used <= ntfsOverheadBytes(layout->partitionBytes()),
        qPrintable(QStringLiteral("used %1, estimate %2")
                       .arg(used)
                       .arg(ntfsOverheadBytes(layout->partitionBytes()))));
}

void TestSizePlan::refusesMoreThanMemdiskCanLoad()
{
    auto plan = planImageSize({ 4500 * kMiB });
    QVERIFY(!plan);
    QCOMPARE(plan.error().code(), Errc::InvalidInput);
}

QTEST_GUILESS_MAIN(TestSizePlan)
#include "tst_sizeplan.moc"
