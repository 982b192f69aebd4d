#pragma once

// Where tests find things: the CLI binary, the source tree, ../shared, external tools.

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace pecast::test {

QString cliPath(); // the pecast binary under test (PECAST_CLI)
QString sourceDir(); // the repository root (PECAST_SOURCE_DIR)
QString sharedDir(); // ../shared beside the repository (PECAST_SHARED_DIR)
QString findTool(const QString &name); // absolute path in PATH (plus /usr/sbin), or empty

struct ProcessResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    bool crashed = false;
    bool timedOut = false;
};

// Runs a program to completion with a bound, capturing its output.
ProcessResult run(const QString &program, const QStringList &arguments, int timeoutMs = 120000,
    const QByteArray &stdinData = {});
// Runs the pecast CLI.
ProcessResult runCli(const QStringList &arguments, int timeoutMs = 120000);

} // namespace pecast::test
