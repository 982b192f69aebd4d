#pragma once

#include "pipeline/imageinspection.h"
#include "pipeline/replacewim.h"
#include "util/error.h"
#include "util/progress.h"

#include <QFutureWatcher>
#include <QWizardPage>

#include <optional>
#include <stop_token>

class QCheckBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QTextBrowser;

namespace pecast::ui {

class DropZone;
class InlineMessage;
class WizardContext;

// What the inspection of an existing image hands back (raw: in-process; virtual disks:
// libguestfs, read-only).
struct EditInspectOutcome
{
    QString path;
    std::optional<pipeline::ImageInspection> raw;
    std::optional<pipeline::GuestBootInfo> guest;
    Error error;
};

// What a WIM replacement hands back.
struct ReplaceOutcome
{
    QString output; // the image written
    std::optional<pipeline::ReplaceWimResult> result;
    Error error;
};

// The edit flow (reached from the Source page with a disk image; skips the build pages): what
// the image boots, a new WIM to put in, where the result goes (a new file by default, or the
// original replaced atomically, or edited in place as an explicit choice), the replacement with
// progress and Cancel (pipeline::replaceWim on the thread pool), the result, then Serve.
class EditImagePage : public QWizardPage
{
    Q_OBJECT
public:
    enum class State { Idle, Inspecting, Ready, Replacing, Replaced, Failed };
    Q_ENUM(State)

    explicit EditImagePage(WizardContext *context, QWidget *parent = nullptr);
    ~EditImagePage() override; // cancels a running inspection or edit and waits for it

    State state() const { return m_state; }
    QString imagePath() const;
    void setNewWim(const QString &path);
    // "Save as a new file" at `path` (the default), or replace the original.
    void setSaveAsNew(const QString &path);
    void setReplaceOriginal(bool inPlace = false);
    QString outputPath() const; // where the edit writes
    // The image Serve gets: the edited one after a replacement, else the opened one.
    QString resultPath() const;
    const std::optional<pipeline::ReplaceWimResult> &result() const { return m_result; }
    QString summaryText() const;
    QString resultText() const;

    void startReplace();
    void cancelReplace();

    void initializePage() override;
    void cleanupPage() override; // Back: cancels running work
    bool isComplete() const override;
    bool validatePage() override;

Q_SIGNALS:
    void inspectionFinished(bool ok);
    void replaceFinished(bool ok);
    void progressed(const pecast::ProgressEvent &event); // of the running replacement

protected:
    // A WIM dropped anywhere on the page is the new WIM (not a new source for the wizard).
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    bool isRaw() const;
    void setState(State state);
    void startInspection();
    void showInspection(const EditInspectOutcome &outcome);
    void onProgress(const pecast::ProgressEvent &event);
    void onReplaced(const ReplaceOutcome &outcome);
    QString problem() const; // why Replace is not possible now; empty: it is
    void updateControls();
    void browseWim();
    void browseOutput();

    WizardContext *m_context;
    QTextBrowser *m_summary = nullptr;
    QProgressBar *m_busy = nullptr;
    DropZone *m_dropZone = nullptr;
    QLineEdit *m_newWim = nullptr;
    QRadioButton *m_saveAsNew = nullptr;
    QLineEdit *m_output = nullptr;
    QRadioButton *m_replaceOriginal = nullptr;
    QCheckBox *m_inPlace = nullptr;
    QCheckBox *m_guestfs = nullptr;
    QPushButton *m_replace = nullptr;
    QProgressBar *m_progress = nullptr;
    QPushButton *m_cancel = nullptr;
    QTextBrowser *m_resultView = nullptr;
    InlineMessage *m_message = nullptr;

    State m_state = State::Idle;
    QString m_inspected; // the image the summary describes
    std::optional<EditInspectOutcome> m_inspection;
    std::optional<pipeline::ReplaceWimResult> m_result;
    QString m_resultPath;
    QFutureWatcher<EditInspectOutcome> m_inspectWatcher;
    QFutureWatcher<ReplaceOutcome> m_replaceWatcher;
    std::stop_source m_stop;
};

} // namespace pecast::ui
