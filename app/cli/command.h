#pragma once

// A CLI subcommand: "wim info", "bcd create", "serve", ... Each group of commands lives in
// commands/<group>.cpp and registers itself with a static CommandRegistration, so main.cpp only
// dispatches. Every command parses its own options with QCommandLineParser.

#include <QCommandLineParser>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace pecast::cli {

// Exit codes: stable, documented in the README.
constexpr int kExitOk = 0;
constexpr int kExitFailure = 1; // the operation failed; the message says why
constexpr int kExitUsage = 2; // the command line was wrong
constexpr int kExitCancelled = 130; // Ctrl-C, as shells report SIGINT

struct Command
{
    QString name; // words after "pecast", e.g. "wim info"
    QString summary; // one line for "pecast --help"
    int (*run)(const QStringList &arguments); // arguments[0] is "pecast wim info"
};

struct CommandRegistration
{
    explicit CommandRegistration(Command command);
};

const std::vector<Command> &commands();

// Parses `arguments` and handles --help. Returns an exit code when the command must stop now
// (help printed, or a usage error printed), std::nullopt when it should go on. The positional
// argument count must lie in [minPositional, maxPositional] (-1: unbounded).
std::optional<int> parse(
    QCommandLineParser &parser, const QStringList &arguments, int minPositional, int maxPositional);

} // namespace pecast::cli
