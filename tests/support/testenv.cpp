#include "testenv.h"

#include <QDir>
#include <QProcess>
#include <QStandardPaths>

namespace pecast::test {

QString cliPath()
{
    return qEnvironmentVariable("PECAST_CLI");
}

QString sourceDir()
{
    return qEnvironmentVariable("PECAST_SOURCE_DIR");
}

QString sharedDir()
{
    return QDir::cleanPath(qEnvironmentVariable("PECAST_SHARED_DIR"));
}

QString findTool(const QString &name)
{
    QString path = QStandardPaths::findExecutable(name);
    if (path.isEmpty())
        path = QStandardPaths::findExecutable(
            name, { QStringLiteral("/usr/sbin"), QStringLiteral("/sbin") });
    return path;
}

ProcessResult run(const QString &program, const QStringList &arguments, int timeoutMs,
    const QByteArray &stdinData)
{
    ProcessResult result;
    QProcess process;
    process.start(program, arguments);
    if (!process.waitForStarted(10000)) {
        result.err = process.errorString().toUtf8();
        return result;
    }
    if (!stdinData.isEmpty())
        process.write(stdinData);
    process.closeWriteChannel();
    if (!process.waitForFinished(timeoutMs)) {
        result.timedOut = true;
        process.kill();
        process.waitForFinished(5000);
    }
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    result.crashed = process.exitStatus() == QProcess::CrashExit;
    result.exitCode = process.exitCode();
    return result;
}

ProcessResult runCli(const QStringList &arguments, int timeoutMs)
{
    return run(cliPath(), arguments, timeoutMs);
}

} // namespace pecast::test
