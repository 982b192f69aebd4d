#pragma once

#include "pipeline/buildresult.h"
#include "util/error.h"
#include "util/progress.h"

#include <QElapsedTimer>
#include <QWizardPage>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTextBrowser;

namespace pecast::ui {

class InlineMessage;
class WizardContext;

// Page 6 (commit page): runs the build on the runner's worker thread and only listens: overall
// and per-step progress, bytes and time left, the log, Cancel, and a summary at the end.
class BuildPage : public QWizardPage
{
    Q_OBJECT
public:
    enum class State { Idle, Running, Succeeded, Failed, Cancelled };
    Q_ENUM(State)

    explicit BuildPage(WizardContext *context, QWidget *parent = nullptr);

    State state() const { return m_state; }
    QString logText() const;
    QString summaryText() const;

    void initializePage() override;
    void cleanupPage() override; // Back: cancels a running build first
    bool isComplete() const override;

    void startBuild();
    void cancelBuild();
    // A new WIM was dropped while this page is shown: offer to rebuild with it.
    void offerRebuild(const QString &wimPath);

Q_SIGNALS:
    void stateChanged(pecast::ui::BuildPage::State state);
    // The user accepted the offer: go back to the Image page with the new WIM.
    void rebuildRequested();

private:
    void setState(State state);
    void onStepStarted(int index, int count, const QString &description);
    void onProgress(const pecast::ProgressEvent &event);
    void onFinished(bool ok, const pecast::Error &error, const pipeline::BuildResult &result);
    void appendLog(const QString &line);

    WizardContext *m_context;
    QLabel *m_stepLabel = nullptr;
    QProgressBar *m_overall = nullptr;
    QProgressBar *m_step = nullptr;
    QLabel *m_bytes = nullptr;
    QPlainTextEdit *m_log = nullptr;
    QPushButton *m_copyLog = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_retry = nullptr;
    QTextBrowser *m_summary = nullptr;
    InlineMessage *m_message = nullptr;
    QPushButton *m_rebuild = nullptr;

    State m_state = State::Idle;
    int m_stepIndex = 0;
    int m_stepCount = 1;
    QElapsedTimer m_stepClock; // since the current step's first progress with a total
    QElapsedTimer m_buildClock;
    QString m_stepStage; // the stage whose rate m_stepClock measures
};

} // namespace pecast::ui
