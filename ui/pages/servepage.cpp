#include "pages/servepage.h"

#include "serve/servecontroller.h"
#include "settings.h"
#include "widgets/inlinemessage.h"
#include "wizardcontext.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

namespace pecast::ui {

namespace {

enum Column { ColAddress, ColFile, ColProgress, ColRate, ColState, ColumnCount };
// Unprivileged, and what most PXE how-tos use for a side server.
constexpr int kDefaultPort = 8080;
// The clients table repaints at most this often: smooth to the eye, and sixteen clients'
// progress events cost one repaint instead of sixteen.
constexpr int kRefreshMs = 100;

QPlainTextEdit *makeCodeView(QWidget *parent, const QString &name)
{
    auto *view = new QPlainTextEdit(parent);
    view->setObjectName(name);
    view->setReadOnly(true);
    view->setLineWrapMode(QPlainTextEdit::NoWrap);
    view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    return view;
}

// A code view with a Copy button under it, as one tab.
QWidget *withCopyButton(QPlainTextEdit *view, const QString &tip)
{
    auto *box = new QWidget;
    auto *copy = new QPushButton(ServePage::tr("&Copy"), box);
    copy->setToolTip(tip);
    QObject::connect(copy, &QPushButton::clicked, view,
        [view] { QApplication::clipboard()->setText(view->toPlainText()); });
    auto *layout = new QVBoxLayout(box);
    layout->addWidget(view, 1);
    layout->addWidget(copy, 0, Qt::AlignRight);
    view->setParent(box);
    return box;
}

QString stateText(serve::ClientTransfer::State state)
{
    switch (state) {
    case serve::ClientTransfer::State::Started:
        return ServePage::tr("starting");
    case serve::ClientTransfer::State::Progress:
        return ServePage::tr("sending");
    case serve::ClientTransfer::State::Done:
        return ServePage::tr("done");
    case serve::ClientTransfer::State::Aborted:
        return ServePage::tr("aborted");
    }
    return {};
}

} // namespace

ServePage::ServePage(WizardContext *context, QWidget *parent)
    : QWizardPage(parent)
    , m_context(context)
{
    setTitle(tr("Serve"));
    setSubTitle(tr("Serve the image over HTTP to iPXE clients on this network."));
    setFinalPage(true);

    m_toggle = new QPushButton(tr("&Start serving"), this);
    m_toggle->setObjectName(QStringLiteral("serveToggle"));
    m_toggle->setCheckable(false);
    m_toggle->setIcon(QIcon(QStringLiteral(":/icons/pecast.svg")));
    m_port = new QSpinBox(this);
    m_port->setObjectName(QStringLiteral("servePort"));
    m_port->setRange(0, 65535);
    m_port->setSpecialValueText(tr("any free port"));
    m_port->setValue(Settings::value(settingsKey::servePort, kDefaultPort).toInt());
    m_port->setToolTip(tr("HTTP port; ports below 1024 need root"));
    m_mode = new QComboBox(this);
    m_mode->setObjectName(QStringLiteral("serveMode"));
    m_mode->addItem(tr("memdisk"), int(serve::BootMode::Memdisk));
    m_mode->addItem(tr("sanboot"), int(serve::BootMode::Sanboot));
    m_memdiskArgs = new QLineEdit(this);
    m_memdiskArgs->setObjectName(QStringLiteral("memdiskArgs"));
    m_memdiskArgs->setText(
        Settings::value(settingsKey::memdiskArgs, QStringLiteral("raw")).toString());
    m_memdiskArgs->setToolTip(tr("Options for memdisk: raw (tested), bigraw, harddisk, safeint…"));
    m_modeHelp = new QLabel(this);
    m_modeHelp->setWordWrap(true);

    auto *settingsRow = new QHBoxLayout;
    auto *portLabel = new QLabel(tr("&Port:"), this);
    portLabel->setBuddy(m_port);
    auto *modeLabel = new QLabel(tr("M&ode:"), this);
    modeLabel->setBuddy(m_mode);
    auto *argsLabel = new QLabel(tr("memdisk &args:"), this);
    argsLabel->setBuddy(m_memdiskArgs);
    settingsRow->addWidget(portLabel);
    settingsRow->addWidget(m_port);
    settingsRow->addWidget(modeLabel);
    settingsRow->addWidget(m_mode);
    settingsRow->addWidget(argsLabel);
    settingsRow->addWidget(m_memdiskArgs, 1);
    settingsRow->addWidget(m_toggle);

    m_urls = new QListWidget(this);
    m_urls->setObjectName(QStringLiteral("serveUrls"));
    m_urls->setMaximumHeight(70);
    m_urls->setToolTip(tr("The script's URL on each interface; double-click to copy"));
    m_chain = new QLabel(this);
    m_chain->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_chain->setWordWrap(true);

    m_clients = new QTableWidget(0, ColumnCount, this);
    m_clients->setObjectName(QStringLiteral("clientsTable"));
    m_clients->setHorizontalHeaderLabels(
        { tr("Address"), tr("File"), tr("Progress"), tr("Rate"), tr("State") });
    m_clients->verticalHeader()->hide();
    m_clients->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_clients->horizontalHeader()->setSectionResizeMode(ColProgress, QHeaderView::Stretch);
    m_clients->setAccessibleName(tr("Clients"));
    m_totals = new QLabel(this);
    m_totals->setObjectName(QStringLiteral("serveTotals"));
    auto *clientsTab = new QWidget;
    auto *clientsLayout = new QVBoxLayout(clientsTab);
    clientsLayout->addWidget(m_clients, 1);
    clientsLayout->addWidget(m_totals);

    m_script = makeCodeView(this, QStringLiteral("ipxeScript"));
    m_dnsmasq = makeCodeView(this, QStringLiteral("dnsmasqSnippet"));
    m_dhcpd = makeCodeView(this, QStringLiteral("dhcpdSnippet"));
    auto *tabs = new QTabWidget(this);
    tabs->setObjectName(QStringLiteral("serveTabs"));
    tabs->addTab(clientsTab, tr("C&lients"));
    tabs->addTab(withCopyButton(m_script, tr("Copy the script")), tr("&iPXE script"));
    tabs->addTab(withCopyButton(m_dnsmasq, tr("Copy the dnsmasq lines")), tr("&dnsmasq"));
    tabs->addTab(withCopyButton(m_dhcpd, tr("Copy the dhcpd.conf lines")), tr("ISC d&hcpd"));

    m_message = new InlineMessage(this);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(settingsRow);
    layout->addWidget(m_modeHelp);
    layout->addWidget(m_message);
    layout->addWidget(m_urls);
    layout->addWidget(m_chain);
    layout->addWidget(tabs, 1);

    m_refresh.setSingleShot(true);
    m_refresh.setInterval(kRefreshMs);
    connect(&m_refresh, &QTimer::timeout, this, &ServePage::refreshClients);
    serve::ServeController &server = m_context->server();
    connect(&server, &serve::ServeController::transfer, this, &ServePage::onTransfer);
    connect(m_toggle, &QPushButton::clicked, this, [this] {
        if (m_context->isServing())
            stopServing();
        else
            startServing();
    });
    connect(m_urls, &QListWidget::itemDoubleClicked, this,
        [](QListWidgetItem *item) { QApplication::clipboard()->setText(item->text()); });
    connect(m_mode, &QComboBox::currentIndexChanged, this, &ServePage::refreshTexts);
    connect(m_memdiskArgs, &QLineEdit::textChanged, this, &ServePage::refreshTexts);
}

void ServePage::setPort(quint16 port)
{
    m_port->setValue(port);
}

int ServePage::clientRows() const
{
    return m_clients->rowCount();
}

void ServePage::initializePage()
{
    const auto &result = m_context->buildResult();
    const bool gzip = result && result->gzip;
    // sanboot reads blocks with Range requests; it cannot read inside a gzip stream.
    m_mode->setEnabled(!gzip);
    if (gzip)
        m_mode->setCurrentIndex(0);
    refreshTexts();
}

void ServePage::startServing()
{
    const auto &result = m_context->buildResult();
    if (!result) {
        m_message->showMessage(InlineMessage::Error, tr("Build the image first."));
        return;
    }
    serve::ServeSettings settings;
    settings.imagePath = result->outputPath;
    settings.mode = serve::BootMode(m_mode->currentData().toInt());
    settings.memdiskArgs = m_memdiskArgs->text().trimmed();
    settings.httpPort = quint16(m_port->value());
    settings.httpLimits.backgroundPriority = true; // keep the window responsive under load
    if (auto started = m_context->server().start(settings); !started) {
        m_message->showMessage(InlineMessage::Error,
            started.error().toString()
                + (started.error().hint().isEmpty()
                        ? QString()
                        : QStringLiteral(" — ") + started.error().hint()));
        return;
    }
    Settings::setValue(settingsKey::memdiskArgs, settings.memdiskArgs);
    if (m_port->value() != 0)
        Settings::setValue(settingsKey::servePort, m_port->value());
    m_clients->setRowCount(0);
    m_rowOf.clear();
    m_rows.clear();
    m_dirtyRows.clear();
    m_toggle->setText(tr("&Stop serving"));
    m_port->setEnabled(false);
    m_mode->setEnabled(false);
    m_memdiskArgs->setEnabled(false);
    m_message->showMessage(InlineMessage::Ok,
        tr("Serving %1 on port %2. Point iPXE clients at one of these URLs:")
            .arg(QFileInfo(settings.imagePath).fileName())
            .arg(m_context->server().httpPort()));
    refreshTexts();
    updateTotals();
    Q_EMIT servingChanged(true);
}

void ServePage::stopServing()
{
    m_context->server().stop();
    m_toggle->setText(tr("&Start serving"));
    m_port->setEnabled(true);
    m_mode->setEnabled(!(m_context->buildResult() && m_context->buildResult()->gzip));
    m_memdiskArgs->setEnabled(true);
    m_message->showMessage(InlineMessage::Info, tr("Stopped."));
    refreshTexts();
    Q_EMIT servingChanged(false);
}

void ServePage::refreshTexts()
{
    const auto mode = serve::BootMode(m_mode->currentData().toInt());
    m_memdiskArgs->setEnabled(mode == serve::BootMode::Memdisk && !m_context->isServing());
    m_modeHelp->setText(mode == serve::BootMode::Memdisk
            ? tr("memdisk: each client downloads the whole image into RAM, then boots it as a "
                 "disk (BIOS only). “raw” is the tested default.")
            : tr("sanboot: iPXE reads the image block by block over HTTP as the client needs "
                 "it (no RAM copy of the image)."));
    serve::ServeController &server = m_context->server();
    m_urls->clear();
    if (!server.isRunning()) {
        serve::IpxeScriptOptions options;
        options.mode = mode;
        options.memdiskArgs = m_memdiskArgs->text().trimmed();
        if (const auto &result = m_context->buildResult())
            options.imageUrl = QFileInfo(result->outputPath).fileName();
        m_script->setPlainText(serve::IpxeScript(options).text());
        m_dnsmasq->setPlainText(tr("(start serving to see the snippet with this server's URL)"));
        m_dhcpd->setPlainText(m_dnsmasq->toPlainText());
        m_chain->clear();
        return;
    }
    const QList<serve::ServeUrl> urls = server.urls();
    for (const serve::ServeUrl &url : urls) {
        auto *item = new QListWidgetItem(url.scriptUrl, m_urls);
        item->setToolTip(url.interfaceName.isEmpty() ? url.address.toString() : url.interfaceName);
        item->setText(url.interfaceName.isEmpty()
                ? url.scriptUrl
                : QStringLiteral("%1  (%2)").arg(url.scriptUrl, url.interfaceName));
        item->setData(Qt::UserRole, url.scriptUrl);
    }
    m_script->setPlainText(server.scriptText());
    m_dnsmasq->setPlainText(server.dnsmasqSnippet());
    m_dhcpd->setPlainText(server.iscDhcpdSnippet());
    m_chain->setText(tr("At an iPXE prompt (Ctrl-B): <code>%1</code>")
                         .arg(server.chainCommand().toHtmlEscaped()));
}

void ServePage::onTransfer(const pecast::serve::ClientTransfer &transfer)
{
    // Only bookkeeping here: with many clients the events come in bursts, and the table is
    // repainted at most kRefreshMs later for all of them at once.
    int row = m_rowOf.value(transfer.connectionId, -1);
    const bool newResponse = row < 0 || transfer.state == serve::ClientTransfer::State::Started
        || m_rows.at(row).name != transfer.name;
    if (newResponse) {
        // A new connection, or a kept-alive one asking for the next file: a new row.
        row = int(m_rows.size());
        m_rowOf.insert(transfer.connectionId, row);
        m_rows.append(transfer);
    }
    m_rows[row] = transfer;
    m_dirtyRows.insert(row);
    if (!m_refresh.isActive())
        m_refresh.start();
}

void ServePage::refreshClients()
{
    bool added = false;
    while (m_clients->rowCount() < m_rows.size()) {
        const int row = m_clients->rowCount();
        m_clients->insertRow(row);
        for (int column : { ColAddress, ColFile, ColRate, ColState })
            m_clients->setItem(row, column, new QTableWidgetItem);
        auto *bar = new QProgressBar(m_clients);
        bar->setRange(0, 1000);
        m_clients->setCellWidget(row, ColProgress, bar);
        added = true;
    }
    for (int row : std::as_const(m_dirtyRows)) {
        const serve::ClientTransfer &transfer = m_rows.at(row);
        m_clients->item(row, ColAddress)->setText(transfer.peer);
        m_clients->item(row, ColFile)->setText(transfer.name);
        const double fraction
            = transfer.total > 0 ? double(transfer.bytesSent) / double(transfer.total) : 1.0;
        auto *bar = static_cast<QProgressBar *>(m_clients->cellWidget(row, ColProgress));
        bar->setValue(int(fraction * 1000));
        bar->setFormat(tr("%1 of %2")
                           .arg(locale().formattedDataSize(transfer.bytesSent),
                               locale().formattedDataSize(transfer.total)));
        // A tiny file goes out in one write: no meaningful rate.
        m_clients->item(row, ColRate)
            ->setText(transfer.rate > 0
                    ? tr("%1/s").arg(locale().formattedDataSize(qint64(transfer.rate)))
                    : QStringLiteral("—"));
        m_clients->item(row, ColState)->setText(stateText(transfer.state));
    }
    m_dirtyRows.clear();
    if (added)
        m_clients->resizeColumnToContents(ColAddress);
    updateTotals();
}

void ServePage::updateTotals()
{
    qint64 bytes = 0;
    int active = 0;
    int done = 0;
    QSet<QString> hosts;
    for (const serve::ClientTransfer &transfer : std::as_const(m_rows)) {
        bytes += transfer.bytesSent;
        hosts.insert(transfer.peer.section(QLatin1Char(':'), 0, 0));
        if (transfer.state == serve::ClientTransfer::State::Done)
            ++done;
        else if (transfer.state != serve::ClientTransfer::State::Aborted)
            ++active;
    }
    m_totals->setText(tr("Clients: %1 — transfers running: %2, finished: %3 — sent: %4")
                          .arg(hosts.size())
                          .arg(active)
                          .arg(done)
                          .arg(locale().formattedDataSize(bytes)));
}

} // namespace pecast::ui
