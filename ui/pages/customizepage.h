#pragma once

#include "util/error.h"
#include "util/progress.h"
#include "wim/wimedit.h"

#include <QFutureWatcher>
#include <QWizardPage>

#include <memory>
#include <stop_token>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTemporaryDir;
class QTreeWidget;

namespace pecast::ui {

class InlineMessage;
class WizardContext;

// Page 3 (optional): changes to the chosen image before it is built: files and folders to add
// (buttons or drops, into a destination folder of the image), paths to delete, startnet.cmd and
// winpeshl.ini edited as text, and the compression. With no changes the build takes the source
// WIM as it is. Otherwise Next writes a customized copy (wim::editWim on the thread pool, with
// progress and Cancel) into a temporary folder; the source is never written.
class CustomizePage : public QWizardPage
{
    Q_OBJECT
public:
    explicit CustomizePage(WizardContext *context, QWidget *parent = nullptr);
    ~CustomizePage() override; // cancels a running edit and waits for it

    // Files or folders from the local disk, into `folder` of the image ("\" when empty).
    void addPaths(const QStringList &sources, const QString &folder = {});
    void addDeletion(const QString &pathInImage);
    // Replaces (or creates) a text file; line ends become CR LF.
    void setTextFile(const QString &pathInImage, const QString &text);
    void removeChange(int row);
    const std::vector<wim::WimChange> &changes() const { return m_changes; }
    void setCompression(wim::WimCompression compression);
    wim::WimCompression compression() const;
    bool isCustomizing() const { return m_watcher.isRunning(); }
    void cancel();
    // Opens the editor for a text file, prefilled with the image's current content.
    void editTextFile(const QString &pathInImage);

    void initializePage() override;
    void cleanupPage() override; // Back: cancels a running edit
    bool isComplete() const override;
    bool validatePage() override;

Q_SIGNALS:
    void customizeFinished(bool ok);
    void changesChanged();
    void progressed(const pecast::ProgressEvent &event); // of the running edit

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    QString requestKey() const; // what the customized WIM was made from
    QString destinationFolder() const;
    void startCustomize();
    void onProgress(const pecast::ProgressEvent &event);
    void onFinished();
    void refreshList();
    void updateMessage();

    WizardContext *m_context;
    QTreeWidget *m_list = nullptr;
    QLineEdit *m_destination = nullptr;
    QComboBox *m_compression = nullptr;
    QPushButton *m_remove = nullptr;
    QProgressBar *m_progress = nullptr;
    QPushButton *m_cancel = nullptr;
    InlineMessage *m_message = nullptr;
    std::vector<wim::WimChange> m_changes;
    QFutureWatcher<Status> m_watcher;
    std::stop_source m_stop;
    std::unique_ptr<QTemporaryDir> m_workDir; // holds the customized WIM
    QString m_runningKey;
    QString m_builtKey; // requestKey() of the WIM in m_workDir
};

} // namespace pecast::ui
