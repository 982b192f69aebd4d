#pragma once

#include "serve/clienttransfer.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QTimer>
#include <QWizardPage>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace pecast::ui {

class InlineMessage;
class WizardContext;

// Page 7: serve the image over HTTP. One button starts and stops; the page shows the URLs per
// interface, the iPXE script, DHCP snippets and a live table of clients.
class ServePage : public QWizardPage
{
    Q_OBJECT
public:
    explicit ServePage(WizardContext *context, QWidget *parent = nullptr);

    void setPort(quint16 port); // 0: any free port (tests)
    QPushButton *toggleButton() const { return m_toggle; }
    int clientRows() const;

    void initializePage() override;
    bool isComplete() const override { return true; }

public Q_SLOTS:
    void startServing();
    void stopServing();

Q_SIGNALS:
    void servingChanged(bool serving);

private:
    void onTransfer(const pecast::serve::ClientTransfer &transfer);
    void refreshTexts();
    void refreshClients(); // applies the events gathered since the last refresh
    void updateTotals();

    WizardContext *m_context;
    QPushButton *m_toggle = nullptr;
    QSpinBox *m_port = nullptr;
    QComboBox *m_mode = nullptr;
    QLineEdit *m_memdiskArgs = nullptr;
    QLabel *m_modeHelp = nullptr;
    QListWidget *m_urls = nullptr;
    QPlainTextEdit *m_script = nullptr;
    QPlainTextEdit *m_dnsmasq = nullptr;
    QPlainTextEdit *m_dhcpd = nullptr;
    QLabel *m_chain = nullptr;
    QTableWidget *m_clients = nullptr;
    QLabel *m_totals = nullptr;
    InlineMessage *m_message = nullptr;
    QHash<quint64, int> m_rowOf; // connection id → table row
    QList<serve::ClientTransfer> m_rows; // the latest event of each table row
    QSet<int> m_dirtyRows; // rows changed since the last refresh
    QTimer m_refresh;
};

} // namespace pecast::ui
