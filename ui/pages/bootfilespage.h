#pragma once

#include <QWizardPage>

namespace pecast::ui {

class BootFileChooser;
class InlineMessage;
class WizardContext;

// Page 3: where bootmgr and boot.sdi come from, their sizes, and memdisk's bootmgr limit.
class BootFilesPage : public QWizardPage
{
    Q_OBJECT
public:
    explicit BootFilesPage(WizardContext *context, QWidget *parent = nullptr);

    BootFileChooser *bootmgr() const { return m_bootmgr; }
    BootFileChooser *bootSdi() const { return m_sdi; }

    void initializePage() override;
    void cleanupPage() override { } // keeps the user's choices when going back
    bool isComplete() const override;

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void updateMessage();

    WizardContext *m_context;
    // The medium's files this page last preselected (an ISO or folder source), so that a user's
    // own choice is kept and a preselection is dropped when the source changes.
    QString m_mediaBootmgr;
    QString m_mediaSdi;
    BootFileChooser *m_bootmgr = nullptr;
    BootFileChooser *m_sdi = nullptr;
    InlineMessage *m_message = nullptr;
};

} // namespace pecast::ui
