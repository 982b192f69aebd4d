// UI responsiveness probe: a QTimer fires every 5 ms on the UI thread and records how late each
// tick is; the longest lateness is the longest time the user would have seen a frozen window.
// Phase 1 drives the wizard through a build of a large WIM (default 1 GiB); phase 2 serves the
// image to N concurrent HTTP clients (curl processes, real sockets on 127.0.0.1).
//
// Usage: bench_uistall [--size-mib 1024] [--clients 16] [--dir DIR]
// Prints one line per phase: ticks, longest stall, 99th percentile, ticks later than 50 ms.

#include "fixtures.h"
#include "pages/buildpage.h"
#include "pages/imagepage.h"
#include "pages/servepage.h"
#include "pages/sourcepage.h"
#include "pecastwizard.h"
#include "pipeline/buildrunner.h"
#include "serve/servecontroller.h"
#include "util/init.h"
#include "wizardcontext.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QLineEdit>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

using namespace pecast;

namespace {

// The probe's period: finer than a frame (16 ms), coarse enough not to load the loop itself.
constexpr int kTickMs = 5;
// The goal from the issue: no stall a user notices as a frozen window.
constexpr qint64 kGoalMs = 50;
constexpr int kPhaseTimeoutMs = 60 * 60 * 1000;

class StallProbe
{
public:
    StallProbe()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(kTickMs);
        QObject::connect(&m_timer, &QTimer::timeout, [this] { tick(); });
    }
    void start()
    {
        m_lateness.clear();
        m_clock.start();
        m_last = 0;
        m_timer.start();
    }
    void stop() { m_timer.stop(); }
    void report(const char *phase) const
    {
        std::vector<qint64> sorted(m_lateness.begin(), m_lateness.end());
        std::sort(sorted.begin(), sorted.end());
        const qint64 worst = sorted.empty() ? 0 : sorted.back();
        const qint64 p99 = sorted.empty() ? 0 : sorted[sorted.size() * 99 / 100];
        const auto over = std::count_if(
            sorted.begin(), sorted.end(), [](qint64 late) { return late > kGoalMs; });
        std::printf("%-28s ticks %7zu  longest stall %5lld ms  p99 %4lld ms  >%lld ms: %ld  (%s)\n",
            phase, sorted.size(), static_cast<long long>(worst), static_cast<long long>(p99),
            static_cast<long long>(kGoalMs), static_cast<long>(over),
            worst <= kGoalMs ? "goal met" : "GOAL MISSED");
        std::fflush(stdout);
    }

private:
    void tick()
    {
        const qint64 now = m_clock.elapsed();
        m_lateness.push_back(std::max<qint64>(0, now - m_last - kTickMs));
        m_last = now;
    }

    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    std::vector<qint64> m_lateness;
};

// Starts `count` curl downloads of `url` and runs the event loop until all have ended.
// Returns an empty string, or curl's error.
QString download(const QString &curl, const QString &url, int count)
{
    std::vector<std::unique_ptr<QProcess>> downloads;
    QEventLoop loop;
    int running = count;
    for (int i = 0; i < count; ++i) {
        auto process = std::make_unique<QProcess>();
        QObject::connect(process.get(), &QProcess::finished, &loop, [&] {
            if (--running == 0)
                loop.quit();
        });
        process->start(curl,
            { QStringLiteral("-sS"), QStringLiteral("-o"), QStringLiteral("/dev/null"), url });
        downloads.push_back(std::move(process));
    }
    loop.exec();
    for (const auto &process : downloads) {
        if (process->exitCode() != 0)
            return QString::fromLocal8Bit(process->readAllStandardError());
    }
    return {};
}

// nginx serving `dir` on 127.0.0.1:`port` in the foreground: the baseline's server, in another
// process, so the probe sees only what the machine's load does to an idle event loop.
std::unique_ptr<QProcess> startNginx(const QString &dir, quint16 port)
{
    const QString conf = dir + QStringLiteral("/nginx.conf");
    QFile file(conf);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(QStringLiteral("daemon off; worker_processes 2; pid %1/nginx.pid;\n"
                              "error_log %1/nginx.log;\n"
                              "events {}\n"
                              "http { access_log off; sendfile on; client_body_temp_path %1;\n"
                              "  server { listen 127.0.0.1:%2; root %1; } }\n")
                   .arg(dir)
                   .arg(port)
                   .toUtf8());
    file.close();
    auto nginx = std::make_unique<QProcess>();
    nginx->start(QStringLiteral("/usr/sbin/nginx"),
        { QStringLiteral("-c"), conf, QStringLiteral("-p"), dir });
    if (!nginx->waitForStarted())
        return {};
    QTest::qWait(500); // bind
    return nginx;
}

int fail(const QString &why)
{
    std::fprintf(stderr, "bench_uistall: %s\n", qPrintable(why));
    return 1;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setApplicationName(QStringLiteral("bench_uistall"));
    pecast::initLibraries();

    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({ QStringLiteral("size-mib"), QStringLiteral("WIM size"),
        QStringLiteral("MiB"), QStringLiteral("1024") });
    parser.addOption({ QStringLiteral("clients"), QStringLiteral("HTTP clients"),
        QStringLiteral("n"), QStringLiteral("16") });
    parser.addOption({ QStringLiteral("dir"),
        QStringLiteral("work directory (default: a temporary one)"), QStringLiteral("dir") });
    parser.process(app);
    const qint64 sizeBytes = parser.value(QStringLiteral("size-mib")).toLongLong() * 1024 * 1024;
    const int clients = parser.value(QStringLiteral("clients")).toInt();
    QTemporaryDir temp(parser.isSet(QStringLiteral("dir"))
            ? parser.value(QStringLiteral("dir")) + QStringLiteral("/uistall-XXXXXX")
            : QDir::tempPath() + QStringLiteral("/uistall-XXXXXX"));
    const QString curl = QStandardPaths::findExecutable(QStringLiteral("curl"));
    if (curl.isEmpty())
        return fail(QStringLiteral("curl is needed for the serving phase"));

    QElapsedTimer setup;
    setup.start();
    QString error;
    test::FixtureWimOptions options;
    options.fileName = QStringLiteral("big.wim");
    options.compression = test::FixtureCompression::Xpress; // fast to write, bootable
    options.targetSize = sizeBytes;
    const QString wim = test::makeFixtureWim(temp.path(), options, &error);
    if (wim.isEmpty())
        return fail(error);
    std::printf("fixture WIM %s: %lld MiB in %.1f s\n", qPrintable(wim),
        static_cast<long long>(QFileInfo(wim).size() >> 20), setup.elapsed() / 1000.0);

    ui::PecastWizard wizard;
    wizard.show();
    StallProbe probe;

    // Inspection runs on the thread pool too; probe it with the walk to the Output page.
    probe.start();
    wizard.sourcePage()->setSourcePath(wim);
    wizard.next();
    if (!QTest::qWaitFor([&] { return !wizard.imagePage()->isInspecting(); }, kPhaseTimeoutMs))
        return fail(QStringLiteral("inspection did not finish"));
    wizard.next();
    wizard.next();
    wizard.next();
    probe.stop();
    probe.report("inspect + pages 1-5");
    wizard.findChild<QLineEdit *>(QStringLiteral("outputPath"))
        ->setText(temp.filePath(QStringLiteral("big.img")));

    QSignalSpy finished(&wizard.context()->runner(), &pipeline::BuildRunner::finished);
    qint64 progressEvents = 0;
    QObject::connect(&wizard.context()->runner(), &pipeline::BuildRunner::progress,
        [&progressEvents] { ++progressEvents; });
    QElapsedTimer buildClock;
    buildClock.start();
    probe.start();
    wizard.next();
    if (finished.isEmpty() && !finished.wait(kPhaseTimeoutMs))
        return fail(QStringLiteral("the build did not finish"));
    probe.stop();
    if (wizard.buildPage()->state() != ui::BuildPage::State::Succeeded)
        return fail(QStringLiteral("the build failed:\n") + wizard.buildPage()->logText());
    std::printf("build: %.1f s for %lld MiB, progress events %lld\n", buildClock.elapsed() / 1000.0,
        static_cast<long long>(wizard.context()->buildResult()->sizeBytes >> 20),
        static_cast<long long>(progressEvents));
    probe.report("build");

    wizard.next();
    wizard.servePage()->setPort(0);
    wizard.servePage()->startServing();
    if (!wizard.context()->isServing())
        return fail(QStringLiteral("the server did not start"));
    const QString url = QStringLiteral("http://127.0.0.1:%1/%2")
                            .arg(wizard.context()->server().httpPort())
                            .arg(wizard.context()->server().imageName());
    qint64 transferEvents = 0;
    QObject::connect(&wizard.context()->server(), &serve::ServeController::transfer,
        [&transferEvents] { ++transferEvents; });
    QElapsedTimer serveClock;
    serveClock.start();
    probe.start();
    if (const QString curlError = download(curl, url, clients); !curlError.isEmpty())
        return fail(QStringLiteral("curl failed: ") + curlError);
    probe.stop();
    std::printf("serve: %d clients x %lld MiB in %.1f s, table rows %d, transfer events %lld\n",
        clients, static_cast<long long>(wizard.context()->buildResult()->sizeBytes >> 20),
        serveClock.elapsed() / 1000.0, wizard.servePage()->clientRows(),
        static_cast<long long>(transferEvents));
    probe.report("serve");
    wizard.servePage()->stopServing();

    // Baseline: the same downloads from nginx in another process while the wizard idles.
    QTcpServer probePort;
    probePort.listen(QHostAddress::LocalHost, 0);
    const quint16 nginxPort = probePort.serverPort();
    probePort.close();
    auto nginx = startNginx(temp.path(), nginxPort);
    if (!nginx)
        return fail(QStringLiteral("nginx did not start"));
    probe.start();
    serveClock.start();
    const QString baselineError
        = download(curl, QStringLiteral("http://127.0.0.1:%1/big.img").arg(nginxPort), clients);
    probe.stop();
    nginx->terminate();
    nginx->waitForFinished();
    if (!baselineError.isEmpty())
        return fail(QStringLiteral("curl from nginx failed: ") + baselineError);
    std::printf("baseline: %d clients from nginx in %.1f s, wizard idle\n", clients,
        serveClock.elapsed() / 1000.0);
    probe.report("baseline (idle UI, nginx)");
    return 0;
}
