#include "pages/buildpage.h"

#include "disk/imagereport.h"
#include "pipeline/buildrunner.h"
#include "widgets/inlinemessage.h"
#include "widgets/progressbars.h"
#include "wizardcontext.h"

#include <QApplication>
#include <QClipboard>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace pecast::ui {

namespace {

// Enough lines for a whole build with warnings; older lines scroll away rather than grow memory.
constexpr int kMaxLogLines = 5000;
// An estimate from the first half second is noise; show "time left" only after this long.
constexpr qint64 kMinEtaSampleMs = 1000;

QString formatDuration(qint64 seconds)
{
    if (seconds < 60)
        return BuildPage::tr("%1 s").arg(seconds);
    return BuildPage::tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
}

} // namespace

BuildPage::BuildPage(WizardContext *context, QWidget *parent)
    : QWizardPage(parent)
    , m_context(context)
{
    setTitle(tr("Build"));
    setSubTitle(tr("Writing the disk image. The output appears only when every step succeeded."));
    setCommitPage(true);
    setButtonText(QWizard::CommitButton, tr("&Serve"));

    m_stepLabel = new QLabel(this);
    m_stepLabel->setObjectName(QStringLiteral("stepLabel"));
    m_overall = new QProgressBar(this);
    m_overall->setObjectName(QStringLiteral("overallProgress"));
    m_overall->setRange(0, kProgressBarScale);
    m_overall->setFormat(tr("Overall: %p%"));
    m_overall->setAccessibleName(tr("Overall progress"));
    m_step = new QProgressBar(this);
    m_step->setObjectName(QStringLiteral("stepProgress"));
    m_step->setRange(0, kProgressBarScale);
    m_step->setAccessibleName(tr("Step progress"));
    m_bytes = new QLabel(this);
    m_bytes->setObjectName(QStringLiteral("bytesLabel"));

    m_log = new QPlainTextEdit(this);
    m_log->setObjectName(QStringLiteral("buildLog"));
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(kMaxLogLines);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_log->setAccessibleName(tr("Build log"));
    m_copyLog = new QPushButton(tr("C&opy log"), this);
    m_copyLog->setToolTip(tr("Copy the whole log to the clipboard"));
    m_cancel = new QPushButton(tr("&Cancel build"), this);
    m_cancel->setObjectName(QStringLiteral("cancelBuild"));
    m_cancel->setToolTip(tr("Stop now; nothing is left behind"));
    m_retry = new QPushButton(tr("Build &again"), this);
    m_retry->setObjectName(QStringLiteral("retryBuild"));
    m_retry->hide();

    m_summary = new QTextBrowser(this);
    m_summary->setObjectName(QStringLiteral("buildSummary"));
    m_summary->setMaximumHeight(150);
    m_summary->hide();
    m_message = new InlineMessage(this);
    m_rebuild = new QPushButton(tr("&Rebuild with it"), this);
    m_rebuild->setObjectName(QStringLiteral("rebuildButton"));
    m_rebuild->hide();

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_copyLog);
    buttons->addStretch();
    buttons->addWidget(m_retry);
    buttons->addWidget(m_cancel);
    auto *messageRow = new QHBoxLayout;
    messageRow->addWidget(m_message, 1);
    messageRow->addWidget(m_rebuild);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_stepLabel);
    layout->addWidget(m_overall);
    layout->addWidget(m_step);
    layout->addWidget(m_bytes);
    layout->addWidget(m_log, 1);
    layout->addLayout(buttons);
    layout->addWidget(m_summary);
    layout->addLayout(messageRow);

    pipeline::BuildRunner &runner = m_context->runner();
    connect(&runner, &pipeline::BuildRunner::stepStarted, this, &BuildPage::onStepStarted);
    connect(&runner, &pipeline::BuildRunner::progress, this, &BuildPage::onProgress);
    connect(&runner, &pipeline::BuildRunner::logAdded, this, &BuildPage::appendLog);
    connect(&runner, &pipeline::BuildRunner::finished, this, &BuildPage::onFinished);
    connect(m_cancel, &QPushButton::clicked, this, &BuildPage::cancelBuild);
    connect(m_retry, &QPushButton::clicked, this, &BuildPage::startBuild);
    connect(m_copyLog, &QPushButton::clicked, this,
        [this] { QApplication::clipboard()->setText(m_log->toPlainText()); });
    connect(m_rebuild, &QPushButton::clicked, this, &BuildPage::rebuildRequested);
}

QString BuildPage::logText() const
{
    return m_log->toPlainText();
}

QString BuildPage::summaryText() const
{
    return m_summary->toPlainText();
}

void BuildPage::initializePage()
{
    startBuild();
}

void BuildPage::cleanupPage()
{
    if (m_context->isBuilding()) {
        m_context->runner().cancel();
        m_context->runner().wait(-1); // the step stops at its next check; outputs are atomic
    }
    setState(State::Idle);
}

bool BuildPage::isComplete() const
{
    return m_state == State::Succeeded;
}

void BuildPage::startBuild()
{
    if (m_context->isBuilding())
        return;
    const pipeline::BuildPlan plan = m_context->plan();
    m_log->clear();
    m_summary->clear();
    m_summary->hide();
    m_rebuild->hide();
    m_message->showMessage(InlineMessage::Info, {});
    m_overall->setValue(0);
    m_step->setValue(0);
    m_bytes->clear();
    m_stepLabel->setText(tr("Starting…"));
    m_context->setBuildResult(std::nullopt);
    appendLog(tr("Building %1 from image %2 of %3")
                  .arg(plan.outputPath)
                  .arg(plan.imageIndex)
                  .arg(plan.wimPath));
    if (auto valid = plan.validate(); !valid) {
        onFinished(false, valid.error(), {});
        return;
    }
    m_buildClock.start();
    m_stepStage.clear();
    setState(State::Running);
    if (!m_context->runner().start(plan))
        onFinished(false, Error(Errc::InvalidInput, tr("a build is already running")), {});
}

void BuildPage::cancelBuild()
{
    if (!m_context->isBuilding())
        return;
    m_cancel->setEnabled(false);
    m_stepLabel->setText(tr("Cancelling…"));
    m_context->runner().cancel();
}

void BuildPage::offerRebuild(const QString &wimPath)
{
    m_message->showMessage(
        InlineMessage::Info, tr("New source: %1").arg(QFileInfo(wimPath).fileName()));
    m_rebuild->show();
    m_rebuild->setFocus();
}

void BuildPage::setState(State state)
{
    m_state = state;
    const bool running = state == State::Running;
    m_cancel->setVisible(running);
    m_cancel->setEnabled(running);
    m_retry->setVisible(state == State::Failed || state == State::Cancelled);
    Q_EMIT completeChanged();
    Q_EMIT stateChanged(state);
}

void BuildPage::onStepStarted(int index, int count, const QString &description)
{
    m_stepIndex = index;
    m_stepCount = qMax(count, 1);
    m_stepLabel->setText(tr("Step %1 of %2: %3").arg(index + 1).arg(count).arg(description));
    m_overall->setValue(kProgressBarScale * index / m_stepCount);
    m_step->setRange(0, kProgressBarScale);
    m_step->setValue(0);
    m_step->setFormat(description + QStringLiteral(": %p%"));
    m_bytes->clear();
    appendLog(QStringLiteral("[%1/%2] %3").arg(index + 1).arg(count).arg(description));
}

void BuildPage::onProgress(const pecast::ProgressEvent &event)
{
    if (m_state != State::Running)
        return;
    const double fraction = showProgressEvent(m_step, event);
    if (fraction < 0) {
        m_bytes->setText(
            event.item.isEmpty() ? event.stage : event.stage + QStringLiteral(": ") + event.item);
        return;
    }
    if (event.stage != m_stepStage) {
        m_stepStage = event.stage;
        m_stepClock.start();
    }
    m_overall->setValue(int(kProgressBarScale * (m_stepIndex + fraction) / m_stepCount));

    QString text
        = tr("%1 of %2")
              .arg(locale().formattedDataSize(event.done), locale().formattedDataSize(event.total));
    const qint64 elapsedMs = m_stepClock.elapsed();
    if (elapsedMs >= kMinEtaSampleMs && event.done > 0 && event.done < event.total) {
        const double rate = double(event.done) / (double(elapsedMs) / 1000.0);
        const auto left = qint64(double(event.total - event.done) / rate);
        text += tr(" — %1/s, about %2 left")
                    .arg(locale().formattedDataSize(qint64(rate)), formatDuration(left + 1));
    }
    if (!event.item.isEmpty())
        text += QStringLiteral(" — ") + event.item;
    m_bytes->setText(text);
}

void BuildPage::onFinished(bool ok, const pecast::Error &error, const pipeline::BuildResult &result)
{
    m_step->setRange(0, kProgressBarScale);
    if (ok) {
        m_context->setBuildResult(result);
        m_overall->setValue(kProgressBarScale);
        m_step->setValue(kProgressBarScale);
        m_stepLabel->setText(tr("Done in %1.").arg(formatDuration(m_buildClock.elapsed() / 1000)));
        m_bytes->clear();
        appendLog(tr("Finished: %1").arg(result.outputPath));
        QString html = QStringLiteral("<table>");
        auto row = [&html](const QString &key, const QString &value) {
            html += QStringLiteral("<tr><td><b>%1</b>&nbsp;&nbsp;</td><td>%2</td></tr>")
                        .arg(key, value);
        };
        row(tr("Image"), result.outputPath.toHtmlEscaped());
        row(tr("Size"),
            tr("%1 (%2 bytes)")
                .arg(locale().formattedDataSize(result.sizeBytes),
                    locale().toString(result.sizeBytes)));
        row(tr("SHA-256"), QStringLiteral("<code>%1</code>").arg(result.sha256));
        row(tr("Disk signature"),
            QStringLiteral("0x%1").arg(result.diskSignature, 8, 16, QLatin1Char('0')));
        html += QStringLiteral("</table>");
        for (const QString &warning : result.warnings)
            html += QStringLiteral("<p>⚠ %1</p>").arg(warning.toHtmlEscaped());
        m_summary->setHtml(html);
        m_summary->show();
        m_message->showMessage(InlineMessage::Info, tr("Checking the image…"));
        setState(State::Succeeded);

        // The summary's last line: an independent read of what was written, off the UI thread.
        if (result.gzip) {
            m_message->showMessage(InlineMessage::Ok,
                tr("Built. A gzip image is inspected after memdisk inflates it, on the client."));
            return;
        }
        auto *watcher = new QFutureWatcher<Result<disk::ImageReport>>(this);
        connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
            watcher->deleteLater();
            const Result<disk::ImageReport> report = watcher->result();
            if (!report) {
                m_message->showMessage(InlineMessage::Error,
                    tr("Inspection failed: %1").arg(report.error().toString()));
                return;
            }
            QStringList failed;
            for (const disk::ImageCheck &check : report->checks) {
                if (check.result != disk::ImageCheck::Result::Pass)
                    failed.append(check.message);
            }
            if (report->consistent())
                m_message->showMessage(
                    failed.isEmpty() ? InlineMessage::Ok : InlineMessage::Warning,
                    tr("Inspection: consistent (checks passed: %1).")
                            .arg(report->checks.size() - failed.size())
                        + (failed.isEmpty() ? QString()
                                            : QLatin1Char(' ') + failed.join(QLatin1String("; "))));
            else
                m_message->showMessage(InlineMessage::Error,
                    tr("Inspection found problems: %1").arg(failed.join(QLatin1String("; "))));
            appendLog(
                tr("Inspection: %1").arg(report->consistent() ? tr("consistent") : tr("problems")));
        });
        watcher->setFuture(QtConcurrent::run(disk::inspectImage, result.outputPath));
        return;
    }
    m_overall->setValue(0);
    m_step->setValue(0);
    m_bytes->clear();
    if (error.isCancelled()) {
        m_stepLabel->setText(tr("Cancelled. Nothing was written."));
        appendLog(tr("Cancelled by the user."));
        m_message->showMessage(InlineMessage::Info,
            tr("The build was cancelled; no output or temporary file remains."));
        setState(State::Cancelled);
        return;
    }
    m_stepLabel->setText(tr("The build failed."));
    appendLog(tr("error: %1").arg(error.toString()));
    m_message->showMessage(InlineMessage::Error,
        error.toString()
            + (error.hint().isEmpty() ? QString() : QStringLiteral(" — ") + error.hint()));
    setState(State::Failed);
}

void BuildPage::appendLog(const QString &line)
{
    m_log->appendPlainText(line);
}

} // namespace pecast::ui
