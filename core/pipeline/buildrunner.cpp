#include "pipeline/buildrunner.h"

#include "pipeline/runbuild.h"

#include <QThread>

#include <exception>

namespace pecast::pipeline {

BuildRunner::BuildRunner(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<pecast::Error>();
    qRegisterMetaType<pecast::ProgressEvent>();
    qRegisterMetaType<pecast::pipeline::BuildResult>();
}

BuildRunner::~BuildRunner()
{
    cancel();
    if (m_thread) {
        m_thread->wait();
        delete m_thread;
    }
}

bool BuildRunner::start(const BuildPlan &plan)
{
    if (m_thread) {
        if (!m_thread->isFinished() && m_thread->isRunning())
            return false;
        m_thread->wait();
        delete m_thread;
        m_thread = nullptr;
    }
    m_stop = std::stop_source();
    const std::stop_token stop = m_stop.get_token();
    // The worker emits this object's signals; receivers in other threads get them queued.
    m_thread = QThread::create([this, plan, stop]() {
        BuildCallbacks callbacks;
        callbacks.stepStarted = [this](int index, int count, const QString &description) {
            Q_EMIT stepStarted(index, count, description);
        };
        callbacks.progress = [this](const ProgressEvent &event) { Q_EMIT progress(event); };
        callbacks.log = [this](const QString &line) { Q_EMIT logAdded(line); };
        Result<BuildResult> result = Error(Errc::Library, QStringLiteral("build did not run"));
        try {
            result = runBuild(plan, callbacks, stop);
        } catch (const std::exception &e) {
            // Qt does not carry exceptions across threads; bad_alloc and friends end up here.
            result = Error(Errc::Library,
                QStringLiteral("unexpected failure: %1").arg(QString::fromLocal8Bit(e.what())));
        }
        if (result)
            Q_EMIT finished(true, Error(Errc::Ok, {}), result.value());
        else
            Q_EMIT finished(false, result.error(), BuildResult {});
    });
    m_thread->setObjectName(QStringLiteral("pecast-build"));
    m_thread->start();
    return true;
}

void BuildRunner::cancel()
{
    m_stop.request_stop();
}

bool BuildRunner::isRunning() const
{
    return m_thread && m_thread->isRunning();
}

bool BuildRunner::wait(int timeoutMs)
{
    return !m_thread || m_thread->wait(QDeadlineTimer(timeoutMs));
}

} // namespace pecast::pipeline
