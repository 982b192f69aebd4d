#pragma once

#include <QWizardPage>

class QLabel;
class QLineEdit;
class QListWidget;

namespace pecast::ui {

class DropZone;
class InlineMessage;

// Page 1: pick the WIM (drop it, browse for it, or take a recent one).
class SourcePage : public QWizardPage
{
    Q_OBJECT
public:
    explicit SourcePage(QWidget *parent = nullptr);

    // The suffixes the wizard accepts as a source ("wim", "esd").
    static QStringList sourceSuffixes();
    void setSourcePath(const QString &path);

    void initializePage() override;
    void cleanupPage() override; // keeps the chosen file when the user goes back to it
    bool isComplete() const override;
    bool validatePage() override;

private:
    void browse();
    void refreshRecent();
    // Empty when `path` is usable, else the reason for the inline message.
    QString problemWith(const QString &path) const;
    void updateMessage();

    DropZone *m_dropZone = nullptr;
    QLineEdit *m_path = nullptr;
    InlineMessage *m_message = nullptr;
    QListWidget *m_recent = nullptr;
};

} // namespace pecast::ui
