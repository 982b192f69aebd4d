#pragma once

#include "util/error.h"
#include "wim/wiminfo.h"

#include <QDateTime>
#include <QFutureWatcher>
#include <QWizardPage>

#include <optional>

class QCheckBox;
class QLabel;
class QProgressBar;
class QTableWidget;
class QTextBrowser;

namespace pecast::ui {

class InlineMessage;
class WizardContext;

// What an inspection running on the thread pool hands back to the page.
struct InspectOutcome
{
    QString path;
    std::optional<wim::WimInfo> info;
    Error error;
};

// Page 2: the images in the WIM, their bootability, and the choice of one.
class ImagePage : public QWizardPage
{
    Q_OBJECT
    Q_PROPERTY(int selectedIndex READ selectedIndex NOTIFY selectedIndexChanged)
public:
    explicit ImagePage(WizardContext *context, QWidget *parent = nullptr);

    int selectedIndex() const { return m_selectedIndex; }
    bool isInspecting() const;

    void initializePage() override;
    void cleanupPage() override { } // keeps the user's choices when going back
    bool isComplete() const override;

Q_SIGNALS:
    void selectedIndexChanged(int index);
    void inspectionFinished(bool ok);

private:
    void startInspection(const QString &path);
    void showOutcome(const InspectOutcome &outcome);
    void selectionChanged();
    QString detailsHtml(const wim::WimImageInfo &image) const;
    // True when the image's only problem is a compression bootmgr cannot read.
    bool fixableByRecompress(const wim::WimImageInfo &image) const;

    WizardContext *m_context;
    QTableWidget *m_table = nullptr;
    QProgressBar *m_busy = nullptr;
    QLabel *m_summary = nullptr;
    QTextBrowser *m_details = nullptr;
    InlineMessage *m_message = nullptr;
    QCheckBox *m_recompress = nullptr;
    QFutureWatcher<InspectOutcome> m_watcher;
    QString m_pendingPath; // queued while an older inspection still runs
    int m_selectedIndex = 0;
    QDateTime m_inspectedAt;
};

} // namespace pecast::ui
