#pragma once

// What every command prints the same way: errors (with their hint and the matching exit code),
// progress on stderr, JSON on stdout, and Ctrl-C turned into a cancel request.

#include "util/error.h"
#include "util/progress.h"

#include <QJsonDocument>
#include <QString>

#include <stop_token>
#include <thread>

namespace pecast::cli {

void printOut(const QString &text); // stdout, newline added
void printErr(const QString &text); // stderr, newline added
void printJson(const QJsonDocument &document);

// Prints "pecast: error: <context>: <message>" and the hint, returns the exit code for it.
int reportError(const Error &error);
int reportError(const QString &what, const Error &error);

// A progress callback that draws one updating line on a terminal and prints a line per stage
// otherwise (logs stay readable). Quiet when `enabled` is false.
Progress::Callback progressPrinter(bool enabled = true);

// While alive, SIGINT and SIGTERM request a stop instead of killing the process: the running
// operation sees Errc::Cancelled at its next check and cleans up. Create it in the main thread
// before starting any other thread.
class CancelOnSignals
{
public:
    CancelOnSignals();
    ~CancelOnSignals();
    CancelOnSignals(const CancelOnSignals &) = delete;
    CancelOnSignals &operator=(const CancelOnSignals &) = delete;

    std::stop_token token() const { return m_source.get_token(); }
    std::stop_source &source() { return m_source; }

private:
    std::stop_source m_source;
    std::jthread m_waiter;
};

} // namespace pecast::cli
