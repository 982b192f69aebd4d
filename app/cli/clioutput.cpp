#include "clioutput.h"

#include "command.h"

#include <QTextStream>

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

namespace pecast::cli {

void printOut(const QString &text)
{
    QTextStream out(stdout);
    out << text;
    if (!text.endsWith(QLatin1Char('\n')))
        out << '\n';
}

void printErr(const QString &text)
{
    QTextStream err(stderr);
    err << text;
    if (!text.endsWith(QLatin1Char('\n')))
        err << '\n';
}

void printJson(const QJsonDocument &document)
{
    QTextStream(stdout) << document.toJson(QJsonDocument::Indented);
}

int reportError(const Error &error)
{
    if (error.isCancelled()) {
        printErr(QStringLiteral("pecast: cancelled; nothing was written."));
        return kExitCancelled;
    }
    printErr(QStringLiteral("pecast: error: %1").arg(error.toString()));
    if (!error.hint().isEmpty())
        printErr(QStringLiteral("pecast: hint: %1").arg(error.hint()));
    return error.code() == Errc::InvalidInput ? kExitUsage : kExitFailure;
}

int reportError(const QString &what, const Error &error)
{
    return reportError(Error(error).context(what));
}

Progress::Callback progressPrinter(bool enabled)
{
    if (!enabled)
        return {};
    const bool tty = ::isatty(STDERR_FILENO);
    return [tty, lastStage = QString()](const ProgressEvent &e) mutable {
        QTextStream err(stderr);
        const bool newStage = e.stage != lastStage;
        lastStage = e.stage;
        if (!tty) {
            if (newStage)
                err << e.stage << '\n';
            return;
        }
        QString line = e.stage;
        if (e.total > 0)
            line += QStringLiteral(" %1%").arg(100 * e.done / e.total);
        if (!e.item.isEmpty())
            line += QStringLiteral(" ") + e.item;
        err << '\r' << line.left(100).leftJustified(100)
            << (e.total > 0 && e.done >= e.total ? "\n" : "");
        err.flush();
    };
}

CancelOnSignals::CancelOnSignals()
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGUSR1); // the destructor's wake-up call
    pthread_sigmask(SIG_BLOCK, &set, nullptr); // inherited by every thread started after this
    m_waiter = std::jthread([this, set](std::stop_token self) {
        int sig = 0;
        while (!self.stop_requested()) {
            if (sigwait(&set, &sig) == 0 && sig != SIGUSR1) {
                printErr(QStringLiteral("\npecast: stopping (press Ctrl-C again to force)"));
                if (m_source.stop_requested())
                    _exit(kExitCancelled);
                m_source.request_stop();
            }
        }
    });
}

CancelOnSignals::~CancelOnSignals()
{
    m_waiter.request_stop();
    pthread_kill(m_waiter.native_handle(), SIGUSR1);
}

} // namespace pecast::cli
