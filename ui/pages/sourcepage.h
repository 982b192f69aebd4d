#pragma once

#include <QWizardPage>

class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;

namespace pecast::ui {

class DropZone;
class InlineMessage;
class WizardContext;

// Page 1: pick the source (drop it, browse for it, or take a recent one): a WIM, boot media
// (an ISO or a copype/media folder, resolved to its boot.wim on the thread pool), or an
// existing disk image, which opens the Edit image page instead of the build pages.
class SourcePage : public QWizardPage
{
    Q_OBJECT
public:
    explicit SourcePage(WizardContext *context, QWidget *parent = nullptr);

    // The suffixes the wizard accepts as a source ("wim", "esd", "iso", "img", ...).
    static QStringList sourceSuffixes();
    void setSourcePath(const QString &path);
    QString sourcePath() const;
    bool isResolving() const;

    void initializePage() override;
    void cleanupPage() override; // keeps the chosen file when the user goes back to it
    bool isComplete() const override;
    bool validatePage() override;

private:
    void browse();
    void chooseFolder();
    void refreshRecent();
    void sourceChanged();
    // Empty when `path` is usable so far, else the reason for the inline message.
    QString problemWith(const QString &path) const;
    void updateMessage();

    WizardContext *m_context;
    DropZone *m_dropZone = nullptr;
    QLineEdit *m_path = nullptr;
    QProgressBar *m_busy = nullptr;
    InlineMessage *m_message = nullptr;
    QListWidget *m_recent = nullptr;
};

} // namespace pecast::ui
