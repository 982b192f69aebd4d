// pecast fetch URL -o FILE: downloads over http://, x-slam:// or tftm:// (and tftp://) with the
// same rules as iPXE's clients, so a Linux box can test a PEcast server. Several URLs (or
// --clients N) run that many clients at once in this process, which is how the multicast tests
// and benchmarks simulate a classroom.

#include "clioutput.h"
#include "command.h"
#include "serve/fetchclient.h"
#include "util/filehash.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <mutex>
#include <thread>
#include <vector>

using namespace pecast;

namespace {

int usageError(const QString &text)
{
    cli::printErr(QStringLiteral("pecast fetch: %1\nTry 'pecast fetch --help'.").arg(text));
    return cli::kExitUsage;
}

int runFetch(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Downloads URL to FILE the way iPXE would: http://HOST[:PORT]/PATH, "
        "x-slam://HOST[:PORT][/GROUP[:PORT]] (SLAM multicast), tftm://HOST[:PORT]/PATH "
        "(RFC 2090 multicast TFTP) or tftp://HOST[:PORT]/PATH."));
    p.addPositionalArgument(QStringLiteral("URL"), QStringLiteral("What to download."));
    const QCommandLineOption output({ QStringLiteral("o"), QStringLiteral("output") },
        QStringLiteral("Where to write (required unless --discard). With --clients N, client i "
                       "writes OUT.i."),
        QStringLiteral("OUT"));
    const QCommandLineOption force(
        QStringLiteral("force"), QStringLiteral("Replace OUT if it exists."));
    const QCommandLineOption discard(QStringLiteral("discard"),
        QStringLiteral("Receive everything but write nothing (benchmarks)."));
    const QCommandLineOption clients(QStringLiteral("clients"),
        QStringLiteral("Run N clients at once in this process (default 1)."), QStringLiteral("N"),
        QStringLiteral("1"));
    const QCommandLineOption stagger(QStringLiteral("stagger"),
        QStringLiteral("Start client i after i*MS milliseconds (default 0)."), QStringLiteral("MS"),
        QStringLiteral("0"));
    const QCommandLineOption loss(QStringLiteral("loss"),
        QStringLiteral("Drop this percentage of datagrams in each direction (tests; UDP only)."),
        QStringLiteral("PERCENT"), QStringLiteral("0"));
    const QCommandLineOption seed(QStringLiteral("seed"),
        QStringLiteral("Seed for --loss (client i uses SEED+i; default 1)."), QStringLiteral("N"),
        QStringLiteral("1"));
    const QCommandLineOption iface(QStringLiteral("interface"),
        QStringLiteral("Join multicast groups on this interface (name or IPv4 address)."),
        QStringLiteral("IF"));
    const QCommandLineOption sha(
        QStringLiteral("sha256"), QStringLiteral("Print the SHA-256 of the result."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print results as JSON."));
    const QCommandLineOption quiet(
        { QStringLiteral("q"), QStringLiteral("quiet") }, QStringLiteral("Print no progress."));
    for (const auto *o : { &output, &force, &discard, &clients, &stagger, &loss, &seed, &iface,
             &sha, &json, &quiet })
        p.addOption(*o);
    if (auto rc = cli::parse(p, args, 1, 1))
        return *rc;

    bool ok = false;
    const int count = p.value(clients).toInt(&ok);
    if (!ok || count < 1 || count > 1000)
        return usageError(QStringLiteral("--clients must be 1 to 1000"));
    const int staggerMs = p.value(stagger).toInt(&ok);
    if (!ok || staggerMs < 0)
        return usageError(QStringLiteral("--stagger must be a number of milliseconds"));
    const double lossPercent = p.value(loss).toDouble(&ok);
    if (!ok || lossPercent < 0 || lossPercent >= 100)
        return usageError(QStringLiteral("--loss must be from 0 to below 100"));
    const quint64 seedValue = p.value(seed).toULongLong(&ok);
    if (!ok)
        return usageError(QStringLiteral("--seed must be a number"));
    if (!p.isSet(output) && !p.isSet(discard))
        return usageError(QStringLiteral("-o OUT (or --discard) is required"));

    cli::CancelOnSignals cancel;
    std::vector<serve::FetchOptions> options(static_cast<size_t>(count));
    for (int i = 0; i < count; ++i) {
        auto &o = options[size_t(i)];
        o.url = p.positionalArguments().constFirst();
        if (!p.isSet(discard))
            o.outputPath = count == 1 ? p.value(output)
                                      : QStringLiteral("%1.%2").arg(p.value(output)).arg(i);
        o.force = p.isSet(force);
        o.lossPercent = lossPercent;
        o.seed = seedValue + quint64(i);
        o.interface = p.value(iface);
    }
    std::vector<std::optional<Result<serve::FetchStats>>> results(static_cast<size_t>(count));
    const bool showProgress = count == 1 && !p.isSet(quiet) && !p.isSet(json);
    {
        std::vector<std::jthread> threads;
        for (int i = 0; i < count; ++i) {
            threads.emplace_back([&, i] {
                if (staggerMs > 0) {
                    // Waits in small steps so Ctrl-C is not delayed by the stagger.
                    for (int waited = 0; waited < i * staggerMs && !cancel.token().stop_requested();
                         waited += 10)
                        std::this_thread::sleep_for(std::chrono::milliseconds(10));
                }
                Progress progress(showProgress ? cli::progressPrinter(true) : Progress::Callback {},
                    cancel.token());
                results[size_t(i)] = serve::fetchUrl(options[size_t(i)], progress);
            });
        }
    }

    int exitCode = cli::kExitOk;
    QJsonArray array;
    for (int i = 0; i < count; ++i) {
        const auto &result = *results[size_t(i)];
        QJsonObject entry;
        entry[QStringLiteral("client")] = i;
        if (!result) {
            exitCode = result.error().isCancelled()
                ? cli::kExitCancelled
                : std::max(exitCode, cli::reportError(result.error()));
            entry[QStringLiteral("error")] = result.error().toString();
            array.append(entry);
            continue;
        }
        const auto &stats = result.value();
        entry[QStringLiteral("bytes")] = stats.bytes;
        entry[QStringLiteral("seconds")] = stats.seconds;
        entry[QStringLiteral("packets")] = qint64(stats.packetsReceived);
        entry[QStringLiteral("duplicates")] = qint64(stats.duplicates);
        entry[QStringLiteral("requests")] = qint64(stats.requestsSent);
        entry[QStringLiteral("dropped")] = qint64(stats.droppedByLossInjection);
        QString hash;
        if (p.isSet(sha) && !options[size_t(i)].outputPath.isEmpty()) {
            auto digest = sha256File(options[size_t(i)].outputPath);
            if (!digest)
                return cli::reportError(digest.error());
            hash = *digest;
            entry[QStringLiteral("sha256")] = hash;
        }
        entry[QStringLiteral("output")] = options[size_t(i)].outputPath;
        array.append(entry);
        if (!p.isSet(json)) {
            cli::printOut(
                QStringLiteral("%1%2: %3 bytes in %4 s (%5 packets, %6 duplicates, %7 requests)%8")
                    .arg(count > 1 ? QStringLiteral("client %1 ").arg(i) : QString())
                    .arg(options[size_t(i)].outputPath.isEmpty() ? QStringLiteral("(discarded)")
                                                                 : options[size_t(i)].outputPath)
                    .arg(stats.bytes)
                    .arg(stats.seconds, 0, 'f', 3)
                    .arg(stats.packetsReceived)
                    .arg(stats.duplicates)
                    .arg(stats.requestsSent)
                    .arg(hash.isEmpty() ? QString() : QStringLiteral(" sha256 ") + hash));
        }
    }
    if (p.isSet(json))
        cli::printJson(QJsonDocument(array));
    return exitCode;
}

const cli::CommandRegistration reg { { QStringLiteral("fetch"),
    QStringLiteral("download a URL like iPXE does (http, x-slam, tftm, tftp)"), runFetch } };

} // namespace
