#pragma once

// Turns an ISO or a copype/media folder into the files a build takes (boot.wim, bootmgr,
// boot.sdi) on the thread pool, the way `pecast build --source` does (pipeline::resolveSource).
// An ISO's files are extracted into a temporary folder this object owns until the next source
// or the end of the wizard; a folder's files are used in place. Owned by the WizardContext.

#include "pipeline/sourceresolve.h"
#include "util/error.h"

#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include <memory>
#include <optional>
#include <stop_token>

class QTemporaryDir;

namespace pecast::ui {

// What a resolution running on the thread pool hands back.
struct ResolveOutcome
{
    QString path;
    std::optional<pipeline::ResolvedSource> resolved;
    int imageCount = 0;
    bool installMedia = false; // boot.wim holds Windows Setup (an installation ISO)
    qint64 wimBytes = 0;
    Error error;
};

class SourceResolver : public QObject
{
    Q_OBJECT
public:
    explicit SourceResolver(QObject *parent = nullptr);
    ~SourceResolver() override; // cancels a running extraction and waits for it

    // Starts resolving `path` (an ISO or a folder); a running resolution is cancelled first.
    void resolve(const QString &path);
    // Forgets the last result (the source is a WIM or a disk image now).
    void clear();

    bool isRunning() const { return m_watcher.isRunning(); }
    // The last finished resolution, for `path` only (nullptr otherwise).
    const ResolveOutcome *outcomeFor(const QString &path) const;

Q_SIGNALS:
    void finished(const QString &path, bool ok);
    void progressText(const QString &text);

private:
    void start(const QString &path);
    void onFinished();

    QFutureWatcher<ResolveOutcome> m_watcher;
    std::stop_source m_stop;
    std::unique_ptr<QTemporaryDir> m_temp; // the running or last resolution's extraction folder
    std::optional<ResolveOutcome> m_outcome;
    QString m_running; // the path being resolved
    QString m_pending; // queued while a cancelled resolution winds down
};

} // namespace pecast::ui
