// pecast: the command-line front end. It only finds the subcommand and hands over; every
// command lives in commands/<group>.cpp.

#include "clioutput.h"
#include "command.h"
#include "util/init.h"
#include "util/logging.h"

#include <QCoreApplication>

#include <algorithm>

using namespace pecast;

namespace {

void printUsage()
{
    QString text = QStringLiteral(
        "Usage: pecast [--verbose] COMMAND [OPTIONS]\n\n"
        "Turns a WinPE WIM into a network-bootable disk image and serves it.\n\nCommands:\n");
    auto sorted = cli::commands();
    std::sort(
        sorted.begin(), sorted.end(), [](const auto &a, const auto &b) { return a.name < b.name; });
    for (const auto &command : sorted)
        text += QStringLiteral("  %1 %2\n").arg(command.name.leftJustified(20), command.summary);
    text += QStringLiteral("\n'pecast COMMAND --help' shows a command's options.");
    cli::printOut(text);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("pecast"));
    QCoreApplication::setOrganizationName(QStringLiteral("PEcast"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PECAST_VERSION));
    initLibraries();

    QStringList args = QCoreApplication::arguments().mid(1);
    if (!args.isEmpty()
        && (args.first() == QLatin1String("--verbose") || args.first() == QLatin1String("-v"))) {
        setVerboseLogging(true);
        args.removeFirst();
    } else {
        setVerboseLogging(false);
    }
    if (args.isEmpty() || args.first() == QLatin1String("--help")
        || args.first() == QLatin1String("-h") || args.first() == QLatin1String("help")) {
        printUsage();
        return args.isEmpty() ? cli::kExitUsage : cli::kExitOk;
    }
    if (args.first() == QLatin1String("--version")) {
        cli::printOut(QStringLiteral("pecast ") + QCoreApplication::applicationVersion());
        return cli::kExitOk;
    }

    // The longest registered name that prefixes the arguments: "wim info" before "wim".
    const cli::Command *match = nullptr;
    qsizetype matchedWords = 0;
    for (const auto &command : cli::commands()) {
        const QStringList words = command.name.split(QLatin1Char(' '));
        if (words.size() > matchedWords && args.mid(0, words.size()) == words) {
            match = &command;
            matchedWords = words.size();
        }
    }
    if (!match) {
        cli::printErr(QStringLiteral("pecast: unknown command '%1'. Try 'pecast --help'.")
                          .arg(args.mid(0, 2).join(QLatin1Char(' '))));
        return cli::kExitUsage;
    }
    QStringList commandArgs = args.mid(matchedWords);
    commandArgs.prepend(QStringLiteral("pecast ") + match->name);
    return match->run(commandArgs);
}
