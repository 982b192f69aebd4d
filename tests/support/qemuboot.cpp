#include "qemuboot.h"

#include "testenv.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <memory>

namespace pecast::test {

namespace {

// How often the serial log is polled while QEMU runs.
constexpr int kPollMs = 50;
// SeaBIOS's fw_cfg "etc/sercon-port": 0x3f8 (COM1) as a little-endian 16-bit value.
const QByteArray kSerconPort = QByteArray::fromHex("f803");

struct QemuKiller
{
    void operator()(QProcess *process) const
    {
        if (process->state() != QProcess::NotRunning) {
            process->kill();
            process->waitForFinished(5000);
        }
        delete process;
    }
};

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// A marker counts once its line is complete (the stub prints its fields, then CR LF).
bool hasCompleteLine(const QByteArray &log, const QString &marker)
{
    const int at = log.indexOf(marker.toUtf8());
    return at >= 0 && log.indexOf('\n', at) > at;
}

} // namespace

QByteArray QemuBootResult::describe() const
{
    QByteArray text;
    if (!started)
        text = "QEMU did not start: " + errorString.toUtf8();
    else if (success)
        text = "boot reached " + matched.toUtf8();
    else if (failure)
        text = "boot failed with \"" + matched.toUtf8() + "\"";
    else if (timedOut)
        text = "boot timed out";
    else
        text = "QEMU exited early: " + qemuStderr.right(400);
    return text + "\n--- serial log (tail) ---\n" + log.right(2000);
}

QString qemuPath()
{
    return findTool(QStringLiteral("qemu-system-x86_64"));
}

QemuBootResult bootQemu(const QemuBootOptions &options)
{
    QemuBootResult result;
    const QString qemu = qemuPath();
    if (qemu.isEmpty()) {
        result.errorString = QStringLiteral("qemu-system-x86_64 not found");
        return result;
    }
    QTemporaryDir temp;
    if (!temp.isValid()) {
        result.errorString = QStringLiteral("no temporary directory");
        return result;
    }
    const QString logPath = temp.filePath(QStringLiteral("serial.log"));
    const QString serconPath = temp.filePath(QStringLiteral("sercon"));
    {
        QFile sercon(serconPath);
        if (!sercon.open(QIODevice::WriteOnly) || sercon.write(kSerconPort) != 2) {
            result.errorString = QStringLiteral("cannot write %1").arg(serconPath);
            return result;
        }
    }
    QStringList args { QStringLiteral("-accel"), QStringLiteral("tcg"), QStringLiteral("-m"),
        QString::number(options.memoryMiB), QStringLiteral("-no-reboot"),
        QStringLiteral("-display"), QStringLiteral("none"), QStringLiteral("-monitor"),
        QStringLiteral("none"), QStringLiteral("-serial"), QStringLiteral("file:") + logPath,
        QStringLiteral("-fw_cfg"), QStringLiteral("name=etc/sercon-port,file=") + serconPath };
    if (!options.diskImage.isEmpty())
        args << QStringLiteral("-drive")
             << QStringLiteral("file=%1,format=raw,snapshot=on").arg(options.diskImage);
    if (options.network) {
        args << QStringLiteral("-netdev")
             << QStringLiteral("user,id=n0,tftp=%1,bootfile=%2")
                    .arg(options.tftpDirectory, options.bootFile)
             << QStringLiteral("-device") << QStringLiteral("e1000,netdev=n0")
             << QStringLiteral("-boot") << QStringLiteral("n");
    } else {
        args << QStringLiteral("-nic") << QStringLiteral("none");
    }
    args += options.extraArguments;

    std::unique_ptr<QProcess, QemuKiller> process(new QProcess);
    process->start(qemu, args);
    if (!process->waitForStarted(10000)) {
        result.errorString = process->errorString();
        return result;
    }
    result.started = true;
    QElapsedTimer elapsed;
    elapsed.start();
    for (;;) {
        const bool exited = process->waitForFinished(kPollMs);
        result.log = readFile(logPath);
        for (const QString &marker : options.successMarkers) {
            if (hasCompleteLine(result.log, marker)) {
                result.success = true;
                result.matched = marker;
                break;
            }
        }
        if (!result.success) {
            for (const QString &marker : options.failureMarkers) {
                if (result.log.contains(marker.toUtf8())) {
                    result.failure = true;
                    result.matched = marker;
                    break;
                }
            }
        }
        if (result.success || result.failure || exited)
            break;
        if (elapsed.elapsed() > options.timeoutMs) {
            result.timedOut = true;
            break;
        }
    }
    process.reset(); // kills QEMU
    result.log = readFile(logPath);
    return result;
}

QemuBootResult bootDisk(const QString &image, int timeoutMs)
{
    QemuBootOptions options;
    options.diskImage = image;
    options.timeoutMs = timeoutMs;
    return bootQemu(options);
}

QemuBootResult bootNetwork(const QString &tftpDirectory, const QString &bootFile, int timeoutMs)
{
    QemuBootOptions options;
    options.network = true;
    options.tftpDirectory = tftpDirectory;
    options.bootFile = bootFile;
    options.timeoutMs = timeoutMs;
    return bootQemu(options);
}

std::optional<StubReport> parseStubLine(const QByteArray &log)
{
    const int at = log.indexOf("PECAST-STUB ");
    if (at < 0)
        return std::nullopt;
    int end = log.indexOf('\n', at);
    if (end < 0)
        end = log.size();
    StubReport report;
    report.line = QString::fromLatin1(log.mid(at, end - at)).trimmed();
    const QStringList words = report.line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QString &word : words) {
        const int eq = word.indexOf(QLatin1Char('='));
        if (eq > 0)
            report.fields.insert(word.left(eq), word.mid(eq + 1));
    }
    bool ok = false;
    if (report.fields.contains(QStringLiteral("DL"))) {
        const int dl = report.fields.value(QStringLiteral("DL")).toInt(&ok, 16);
        report.dl = ok ? dl : -1;
    }
    if (report.fields.contains(QStringLiteral("HS"))) {
        const qint64 hs = report.fields.value(QStringLiteral("HS")).toLongLong(&ok, 16);
        report.hiddenSectors = ok ? hs : -1;
    }
    report.readOk = report.fields.value(QStringLiteral("RD")) == QLatin1String("OK");
    if (report.fields.contains(QStringLiteral("A20"))) {
        const int a20 = report.fields.value(QStringLiteral("A20")).toInt(&ok);
        report.a20 = ok ? a20 : -1;
    }
    report.mem = report.fields.value(QStringLiteral("MEM"));
    return report;
}

struct LoopbackHttpServer::Process
{
    QProcess process;
};

LoopbackHttpServer::LoopbackHttpServer(const QString &directory)
    : m_directory(directory)
{ }

LoopbackHttpServer::~LoopbackHttpServer()
{
    if (!m_process)
        return;
    if (m_process->process.state() != QProcess::NotRunning) {
        m_process->process.terminate();
        if (!m_process->process.waitForFinished(5000)) {
            m_process->process.kill();
            m_process->process.waitForFinished(5000);
        }
    }
    delete m_process;
}

bool LoopbackHttpServer::start(int timeoutMs)
{
    QString python = QStringLiteral("/usr/bin/python3");
    if (!QFile::exists(python))
        python = findTool(QStringLiteral("python3"));
    if (python.isEmpty()) {
        m_error = QStringLiteral("python3 not found");
        return false;
    }
    m_process = new Process;
    QProcess &p = m_process->process;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(python,
        { QStringLiteral("-u"), QStringLiteral("-m"), QStringLiteral("http.server"),
            QStringLiteral("0"), QStringLiteral("--bind"), QStringLiteral("127.0.0.1"),
            QStringLiteral("--directory"), m_directory });
    if (!p.waitForStarted(10000)) {
        m_error = p.errorString();
        return false;
    }
    // "Serving HTTP on 127.0.0.1 port 40123 (http://127.0.0.1:40123/) ..."
    static const QRegularExpression portLine(QStringLiteral("port (\\d+)"));
    QByteArray output;
    QElapsedTimer elapsed;
    elapsed.start();
    while (elapsed.elapsed() < timeoutMs) {
        p.waitForReadyRead(100);
        output += p.readAll();
        const auto match = portLine.match(QString::fromUtf8(output));
        if (match.hasMatch()) {
            m_port = quint16(match.captured(1).toUInt());
            return true;
        }
        if (p.state() == QProcess::NotRunning)
            break;
    }
    m_error
        = QStringLiteral("http.server did not report its port: %1").arg(QString::fromUtf8(output));
    return false;
}

QString LoopbackHttpServer::guestUrl(const QString &name) const
{
    return QStringLiteral("http://10.0.2.2:%1/%2").arg(m_port).arg(name);
}

} // namespace pecast::test
