// pecast serve: publishes a disk image, memdisk and a generated iPXE script over HTTP, prints
// where clients should chain to, and shows each client's progress until Ctrl-C.

#include "clioutput.h"
#include "command.h"
#include "serve/ipxescript.h"
#include "serve/multicastcli.h"
#include "serve/servecontroller.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QHash>
#include <QHostAddress>
#include <QLocale>

#include <stop_token>

using namespace pecast;
using namespace pecast::serve;

namespace {

// Transfers smaller than this (the script, sanboot block reads) get no progress lines of their
// own; the access log already shows them.
constexpr qint64 kProgressLineMinBytes = 1024 * 1024;
// A client's progress line is repeated at most this often.
constexpr qint64 kProgressLineIntervalMs = 2000;

QString mib(qint64 bytes)
{
    return QStringLiteral("%1 MiB").arg(double(bytes) / (1024.0 * 1024.0), 0, 'f', 1);
}

int runServe(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Serves a PEcast disk image to iPXE clients over HTTP: /boot.ipxe, /memdisk and the "
        "image. Prints the chain URL and DHCP snippets, then each client's progress. Ctrl-C "
        "stops."));
    const QCommandLineOption image(QStringLiteral("image"),
        QStringLiteral("The disk image (raw, or .gz)."), QStringLiteral("IMG"));
    const QCommandLineOption bind(QStringLiteral("bind"),
        QStringLiteral("Listen on this address only (default: all IPv4 addresses)."),
        QStringLiteral("ADDR"));
    const QCommandLineOption port(QStringLiteral("http-port"),
        QStringLiteral("HTTP port (default 8080; 80 needs root)."), QStringLiteral("N"),
        QStringLiteral("8080"));
    const QCommandLineOption memdisk(QStringLiteral("memdisk"),
        QStringLiteral("memdisk file (default %1).").arg(defaultMemdiskPath()),
        QStringLiteral("F"));
    const QCommandLineOption memdiskArgs(QStringLiteral("memdisk-args"),
        QStringLiteral("memdisk arguments (default \"raw\")."), QStringLiteral("ARGS"),
        QStringLiteral("raw"));
    const QCommandLineOption mode(QStringLiteral("mode"),
        QStringLiteral("memdisk (download into RAM) or sanboot (HTTP block reads)."),
        QStringLiteral("MODE"), QStringLiteral("memdisk"));
    const QCommandLineOption publish(QStringLiteral("publish"),
        QStringLiteral("Also serve FILE as /NAME (repeatable)."), QStringLiteral("NAME=FILE"));
    const QCommandLineOption maxConnections(QStringLiteral("max-connections"),
        QStringLiteral("Refuse clients beyond this many open connections (default 1000)."),
        QStringLiteral("N"));
    const QCommandLineOption noAccessLog(
        QStringLiteral("no-access-log"), QStringLiteral("Do not print a line per request."));
    for (const auto &o :
        { image, bind, port, memdisk, memdiskArgs, mode, publish, maxConnections, noAccessLog })
        p.addOption(o);
    addMulticastOptions(p);
    if (auto rc = cli::parse(p, args, 0, 0))
        return *rc;

    auto usage = [&](const QString &message) {
        cli::printErr(QStringLiteral("%1: %2\nTry '%1 --help'.").arg(args.value(0), message));
        return cli::kExitUsage;
    };
    ServeSettings settings;
    if (!p.isSet(image))
        return usage(QStringLiteral("--image is required"));
    settings.imagePath = QFileInfo(p.value(image)).absoluteFilePath();
    if (p.isSet(bind)) {
        settings.bindAddress = QHostAddress(p.value(bind));
        if (settings.bindAddress.isNull())
            return usage(QStringLiteral("--bind: \"%1\" is not an IP address").arg(p.value(bind)));
    }
    bool ok = false;
    const uint portValue = p.value(port).toUInt(&ok);
    if (!ok || portValue > 65535)
        return usage(QStringLiteral("--http-port: \"%1\" is not a port number").arg(p.value(port)));
    settings.httpPort = quint16(portValue);
    settings.memdiskPath = p.value(memdisk);
    settings.memdiskArgs = p.value(memdiskArgs);
    if (p.value(mode) == QLatin1String("memdisk"))
        settings.mode = BootMode::Memdisk;
    else if (p.value(mode) == QLatin1String("sanboot"))
        settings.mode = BootMode::Sanboot;
    else
        return usage(QStringLiteral("--mode must be memdisk or sanboot"));
    for (const QString &item : p.values(publish)) {
        const qsizetype eq = item.indexOf(u'=');
        if (eq <= 0 || eq == item.size() - 1)
            return usage(QStringLiteral("--publish wants NAME=FILE, not \"%1\"").arg(item));
        settings.extraFiles.append({ item.left(eq), item.mid(eq + 1) });
    }
    if (p.isSet(maxConnections)) {
        const int n = p.value(maxConnections).toInt(&ok);
        if (!ok || n < 1)
            return usage(QStringLiteral("--max-connections wants a positive number"));
        settings.httpLimits.maxConnections = n;
    }

    if (auto s = readMulticastOptions(p, settings.multicast); !s)
        return usage(s.error().message());

    // Signals are blocked and handled by a waiter thread from here on; start it before the
    // server threads so they inherit the blocked mask.
    cli::CancelOnSignals signalGuard;
    ServeController controller;
    if (auto s = controller.start(settings); !s)
        return cli::reportError(s.error());

    const qint64 imageSize = QFileInfo(settings.imagePath).size();
    QString text = QStringLiteral("Serving %1 (%2) in %3 mode on port %4.\n\nChain URLs:\n")
                       .arg(settings.imagePath, mib(imageSize),
                           settings.mode == BootMode::Sanboot ? QStringLiteral("sanboot")
                                                              : QStringLiteral("memdisk"))
                       .arg(controller.httpPort());
    for (const ServeUrl &url : controller.urls()) {
        text += QStringLiteral("  %1  %2\n")
                    .arg(url.interfaceName.isEmpty() ? QStringLiteral("-") : url.interfaceName,
                        url.scriptUrl);
    }
    text += QStringLiteral("\nAt an iPXE prompt (Ctrl-B):\n  %1\n").arg(controller.chainCommand());
    text += QStringLiteral("\n%1\n%2\n/boot.ipxe:\n%3")
                .arg(controller.dnsmasqSnippet(), controller.iscDhcpdSnippet(),
                    controller.scriptText());
    for (const QString &line : controller.serviceSummaries())
        text += line + u'\n';
    text += QStringLiteral("\nPress Ctrl-C to stop.");
    cli::printOut(text);

    QHash<quint64, qint64> lastLineMs;
    QElapsedTimer clock;
    clock.start();
    QObject::connect(&controller, &ServeController::transfer, [&](const ClientTransfer &t) {
        if (t.total < kProgressLineMinBytes)
            return;
        const qint64 now = clock.elapsed();
        QString state;
        switch (t.state) {
        case ClientTransfer::State::Started:
            state = QStringLiteral("started");
            lastLineMs.insert(t.connectionId, now);
            break;
        case ClientTransfer::State::Progress:
            if (now - lastLineMs.value(t.connectionId) < kProgressLineIntervalMs)
                return;
            lastLineMs.insert(t.connectionId, now);
            state = QStringLiteral("%1%").arg(t.total > 0 ? 100 * t.bytesSent / t.total : 0);
            break;
        case ClientTransfer::State::Done:
            state = QStringLiteral("done");
            lastLineMs.remove(t.connectionId);
            break;
        case ClientTransfer::State::Aborted:
            state = QStringLiteral("aborted");
            lastLineMs.remove(t.connectionId);
            break;
        }
        cli::printOut(
            QStringLiteral("%1 %2 %3: %4 of %5, %6/s")
                .arg(t.peer, t.name, state, mib(t.bytesSent), mib(t.total), mib(qint64(t.rate))));
    });
    if (!p.isSet(noAccessLog)) {
        QObject::connect(&controller, &ServeController::requestLogged,
            [](const QString &line) { cli::printOut(line); });
    }
    QObject::connect(&controller, &ServeController::logMessage,
        [](const QString &line) { cli::printOut(line); });

    std::stop_callback onStop(signalGuard.token(), [] {
        QMetaObject::invokeMethod(
            QCoreApplication::instance(), &QCoreApplication::quit, Qt::QueuedConnection);
    });
    QCoreApplication::exec();
    const HttpStats stats = controller.httpStats();
    controller.stop();
    cli::printOut(QStringLiteral("Stopped. %1 requests, %2 sent.")
                      .arg(stats.requestsTotal)
                      .arg(mib(qint64(stats.bytesSentTotal))));
    return cli::kExitOk;
}

const cli::CommandRegistration reg { { QStringLiteral("serve"),
    QStringLiteral("serve an image to iPXE clients over HTTP (memdisk or sanboot)"), runServe } };

} // namespace
