#include "sourceresolver.h"

#include "wim/wiminspect.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtConcurrent/QtConcurrentRun>

namespace pecast::ui {

namespace {

ResolveOutcome resolveOn(const QString &path, const QString &tempDir, std::stop_token stop,
    const std::function<void(const ProgressEvent &)> &report)
{
    ResolveOutcome outcome;
    outcome.path = path;
    Progress progress(report, stop);
    auto resolved = pipeline::resolveSource(path, tempDir, progress);
    if (!resolved) {
        outcome.error = std::move(resolved).error();
        return outcome;
    }
    Progress quiet(stop);
    auto info = wim::inspectWim(resolved->wimPath, quiet);
    if (!info) {
        outcome.error = std::move(info).error();
        return outcome;
    }
    outcome.imageCount = info->imageCount;
    outcome.wimBytes = info->fileSize;
    for (const wim::WimImageInfo &image : info->images) {
        if (image.name.contains(QLatin1String("Setup"), Qt::CaseInsensitive))
            outcome.installMedia = true;
    }
    outcome.resolved = std::move(resolved).value();
    return outcome;
}

} // namespace

SourceResolver::SourceResolver(QObject *parent)
    : QObject(parent)
{
    connect(
        &m_watcher, &QFutureWatcher<ResolveOutcome>::finished, this, &SourceResolver::onFinished);
}

SourceResolver::~SourceResolver()
{
    m_stop.request_stop();
    m_watcher.waitForFinished();
}

void SourceResolver::resolve(const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    if (isRunning()) {
        m_pending = absolute; // even the same path: its run may already be told to stop
        m_stop.request_stop(); // the running extraction stops at its next check
        return;
    }
    if (m_outcome && m_outcome->path == absolute && m_outcome->resolved)
        return; // already resolved; the extracted files are still there
    start(absolute);
}

void SourceResolver::clear()
{
    m_pending.clear();
    if (isRunning()) {
        m_stop.request_stop();
        return; // onFinished drops the result and the folder
    }
    m_outcome.reset();
    m_temp.reset();
}

const ResolveOutcome *SourceResolver::outcomeFor(const QString &path) const
{
    if (isRunning() || !m_outcome || m_outcome->path != QFileInfo(path).absoluteFilePath())
        return nullptr;
    return &*m_outcome;
}

void SourceResolver::start(const QString &path)
{
    m_outcome.reset();
    m_temp = std::make_unique<QTemporaryDir>(
        QDir::tempPath() + QStringLiteral("/pecast-source-XXXXXX"));
    m_running = path;
    m_stop = std::stop_source();
    // Called on the worker; the destructor waits for it, and events posted to a deleted
    // receiver are dropped.
    auto report = [this](const ProgressEvent &event) {
        const QString text = event.total > 0
            ? QStringLiteral("%1: %2%").arg(event.stage).arg(100 * event.done / event.total)
            : event.stage;
        QMetaObject::invokeMethod(
            this, [this, text] { Q_EMIT progressText(text); }, Qt::QueuedConnection);
    };
    m_watcher.setFuture(QtConcurrent::run(resolveOn, path,
        m_temp->isValid() ? m_temp->path() : QString(), m_stop.get_token(), report));
}

void SourceResolver::onFinished()
{
    ResolveOutcome outcome = m_watcher.result();
    const QString path = m_running;
    m_running.clear();
    if (!m_pending.isEmpty()) {
        const QString next = m_pending;
        m_pending.clear();
        start(next);
        return;
    }
    if (m_stop.stop_requested()) { // cleared while running
        m_temp.reset();
        return;
    }
    const bool ok = outcome.resolved.has_value();
    m_outcome = std::move(outcome);
    Q_EMIT finished(path, ok);
}

} // namespace pecast::ui
