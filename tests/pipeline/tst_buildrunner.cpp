// BuildRunner: the worker-thread front end the wizard uses. Signals arrive in the receiver's
// thread in order (stepStarted → progress → finished), cancel() from the UI thread stops a build
// midway with Errc::Cancelled and leaves neither the target nor temporary files.

#include "fixtures.h"
#include "pipeline/buildrunner.h"
#include "pipeline/runbuild.h"
#include "pipelinetestutil.h"
#include "testenv.h"
#include "util/init.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace pecast;
using namespace pecast::pipeline;
using namespace pecast::test;

class TestBuildRunner : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_fixtures;
    QString m_wim;
    QString m_bigWim;

private Q_SLOTS:
    void initTestCase()
    {
        initLibraries();
        for (const char *tool : { "grub-fstest", "mkntfs", "grub-mkimage", "nasm" }) {
            if (findTool(QString::fromLatin1(tool)).isEmpty())
                QSKIP(qPrintable(QStringLiteral("%1 is not installed").arg(QLatin1String(tool))));
        }
        QString error;
        m_wim = defaultFixtureWim(m_fixtures.path(), &error);
        QVERIFY2(!m_wim.isEmpty(), qPrintable(error));
        FixtureWimOptions big;
        big.fileName = QStringLiteral("big.wim");
        big.compression = FixtureCompression::None;
        big.targetSize = 256LL * 1024 * 1024;
        m_bigWim = makeFixtureWim(m_fixtures.path(), big, &error);
        QVERIFY2(!m_bigWim.isEmpty(), qPrintable(error));
    }

    void signalsInOrderOnTheReceiverThread()
    {
        QTemporaryDir out;
        const QString image = out.filePath(QStringLiteral("r.img"));
        BuildRunner runner;
        QStringList steps;
        QStringList order;
        bool wrongThread = false;
        qint64 lastDone = 0;
        QString lastStage;
        connect(&runner, &BuildRunner::stepStarted, this,
            [&](int index, int count, const QString &description) {
                wrongThread |= QThread::currentThread() != thread();
                QCOMPARE(index, steps.size());
                QCOMPARE(count, plannedSteps(basicPlan(m_wim, image)).size());
                steps << description;
                order << QStringLiteral("step");
            });
        connect(&runner, &BuildRunner::progress, this, [&](const ProgressEvent &e) {
            wrongThread |= QThread::currentThread() != thread();
            if (e.stage == lastStage)
                QVERIFY(e.done >= lastDone);
            lastStage = e.stage;
            lastDone = e.done;
            order << QStringLiteral("progress");
        });
        QSignalSpy logs(&runner, &BuildRunner::logAdded);
        QSignalSpy finished(&runner, &BuildRunner::finished);
        QVERIFY(runner.start(basicPlan(m_wim, image)));
        QVERIFY(!runner.start(basicPlan(m_wim, image))); // one build at a time
        QVERIFY(finished.wait(120000));
        QVERIFY(!wrongThread);
        const auto args = finished.takeFirst();
        const auto error = args.at(1).value<pecast::Error>();
        QVERIFY2(args.at(0).toBool(), qPrintable(error.toString()));
        const auto result = args.at(2).value<BuildResult>();
        QCOMPARE(result.outputPath, image);
        QCOMPARE(result.sizeBytes, QFileInfo(image).size());
        QCOMPARE(steps, plannedSteps(basicPlan(m_wim, image)));
        QCOMPARE(order.first(), QStringLiteral("step"));
        QVERIFY(order.contains(QStringLiteral("progress")));
        QVERIFY(logs.size() > 3);
        QVERIFY(runner.wait(10000));
        QVERIFY(!runner.isRunning());
        // A second build with the same runner works once the first has finished.
        steps.clear();
        QVERIFY(runner.start(basicPlan(m_wim, out.filePath(QStringLiteral("r2.img")))));
        QVERIFY(finished.wait(120000));
        QVERIFY(finished.takeFirst().at(0).toBool());
    }

    void cancelMidWrite_data()
    {
        QTest::addColumn<QString>("stage");
        QTest::addColumn<bool>("gzip");
        QTest::newRow("copy") << QStringLiteral("Copying files into NTFS") << false;
        QTest::newRow("gzip") << QStringLiteral("Compressing with gzip") << true;
    }
    void cancelMidWrite()
    {
        QFETCH(QString, stage);
        QFETCH(bool, gzip);
        QTemporaryDir out;
        const QString image = out.filePath(QStringLiteral("c.img"));
        BuildPlan plan = basicPlan(m_bigWim, image);
        plan.gzip = gzip;
        plan.allowNonBootable = true;
        BuildRunner runner;
        bool cancelled = false;
        connect(&runner, &BuildRunner::progress, this, [&](const ProgressEvent &e) {
            if (!cancelled && e.stage == stage && e.total > 0 && e.done > 0 && e.done < e.total) {
                cancelled = true;
                runner.cancel(); // from the receiver's (UI) thread, as the wizard does
            }
        });
        QSignalSpy finished(&runner, &BuildRunner::finished);
        QVERIFY(runner.start(plan));
        QVERIFY(finished.wait(120000));
        QVERIFY2(cancelled, "never saw the write in progress");
        const auto args = finished.takeFirst();
        QVERIFY(!args.at(0).toBool());
        const auto error = args.at(1).value<pecast::Error>();
        QVERIFY2(error.isCancelled(), qPrintable(error.toString()));
        QVERIFY(runner.wait(10000));
        QCOMPARE(directoryEntries(out.path()), QStringList());
    }

    void destroyingARunningRunnerCancelsIt()
    {
        QTemporaryDir out;
        {
            BuildRunner runner;
            QVERIFY(runner.start(basicPlan(m_bigWim, out.filePath(QStringLiteral("d.img")))));
            QSignalSpy steps(&runner, &BuildRunner::stepStarted);
            QVERIFY(steps.wait(30000));
        } // the destructor cancels and joins the worker
        QCOMPARE(directoryEntries(out.path()), QStringList());
    }
};

QTEST_GUILESS_MAIN(TestBuildRunner)
#include "tst_buildrunner.moc"
