#include "command.h"

#include "clioutput.h"

#include <QRegularExpression>

namespace pecast::cli {

namespace {
std::vector<Command> &registry()
{
    static std::vector<Command> all;
    return all;
}
} // namespace

CommandRegistration::CommandRegistration(Command command)
{
    registry().push_back(std::move(command));
}

const std::vector<Command> &commands()
{
    return registry();
}

std::optional<int> parse(
    QCommandLineParser &parser, const QStringList &arguments, int minPositional, int maxPositional)
{
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help(
        { QStringLiteral("h"), QStringLiteral("help") }, QStringLiteral("Show this help."));
    parser.addOption(help);
    if (!parser.parse(arguments)) {
        printErr(
            QStringLiteral("%1: %2\nTry '%1 --help'.").arg(arguments.value(0), parser.errorText()));
        return kExitUsage;
    }
    if (parser.isSet(help)) {
        QString text = parser.helpText();
        // QCommandLineParser prints the binary's name; show the subcommand instead.
        text.replace(QRegularExpression(QStringLiteral("^Usage: \\S+")),
            QStringLiteral("Usage: ") + arguments.value(0));
        printOut(text);
        return kExitOk;
    }
    const qsizetype count = parser.positionalArguments().size();
    if (count < minPositional || (maxPositional >= 0 && count > maxPositional)) {
        printErr(QStringLiteral("%1: wrong number of arguments\nTry '%1 --help'.")
                     .arg(arguments.value(0)));
        return kExitUsage;
    }
    return std::nullopt;
}

} // namespace pecast::cli
