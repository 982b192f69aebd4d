#include "pages/editimagepage.h"

#include "sourcetype.h"
#include "widgets/dropzone.h"
#include "widgets/inlinemessage.h"
#include "widgets/progressbars.h"
#include "wizardcontext.h"

#include <QCheckBox>
#include <QDir>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <QWizard>
#include <QtConcurrent/QtConcurrentRun>

namespace pecast::ui {

namespace {

EditInspectOutcome inspectOn(const QString &path, bool raw, std::stop_token stop)
{
    EditInspectOutcome outcome;
    outcome.path = path;
    if (raw) {
        auto inspection = pipeline::inspectImageWithBcd(path);
        if (inspection)
            outcome.raw = std::move(inspection).value();
        else
            outcome.error = std::move(inspection).error();
        return outcome;
    }
    Progress progress(stop);
    auto info = pipeline::inspectWithGuestfs(path, guestfsFormatOf(path), progress);
    if (info)
        outcome.guest = std::move(info).value();
    else
        outcome.error = std::move(info).error();
    return outcome;
}

// NAME-new.img beside the image, or NAME-new-2.img, ... when that exists.
QString defaultOutputFor(const QString &image)
{
    const QFileInfo info(image);
    const QString base = info.absolutePath() + QLatin1Char('/') + info.completeBaseName();
    const QString suffix = info.suffix().isEmpty() ? QString() : QLatin1Char('.') + info.suffix();
    QString candidate = base + QStringLiteral("-new") + suffix;
    for (int n = 2; QFileInfo::exists(candidate); ++n)
        candidate = base + QStringLiteral("-new-%1").arg(n) + suffix;
    return candidate;
}

QString errorText(const Error &error)
{
    return error.toString()
        + (error.hint().isEmpty() ? QString() : QStringLiteral(" — ") + error.hint());
}

} // namespace

EditImagePage::EditImagePage(WizardContext *context, QWidget *parent)
    : QWizardPage(parent)
    , m_context(context)
{
    setTitle(tr("Edit image"));
    setSubTitle(tr("Put a new WIM into an existing image: the boot code, the disk signature and "
                   "every other file keep their bytes."));
    setButtonText(QWizard::NextButton, tr("&Serve this image"));
    setAcceptDrops(true);

    m_busy = new QProgressBar(this);
    m_busy->setRange(0, 0); // busy indicator: no percentage for an inspection
    m_busy->setTextVisible(false);
    m_busy->setMaximumHeight(8);
    m_busy->hide();
    m_summary = new QTextBrowser(this);
    m_summary->setObjectName(QStringLiteral("editImageSummary"));
    m_summary->setAccessibleName(tr("What the image boots"));
    m_summary->setMaximumHeight(120);

    m_dropZone = new DropZone(this);
    m_dropZone->setObjectName(QStringLiteral("newWimDropZone"));
    m_dropZone->setAcceptedSuffixes(wimSuffixes());
    m_dropZone->setText(tr("Drop the new .wim here or click to browse"));
    m_dropZone->setMinimumHeight(70);
    m_newWim = new QLineEdit(this);
    m_newWim->setObjectName(QStringLiteral("newWimPath"));
    m_newWim->setPlaceholderText(tr("/path/to/new/boot.wim"));
    m_newWim->setClearButtonEnabled(true);

    m_saveAsNew = new QRadioButton(tr("Save as a &new file:"), this);
    m_saveAsNew->setObjectName(QStringLiteral("saveAsNew"));
    m_saveAsNew->setChecked(true);
    m_output = new QLineEdit(this);
    m_output->setObjectName(QStringLiteral("editOutputPath"));
    auto *browseOutput = new QPushButton(tr("Bro&wse…"), this);
    m_replaceOriginal = new QRadioButton(
        tr("Replace the &original (an edited copy is renamed over it when complete)"), this);
    m_replaceOriginal->setObjectName(QStringLiteral("replaceOriginal"));
    m_inPlace = new QCheckBox(tr("Advanced: edit &in place (fastest; a failure or a crash can "
                                 "leave the image damaged)"),
        this);
    m_inPlace->setObjectName(QStringLiteral("inPlace"));
    m_guestfs = new QCheckBox(tr("Use &libguestfs (resizes inside a small VM; slower, 15–40 s "
                                 "to start)"),
        this);
    m_guestfs->setObjectName(QStringLiteral("useGuestfs"));

    m_replace = new QPushButton(tr("&Replace WIM"), this);
    m_replace->setObjectName(QStringLiteral("replaceWimButton"));
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("replaceProgress"));
    m_progress->setRange(0, kProgressBarScale);
    m_progress->hide();
    m_cancel = new QPushButton(tr("&Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cancelReplace"));
    m_cancel->hide();
    m_resultView = new QTextBrowser(this);
    m_resultView->setObjectName(QStringLiteral("replaceResult"));
    m_resultView->setMaximumHeight(90);
    m_resultView->hide();
    m_message = new InlineMessage(this);

    auto *wimRow = new QHBoxLayout;
    auto *browseWim = new QPushButton(tr("&Choose…"), this);
    wimRow->addWidget(new QLabel(tr("New WIM:"), this));
    wimRow->addWidget(m_newWim, 1);
    wimRow->addWidget(browseWim);
    auto *outputRow = new QHBoxLayout;
    outputRow->addWidget(m_saveAsNew);
    outputRow->addWidget(m_output, 1);
    outputRow->addWidget(browseOutput);
    auto *actionRow = new QHBoxLayout;
    actionRow->addWidget(m_replace);
    actionRow->addWidget(m_progress, 1);
    actionRow->addWidget(m_cancel);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_busy);
    layout->addWidget(m_summary);
    layout->addWidget(m_dropZone);
    layout->addLayout(wimRow);
    layout->addLayout(outputRow);
    layout->addWidget(m_replaceOriginal);
    layout->addWidget(m_inPlace);
    layout->addWidget(m_guestfs);
    layout->addLayout(actionRow);
    layout->addWidget(m_resultView);
    layout->addWidget(m_message);
    layout->addStretch();

    connect(m_dropZone, &DropZone::fileDropped, this, &EditImagePage::setNewWim);
    connect(m_dropZone, &DropZone::clicked, this, &EditImagePage::browseWim);
    connect(browseWim, &QPushButton::clicked, this, &EditImagePage::browseWim);
    connect(browseOutput, &QPushButton::clicked, this, &EditImagePage::browseOutput);
    for (auto *edit : { m_newWim, m_output })
        connect(edit, &QLineEdit::textChanged, this, &EditImagePage::updateControls);
    for (auto *button : { static_cast<QAbstractButton *>(m_saveAsNew),
             static_cast<QAbstractButton *>(m_replaceOriginal),
             static_cast<QAbstractButton *>(m_inPlace) })
        connect(button, &QAbstractButton::toggled, this, &EditImagePage::updateControls);
    connect(m_replace, &QPushButton::clicked, this, &EditImagePage::startReplace);
    connect(m_cancel, &QPushButton::clicked, this, &EditImagePage::cancelReplace);
    connect(&m_inspectWatcher, &QFutureWatcher<EditInspectOutcome>::finished, this,
        [this] { showInspection(m_inspectWatcher.result()); });
    connect(&m_replaceWatcher, &QFutureWatcher<ReplaceOutcome>::finished, this,
        [this] { onReplaced(m_replaceWatcher.result()); });
}

EditImagePage::~EditImagePage()
{
    m_stop.request_stop();
    m_inspectWatcher.waitForFinished();
    m_replaceWatcher.waitForFinished();
}

QString EditImagePage::imagePath() const
{
    return QFileInfo(field(QLatin1String(field::sourceWim)).toString()).absoluteFilePath();
}

bool EditImagePage::isRaw() const
{
    return sourceTypeOf(imagePath()) == SourceType::RawImage;
}

void EditImagePage::setNewWim(const QString &path)
{
    m_newWim->setText(QDir::toNativeSeparators(path));
}

void EditImagePage::setSaveAsNew(const QString &path)
{
    m_saveAsNew->setChecked(true);
    m_output->setText(QDir::toNativeSeparators(path));
}

void EditImagePage::setReplaceOriginal(bool inPlace)
{
    m_replaceOriginal->setChecked(true);
    m_inPlace->setChecked(inPlace);
}

QString EditImagePage::outputPath() const
{
    return m_saveAsNew->isChecked() ? QFileInfo(m_output->text().trimmed()).absoluteFilePath()
                                    : imagePath();
}

QString EditImagePage::resultPath() const
{
    return m_resultPath.isEmpty() ? imagePath() : m_resultPath;
}

QString EditImagePage::summaryText() const
{
    return m_summary->toPlainText();
}

QString EditImagePage::resultText() const
{
    return m_resultView->toPlainText();
}

void EditImagePage::initializePage()
{
    if (m_inspected != imagePath() || m_state == State::Idle) {
        m_result.reset();
        m_resultPath.clear();
        m_resultView->hide();
        m_output->setText(QDir::toNativeSeparators(defaultOutputFor(imagePath())));
        startInspection();
    }
    updateControls();
}

void EditImagePage::cleanupPage()
{
    m_stop.request_stop();
    m_inspectWatcher.waitForFinished(); // both stop at their next progress check
    m_replaceWatcher.waitForFinished();
    m_inspected.clear();
    setState(State::Idle);
}

bool EditImagePage::isComplete() const
{
    // Serving needs a raw image (memdisk and sanboot read it as is).
    return (m_state == State::Ready || m_state == State::Replaced || m_state == State::Failed)
        && isRaw() && m_inspection && m_inspection->raw;
}

bool EditImagePage::validatePage()
{
    if (!isComplete())
        return false;
    pipeline::BuildResult served;
    served.outputPath = resultPath();
    served.sizeBytes = QFileInfo(served.outputPath).size();
    served.diskSizeBytes = served.sizeBytes;
    m_context->setBuildResult(served);
    return true;
}

void EditImagePage::setState(State state)
{
    m_state = state;
    updateControls();
    Q_EMIT completeChanged();
}

void EditImagePage::startInspection()
{
    m_stop.request_stop();
    m_inspectWatcher.waitForFinished();
    m_stop = std::stop_source();
    m_inspected = imagePath();
    m_inspection.reset();
    m_summary->setPlainText(tr("Reading %1…").arg(QFileInfo(m_inspected).fileName()));
    m_busy->show();
    m_message->showMessage(InlineMessage::Info,
        isRaw() ? QString()
                : tr("Starting libguestfs to read the virtual disk (15–40 s without KVM)…"));
    setState(State::Inspecting);
    m_inspectWatcher.setFuture(
        QtConcurrent::run(inspectOn, m_inspected, isRaw(), m_stop.get_token()));
}

void EditImagePage::showInspection(const EditInspectOutcome &outcome)
{
    m_busy->hide();
    if (outcome.path != m_inspected)
        return; // Back was pressed; initializePage starts a new one
    m_inspection = outcome;
    if (outcome.error.isCancelled() && !outcome.raw && !outcome.guest)
        return;
    if (!outcome.raw && !outcome.guest) {
        m_summary->setPlainText(tr("Could not read %1.").arg(QFileInfo(outcome.path).fileName()));
        m_message->showMessage(InlineMessage::Error, errorText(outcome.error));
        setState(State::Failed);
        m_inspection.reset();
        Q_EMIT inspectionFinished(false);
        return;
    }
    QString html = QStringLiteral("<table>");
    auto row = [&html](const QString &key, const QString &value) {
        html += QStringLiteral("<tr><td><b>%1</b>&nbsp;&nbsp;</td><td>%2</td></tr>")
                    .arg(key, value.toHtmlEscaped());
    };
    QString notice;
    bool bootsWim = false;
    if (outcome.raw) {
        const pipeline::ImageInspection &inspection = *outcome.raw;
        const disk::ImageReport &report = inspection.report;
        row(tr("Image"),
            tr("%1, %2").arg(
                QFileInfo(outcome.path).fileName(), locale().formattedDataSize(report.sizeBytes)));
        if (report.bootPartition > 0)
            row(tr("Boot partition"),
                tr("partition %1 at %2, NTFS %3 (%4 free)")
                    .arg(report.bootPartition)
                    .arg(locale().formattedDataSize(report.partitionOffset()),
                        locale().formattedDataSize(report.volumeTotalBytes),
                        locale().formattedDataSize(report.volumeFreeBytes)));
        else
            row(tr("Boot partition"), tr("none found"));
        if (!inspection.wimPath.isEmpty()) {
            const disk::NtfsEntry *wim = report.findFile(inspection.wimPath);
            row(tr("BCD boots"),
                wim ? tr("%1 (%2)").arg(inspection.wimPath, locale().formattedDataSize(wim->size))
                    : tr("%1 (missing)").arg(inspection.wimPath));
            row(tr("RAM disk template"), inspection.sdiPath);
            bootsWim = true;
        } else {
            row(tr("BCD boots"),
                inspection.bcdRead ? tr("no RAM disk WIM") : tr("no readable BCD"));
        }
        row(tr("Checks"),
            inspection.consistent() ? tr("consistent")
                                    : tr("problems found (see pecast image inspect)"));
    } else {
        const pipeline::GuestBootInfo &info = *outcome.guest;
        row(tr("Image"), QFileInfo(outcome.path).fileName());
        row(tr("Boot partition"),
            tr("%1 (partition %2, %3)").arg(info.device).arg(info.partition).arg(info.filesystem));
        row(tr("BCD boots"),
            info.wimPath.isEmpty() ? tr("no RAM disk WIM")
                                   : (info.wimPresent ? tr("%1 (%2)").arg(
                                          info.wimPath, locale().formattedDataSize(info.wimBytes))
                                                      : tr("%1 (missing)").arg(info.wimPath)));
        row(tr("RAM disk template"), info.sdiPath);
        notice = info.notice;
        bootsWim = !info.wimPath.isEmpty();
    }
    html += QStringLiteral("</table>");
    m_summary->setHtml(html);
    setState(State::Ready);
    if (!isRaw())
        m_message->showMessage(InlineMessage::Warning,
            tr("Replacing the WIM works on raw images: convert this one with "
               "qemu-img convert -O raw, then open the .img.")
                + (notice.isEmpty() ? QString() : QLatin1Char(' ') + notice));
    else if (!bootsWim)
        m_message->showMessage(InlineMessage::Error,
            tr("This image's BCD boots no RAM disk WIM; there is nothing to replace."));
    else
        m_message->showMessage(InlineMessage::Info, problem());
    Q_EMIT inspectionFinished(true);
}

QString EditImagePage::problem() const
{
    if (m_state == State::Inspecting || m_state == State::Replacing || !m_inspection)
        return tr("Reading the image…");
    if (!isRaw())
        return tr("Replacing the WIM needs a raw image.");
    if (!m_inspection->raw || m_inspection->raw->wimPath.isEmpty())
        return tr("This image's BCD boots no RAM disk WIM.");
    const QString wim = m_newWim->text().trimmed();
    if (wim.isEmpty())
        return tr("Drop or choose the new WIM.");
    const QFileInfo wimInfo(wim);
    if (!wimInfo.isFile())
        return tr("%1 does not exist.").arg(wim);
    if (!wimSuffixes().contains(wimInfo.suffix(), Qt::CaseInsensitive))
        return tr("%1 is not a WIM or ESD file.").arg(wimInfo.fileName());
    if (m_saveAsNew->isChecked()) {
        const QString out = m_output->text().trimmed();
        if (out.isEmpty())
            return tr("Enter a name for the new image.");
        const QFileInfo outInfo(out);
        if (outInfo.absoluteFilePath() == imagePath())
            return tr("To write over the original, choose “Replace the original”.");
        if (outInfo.exists())
            return tr("%1 exists; choose another name.").arg(outInfo.fileName());
        if (!QFileInfo(outInfo.absolutePath()).isDir())
            return tr("The folder %1 does not exist.").arg(outInfo.absolutePath());
    } else if (!QFileInfo(imagePath()).isWritable()) {
        return tr("%1 is read-only; save as a new file instead.")
            .arg(QFileInfo(imagePath()).fileName());
    }
    return {};
}

void EditImagePage::updateControls()
{
    const bool busy = m_state == State::Inspecting || m_state == State::Replacing;
    const bool raw = isRaw();
    m_output->setEnabled(m_saveAsNew->isChecked() && !busy);
    m_inPlace->setEnabled(m_replaceOriginal->isChecked() && !busy && raw);
    for (QWidget *widget : { static_cast<QWidget *>(m_dropZone), static_cast<QWidget *>(m_newWim),
             static_cast<QWidget *>(m_saveAsNew), static_cast<QWidget *>(m_replaceOriginal),
             static_cast<QWidget *>(m_guestfs) })
        widget->setEnabled(!busy && raw);
    const QString why = problem();
    m_replace->setEnabled(why.isEmpty());
    m_replace->setToolTip(why);
    if (m_state == State::Ready && raw && m_inspection && m_inspection->raw
        && !m_inspection->raw->wimPath.isEmpty()) {
        if (m_replaceOriginal->isChecked() && m_inPlace->isChecked())
            m_message->showMessage(InlineMessage::Warning,
                tr("In place: the original is written directly when the new WIM fits; if the "
                   "edit fails or is cancelled, the image may be damaged."));
        else
            m_message->showMessage(why.isEmpty() ? InlineMessage::Ok : InlineMessage::Info,
                why.isEmpty()
                    ? tr("Ready: Replace WIM writes %1.").arg(QFileInfo(outputPath()).fileName())
                    : why);
    }
}

void EditImagePage::startReplace()
{
    if (!problem().isEmpty() || m_state == State::Replacing)
        return;
    pipeline::ReplaceWimRequest request;
    request.image = imagePath();
    request.newWim = QFileInfo(m_newWim->text().trimmed()).absoluteFilePath();
    request.output = m_saveAsNew->isChecked() ? outputPath() : QString();
    request.inPlace = m_replaceOriginal->isChecked() && m_inPlace->isChecked();
    request.engine = m_guestfs->isChecked() ? pipeline::ReplaceWimRequest::Engine::Guestfs
                                            : pipeline::ReplaceWimRequest::Engine::InProcess;
    const QString output = request.output.isEmpty() ? request.image : request.output;

    m_stop = std::stop_source();
    // Called on the worker; ~EditImagePage waits for it, and events posted to a deleted
    // receiver are dropped.
    auto report = [this](const ProgressEvent &event) {
        QMetaObject::invokeMethod(
            this, [this, event] { onProgress(event); }, Qt::QueuedConnection);
    };
    const std::stop_token token = m_stop.get_token();
    m_result.reset();
    m_resultView->hide();
    m_progress->setRange(0, kProgressBarScale);
    m_progress->setValue(0);
    m_progress->setFormat(tr("Starting…"));
    m_progress->show();
    m_cancel->setEnabled(true);
    m_cancel->show();
    m_replace->hide();
    setState(State::Replacing);
    m_message->showMessage(InlineMessage::Info,
        tr("Replacing %1 with %2…")
            .arg(m_inspection->raw->wimPath, QFileInfo(request.newWim).fileName()));
    m_replaceWatcher.setFuture(QtConcurrent::run([request, report, token, output] {
        ReplaceOutcome outcome;
        outcome.output = output;
        Progress progress(report, token);
        auto result = pipeline::replaceWim(request, progress);
        if (result)
            outcome.result = std::move(result).value();
        else
            outcome.error = std::move(result).error();
        return outcome;
    }));
}

void EditImagePage::cancelReplace()
{
    if (m_state != State::Replacing)
        return;
    m_cancel->setEnabled(false);
    m_progress->setFormat(tr("Cancelling…"));
    m_stop.request_stop();
}

void EditImagePage::onProgress(const pecast::ProgressEvent &event)
{
    if (m_state != State::Replacing)
        return;
    Q_EMIT progressed(event);
    showProgressEvent(m_progress, event);
}

void EditImagePage::onReplaced(const ReplaceOutcome &outcome)
{
    m_progress->hide();
    m_cancel->hide();
    m_replace->show();
    if (!outcome.result) {
        const bool inPlace = m_replaceOriginal->isChecked() && m_inPlace->isChecked();
        if (outcome.error.isCancelled())
            m_message->showMessage(InlineMessage::Info,
                inPlace ? tr("Cancelled.")
                        : tr("Cancelled. The original image is unchanged; nothing was left "
                             "behind."));
        else
            m_message->showMessage(InlineMessage::Error, errorText(outcome.error));
        m_state = State::Failed;
        updateControls();
        Q_EMIT completeChanged();
        Q_EMIT replaceFinished(false);
        return;
    }
    const pipeline::ReplaceWimResult &result = *outcome.result;
    m_result = result;
    m_resultPath = outcome.output;
    QString html = QStringLiteral("<table>");
    auto row = [&html](const QString &key, const QString &value) {
        html += QStringLiteral("<tr><td><b>%1</b>&nbsp;&nbsp;</td><td>%2</td></tr>")
                    .arg(key, value.toHtmlEscaped());
    };
    row(tr("Written"), QDir::toNativeSeparators(outcome.output));
    row(tr("WIM"),
        tr("%1: %2 → %3")
            .arg(result.wimPath, locale().formattedDataSize(result.oldWimBytes),
                locale().formattedDataSize(result.newWimBytes)));
    row(tr("Image grown"),
        result.grown ? tr("yes, %1 → %2")
                           .arg(locale().formattedDataSize(result.oldImageBytes),
                               locale().formattedDataSize(result.newImageBytes))
                     : tr("no (the WIM fits)"));
    row(tr("BCD updated"), result.bcdUpdated ? tr("yes") : tr("no (same path)"));
    html += QStringLiteral("</table>");
    m_resultView->setHtml(html);
    m_resultView->show();
    m_state = State::Replaced;
    // The next replacement starts from the same original; suggest a fresh name for it.
    if (m_saveAsNew->isChecked())
        m_output->setText(QDir::toNativeSeparators(defaultOutputFor(imagePath())));
    updateControls();
    m_message->showMessage(InlineMessage::Ok,
        tr("Done. Next serves %1.").arg(QFileInfo(outcome.output).fileName())
            + (result.notice.isEmpty() ? QString() : QLatin1Char(' ') + result.notice));
    Q_EMIT completeChanged();
    Q_EMIT replaceFinished(true);
}

void EditImagePage::dragEnterEvent(QDragEnterEvent *event)
{
    if (m_newWim->isEnabled()
        && !DropZone::acceptableFile(event->mimeData()->urls(), wimSuffixes()).isEmpty())
        event->acceptProposedAction();
    else
        event->ignore(); // an ISO or another image goes on to the wizard: a new source
}

void EditImagePage::dropEvent(QDropEvent *event)
{
    const QString path = DropZone::acceptableFile(event->mimeData()->urls(), wimSuffixes());
    if (path.isEmpty() || !m_newWim->isEnabled())
        return;
    event->acceptProposedAction();
    setNewWim(path);
}

void EditImagePage::browseWim()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Choose the new WIM"),
        QFileInfo(imagePath()).absolutePath(), tr("Windows images (*.wim *.esd);;All files (*)"));
    if (!path.isEmpty())
        setNewWim(path);
}

void EditImagePage::browseOutput()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save the edited image as"),
        m_output->text(), tr("Disk images (*.img);;All files (*)"));
    if (!path.isEmpty())
        setSaveAsNew(path);
}

} // namespace pecast::ui
