#pragma once

// Runs a BuildPlan on a worker QThread and reports through signals (kpmcore's OperationRunner,
// rpi-imager's download thread). The GUI page and tests only listen. cancel() is a direct,
// thread-safe call: the worker is busy inside a step, so a queued slot would never run.

#include "pipeline/buildplan.h"
#include "pipeline/buildresult.h"
#include "util/error.h"
#include "util/progress.h"

#include <QObject>
#include <QString>

#include <memory>
#include <stop_token>

class QThread;

namespace pecast::pipeline {

class BuildRunner : public QObject
{
    Q_OBJECT

public:
    explicit BuildRunner(QObject *parent = nullptr);
    ~BuildRunner() override; // cancels a running build and waits for the worker to end

    // Starts the build on a new worker thread. Returns false (and does nothing) while a build
    // is running. Signals are delivered to this object's thread (queued).
    bool start(const BuildPlan &plan);
    // Requests a stop; safe from any thread. finished() follows with Errc::Cancelled.
    void cancel();
    bool isRunning() const;
    // Blocks until the worker thread has ended (tests, shutdown). False on timeout.
    bool wait(int timeoutMs);

Q_SIGNALS:
    void stepStarted(int index, int count, const QString &description);
    void progress(const pecast::ProgressEvent &event);
    void logAdded(const QString &line);
    // ok == false: `error` says why (error.isCancelled() for a user cancel, shown as neutral).
    void finished(bool ok, const pecast::Error &error, const pecast::pipeline::BuildResult &result);

private:
    QThread *m_thread = nullptr;
    std::stop_source m_stop;
};

} // namespace pecast::pipeline
