// BuildPlan: parsing of the CLI's values, validation, and the printable plan (--dry-run).

#include "pipeline/buildplan.h"
#include "pipeline/runbuild.h"

#include <QJsonArray>
#include <QTest>

using namespace pecast;
using namespace pecast::pipeline;

class TestBuildPlan : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parseSize_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("bytes");
        QTest::newRow("auto") << "auto" << qint64(0);
        QTest::newRow("AUTO") << "AUTO" << qint64(0);
        QTest::newRow("MiB") << "600MiB" << qint64(600) * 1024 * 1024;
        QTest::newRow("M") << "64M" << qint64(64) * 1024 * 1024;
        QTest::newRow("GiB") << "2GiB" << qint64(2) * 1024 * 1024 * 1024;
        QTest::newRow("plain = MiB") << "100" << qint64(100) * 1024 * 1024;
        QTest::newRow("bad unit") << "100kb" << qint64(-1);
        QTest::newRow("zero") << "0MiB" << qint64(-1);
        QTest::newRow("negative") << "-5MiB" << qint64(-1);
        QTest::newRow("junk") << "big" << qint64(-1);
        QTest::newRow("over 4 GiB") << "9GiB" << qint64(-1);
    }
    void parseSize()
    {
        QFETCH(QString, text);
        QFETCH(qint64, bytes);
        const auto r = pipeline::parseSize(text);
        if (bytes < 0) {
            QVERIFY(!r.ok());
            QCOMPARE(r.error().code(), Errc::InvalidInput);
        } else {
            QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
            QCOMPARE(*r, bytes);
        }
    }

    void names()
    {
        QCOMPARE(parseLayout(QStringLiteral("media")), Layout::Media);
        QCOMPARE(parseLayout(QStringLiteral("Classic")), Layout::Classic);
        QVERIFY(!parseLayout(QStringLiteral("other")));
        QCOMPARE(parseBcdDevice(QStringLiteral("partition")), BcdDevice::Partition);
        QVERIFY(!parseBcdDevice(QStringLiteral("ramdisk")));
        QCOMPARE(layoutPaths(Layout::Classic).wim, QStringLiteral("\\winpe.wim"));
        QCOMPARE(layoutPaths(Layout::Classic).sdi, QStringLiteral("\\boot.sdi"));
        QCOMPARE(layoutPaths(Layout::Media).wim, QStringLiteral("\\sources\\boot.wim"));
        QCOMPARE(layoutPaths(Layout::Media).sdi, QStringLiteral("\\boot\\boot.sdi"));
    }

    void validate()
    {
        BuildPlan plan;
        QCOMPARE(plan.validate().error().code(), Errc::InvalidInput); // no WIM
        plan.wimPath = QStringLiteral("/x.wim");
        QCOMPARE(plan.validate().error().code(), Errc::InvalidInput); // no output
        plan.outputPath = QStringLiteral("/x.img");
        QVERIFY(plan.validate().ok());
        plan.label = QString(33, QLatin1Char('L'));
        QVERIFY(!plan.validate().ok());
        plan.label = QStringLiteral("PECAST");
        plan.diskSignature = 0;
        QVERIFY(!plan.validate().ok());
        plan.diskSignature = 0x1234;
        plan.sizeBytes = 5LL * 1024 * 1024 * 1024;
        QVERIFY(!plan.validate().ok());
    }

    void printable()
    {
        BuildPlan plan;
        plan.wimPath = QStringLiteral("/src/boot.wim");
        plan.outputPath = QStringLiteral("/out/pe.img.gz");
        plan.gzip = true;
        plan.layout = Layout::Media;
        plan.diskSignature = 0xabcdef01;
        const QString text = plan.toText();
        QVERIFY(text.contains(QStringLiteral("source WIM: /src/boot.wim")));
        QVERIFY(text.contains(QStringLiteral("disk signature: abcdef01")));
        QVERIFY(text.contains(QStringLiteral("\\sources\\boot.wim")));
        QVERIFY(text.contains(QStringLiteral("Compressing with gzip")));
        const QStringList steps = plannedSteps(plan);
        QCOMPARE(steps.first(), QStringLiteral("Checking the output"));
        QCOMPARE(steps.last(), QStringLiteral("Finishing the output"));
        QCOMPARE(plan.toJson().value(QStringLiteral("steps")).toArray().size(), steps.size());
        plan.gzip = false;
        QVERIFY(!plannedSteps(plan).contains(QStringLiteral("Compressing with gzip")));
        QCOMPARE(plannedSteps(plan).size(), steps.size() - 1);
    }
};

QTEST_GUILESS_MAIN(TestBuildPlan)
#include "tst_buildplan.moc"
