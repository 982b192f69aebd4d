#include "pages/customizepage.h"

#include "sourcetype.h"
#include "widgets/inlinemessage.h"
#include "widgets/progressbars.h"
#include "widgets/textfiledialog.h"
#include "wim/wiminspect.h"
#include "wizardcontext.h"

#include <QComboBox>
#include <QCryptographicHash>
#include <QDir>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QWizard>
#include <QtConcurrent/QtConcurrentRun>

namespace pecast::ui {

namespace {

// Where WinPE reads its start commands; both are plain text files.
const char kStartnet[] = "\\Windows\\System32\\startnet.cmd";
const char kWinpeshl[] = "\\Windows\\System32\\winpeshl.ini";

QString inImage(QString path)
{
    path.replace(QLatin1Char('/'), QLatin1Char('\\'));
    if (!path.startsWith(QLatin1Char('\\')))
        path.prepend(QLatin1Char('\\'));
    while (path.size() > 1 && path.endsWith(QLatin1Char('\\')))
        path.chop(1);
    return path;
}

QString joinInImage(const QString &folder, const QString &name)
{
    const QString base = inImage(folder);
    return base == QLatin1String("\\") ? base + name : base + QLatin1Char('\\') + name;
}

} // namespace

CustomizePage::CustomizePage(WizardContext *context, QWidget *parent)
    : QWizardPage(parent)
    , m_context(context)
{
    setTitle(tr("Customize"));
    setSubTitle(tr("Optional: add your tools, delete files, edit startnet.cmd or winpeshl.ini. "
                   "The source stays untouched; the build uses a customized copy."));
    setAcceptDrops(true);

    m_list = new QTreeWidget(this);
    m_list->setObjectName(QStringLiteral("changesList"));
    m_list->setHeaderLabels({ tr("Change"), tr("Path in the image"), tr("From") });
    m_list->setRootIsDecorated(false);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_list->setAccessibleName(tr("Changes"));
    m_list->setToolTip(tr("The changes, applied in this order; drop files or folders here"));

    m_destination = new QLineEdit(QStringLiteral("\\"), this);
    m_destination->setObjectName(QStringLiteral("customizeDestination"));
    m_destination->setToolTip(
        tr("Added files and folders go into this folder of the image, e.g. \\Tools"));
    m_compression = new QComboBox(this);
    m_compression->setObjectName(QStringLiteral("customizeCompression"));
    m_compression->addItem(tr("Keep the source's compression"), int(wim::WimCompression::Keep));
    m_compression->addItem(tr("LZX (bootable default)"), int(wim::WimCompression::Lzx));
    m_compression->addItem(tr("XPRESS (faster, larger)"), int(wim::WimCompression::Xpress));
    m_compression->addItem(tr("None"), int(wim::WimCompression::None));
    m_compression->setToolTip(tr("Compression of the customized WIM"));

    auto *addFiles = new QPushButton(tr("Add &files…"), this);
    addFiles->setObjectName(QStringLiteral("addFiles"));
    auto *addFolder = new QPushButton(tr("Add f&older…"), this);
    addFolder->setObjectName(QStringLiteral("addFolder"));
    auto *remove = new QPushButton(tr("&Delete path…"), this);
    remove->setObjectName(QStringLiteral("deletePath"));
    remove->setToolTip(tr("Delete a file or folder of the image, e.g. \\Windows\\System32\\x.exe"));
    auto *startnet = new QPushButton(tr("Edit &startnet.cmd…"), this);
    startnet->setObjectName(QStringLiteral("editStartnet"));
    auto *winpeshl = new QPushButton(tr("Edit &winpeshl.ini…"), this);
    winpeshl->setObjectName(QStringLiteral("editWinpeshl"));
    m_remove = new QPushButton(tr("&Remove change"), this);
    m_remove->setObjectName(QStringLiteral("removeChange"));
    m_remove->setEnabled(false);

    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("customizeProgress"));
    m_progress->setRange(0, kProgressBarScale);
    m_progress->hide();
    m_cancel = new QPushButton(tr("&Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cancelCustomize"));
    m_cancel->hide();
    m_message = new InlineMessage(this);

    auto *buttons = new QVBoxLayout;
    for (auto *button : { addFiles, addFolder, remove, startnet, winpeshl, m_remove })
        buttons->addWidget(button);
    buttons->addStretch();
    auto *top = new QHBoxLayout;
    top->addWidget(m_list, 1);
    top->addLayout(buttons);
    auto *form = new QFormLayout;
    form->addRow(tr("Destination &folder in the image:"), m_destination);
    form->addRow(tr("Co&mpression:"), m_compression);
    auto *progressRow = new QHBoxLayout;
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(m_cancel);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top, 1);
    layout->addLayout(form);
    layout->addLayout(progressRow);
    layout->addWidget(m_message);

    connect(addFiles, &QPushButton::clicked, this, [this] {
        const QStringList files = QFileDialog::getOpenFileNames(this, tr("Add files to the image"));
        if (!files.isEmpty())
            addPaths(files);
    });
    connect(addFolder, &QPushButton::clicked, this, [this] {
        const QString folder
            = QFileDialog::getExistingDirectory(this, tr("Add a folder to the image"));
        if (!folder.isEmpty())
            addPaths({ folder });
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        bool ok = false;
        const QString path = QInputDialog::getText(this, tr("Delete path"),
            tr("File or folder to delete from the image:"), QLineEdit::Normal, QStringLiteral("\\"),
            &ok);
        if (ok && !inImage(path.trimmed()).isEmpty()
            && inImage(path.trimmed()) != QLatin1String("\\"))
            addDeletion(path.trimmed());
    });
    connect(
        startnet, &QPushButton::clicked, this, [this] { editTextFile(QLatin1String(kStartnet)); });
    connect(
        winpeshl, &QPushButton::clicked, this, [this] { editTextFile(QLatin1String(kWinpeshl)); });
    connect(m_remove, &QPushButton::clicked, this, [this] {
        if (auto *item = m_list->currentItem())
            removeChange(m_list->indexOfTopLevelItem(item));
    });
    connect(m_list, &QTreeWidget::currentItemChanged, this,
        [this](QTreeWidgetItem *item) { m_remove->setEnabled(item && !isCustomizing()); });
    connect(m_compression, &QComboBox::currentIndexChanged, this, &CustomizePage::updateMessage);
    connect(m_cancel, &QPushButton::clicked, this, &CustomizePage::cancel);
    connect(&m_watcher, &QFutureWatcher<Status>::finished, this, &CustomizePage::onFinished);
}

CustomizePage::~CustomizePage()
{
    m_stop.request_stop();
    m_watcher.waitForFinished();
}

QString CustomizePage::destinationFolder() const
{
    const QString text = m_destination->text().trimmed();
    return text.isEmpty() ? QStringLiteral("\\") : inImage(text);
}

void CustomizePage::addPaths(const QStringList &sources, const QString &folder)
{
    const QString destination = folder.isEmpty() ? destinationFolder() : inImage(folder);
    for (const QString &source : sources) {
        const QFileInfo info(source);
        if (!info.exists())
            continue;
        m_changes.push_back(wim::WimChange::add(
            info.absoluteFilePath(), joinInImage(destination, info.fileName())));
    }
    refreshList();
}

void CustomizePage::addDeletion(const QString &pathInImage)
{
    m_changes.push_back(wim::WimChange::remove(inImage(pathInImage)));
    refreshList();
}

void CustomizePage::setTextFile(const QString &pathInImage, const QString &text)
{
    const QString path = inImage(pathInImage);
    const QByteArray content = wim::toWindowsText(text.toUtf8());
    for (wim::WimChange &change : m_changes) {
        if (change.kind == wim::WimChange::Kind::WriteFile
            && change.path.compare(path, Qt::CaseInsensitive) == 0) {
            change.data = content;
            refreshList();
            return;
        }
    }
    m_changes.push_back(wim::WimChange::writeFile(path, content));
    refreshList();
}

void CustomizePage::removeChange(int row)
{
    if (row < 0 || row >= int(m_changes.size()))
        return;
    m_changes.erase(m_changes.begin() + row);
    refreshList();
}

void CustomizePage::setCompression(wim::WimCompression compression)
{
    m_compression->setCurrentIndex(m_compression->findData(int(compression)));
}

wim::WimCompression CustomizePage::compression() const
{
    return wim::WimCompression(m_compression->currentData().toInt());
}

void CustomizePage::cancel()
{
    if (!isCustomizing())
        return;
    m_cancel->setEnabled(false);
    m_stop.request_stop();
}

void CustomizePage::editTextFile(const QString &pathInImage)
{
    const QString path = inImage(pathInImage);
    auto open = [this, path](const QString &text) {
        auto *dialog = new TextFileDialog(path, text, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &QDialog::accepted, this,
            [this, dialog, path] { setTextFile(path, dialog->text()); });
        dialog->open();
    };
    for (const wim::WimChange &change : m_changes) {
        if (change.kind == wim::WimChange::Kind::WriteFile
            && change.path.compare(path, Qt::CaseInsensitive) == 0) {
            open(
                QString::fromUtf8(change.data).replace(QLatin1String("\r\n"), QLatin1String("\n")));
            return;
        }
    }
    // The current content, read from the WIM off the UI thread (a missing file: empty).
    const QString wimPath = m_context->sourceWimPath();
    const int index = field(QLatin1String(field::imageIndex)).toInt();
    auto *watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [watcher, open] {
        watcher->deleteLater();
        open(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run([wimPath, index, path] {
        auto bytes = wim::readFile(wimPath, index, path);
        return bytes ? QString::fromUtf8(*bytes).replace(QLatin1String("\r\n"), QLatin1String("\n"))
                     : QString();
    }));
}

void CustomizePage::initializePage()
{
    refreshList();
}

void CustomizePage::cleanupPage()
{
    if (isCustomizing()) {
        m_stop.request_stop();
        m_watcher.waitForFinished(); // editWim stops at its next progress check
    }
}

bool CustomizePage::isComplete() const
{
    return !isCustomizing();
}

bool CustomizePage::validatePage()
{
    if (isCustomizing())
        return false;
    if (m_changes.empty() && compression() == wim::WimCompression::Keep) {
        m_context->setCustomWim({});
        return true;
    }
    if (m_workDir && m_builtKey == requestKey()) {
        m_context->setCustomWim(m_workDir->filePath(QStringLiteral("custom.wim")));
        return true;
    }
    startCustomize();
    return false; // onFinished moves on when the customized WIM is written
}

QString CustomizePage::requestKey() const
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(m_context->sourceWimPath().toUtf8());
    hash.addData(QByteArray::number(field(QLatin1String(field::imageIndex)).toInt()));
    hash.addData(QByteArray::number(int(compression())));
    for (const wim::WimChange &change : m_changes) {
        hash.addData(QByteArray::number(int(change.kind)));
        for (const QString &text : { change.path, change.source, change.newPath })
            hash.addData(text.toUtf8() + '\0');
        hash.addData(change.data + '\0');
    }
    return QString::fromLatin1(hash.result().toHex());
}

void CustomizePage::startCustomize()
{
    m_context->setCustomWim({});
    if (!m_workDir || !m_workDir->isValid())
        m_workDir = std::make_unique<QTemporaryDir>(
            QDir::tempPath() + QStringLiteral("/pecast-customize-XXXXXX"));
    if (!m_workDir->isValid()) {
        m_message->showMessage(InlineMessage::Error,
            tr("Cannot create a temporary folder in %1: %2")
                .arg(QDir::tempPath(), m_workDir->errorString()));
        return;
    }
    m_builtKey.clear();
    m_runningKey = requestKey();
    wim::WimEditRequest request;
    request.input = m_context->sourceWimPath();
    request.output = m_workDir->filePath(QStringLiteral("custom.wim"));
    request.image = field(QLatin1String(field::imageIndex)).toInt();
    request.changes = m_changes;
    // All images are kept, so the chosen index stays valid. (onlyImage would write fewer bytes,
    // but wim::editWim cannot apply changes to an exported image yet: wimlib reports the image
    // as "referenced from multiple places".)
    request.onlyImage = false;
    request.compression = compression();
    request.overwrite = true;

    m_stop = std::stop_source();
    // Called on the worker; ~CustomizePage waits for it, and events posted to a deleted
    // receiver are dropped.
    auto report = [this](const ProgressEvent &event) {
        QMetaObject::invokeMethod(
            this, [this, event] { onProgress(event); }, Qt::QueuedConnection);
    };
    m_progress->setValue(0);
    m_progress->setFormat(tr("Customizing…"));
    m_progress->show();
    m_cancel->setEnabled(true);
    m_cancel->show();
    m_message->showMessage(
        InlineMessage::Info, tr("Writing the customized copy of image %1…").arg(request.image));
    const std::stop_token token = m_stop.get_token();
    m_watcher.setFuture(QtConcurrent::run([request, report, token] {
        Progress progress(report, token);
        return wim::editWim(request, progress);
    }));
    m_remove->setEnabled(false);
    Q_EMIT completeChanged();
}

void CustomizePage::onProgress(const pecast::ProgressEvent &event)
{
    if (!isCustomizing())
        return;
    Q_EMIT progressed(event);
    showProgressEvent(m_progress, event);
}

void CustomizePage::onFinished()
{
    const Status status = m_watcher.result();
    m_progress->hide();
    m_cancel->hide();
    m_remove->setEnabled(m_list->currentItem() != nullptr);
    Q_EMIT completeChanged();
    if (!status) {
        if (status.error().isCancelled())
            m_message->showMessage(InlineMessage::Info,
                tr("Cancelled. The source is unchanged; nothing was left behind."));
        else
            m_message->showMessage(InlineMessage::Error,
                status.error().toString()
                    + (status.error().hint().isEmpty()
                            ? QString()
                            : QStringLiteral(" — ") + status.error().hint()));
        Q_EMIT customizeFinished(false);
        return;
    }
    m_builtKey = m_runningKey;
    m_context->setCustomWim(m_workDir->filePath(QStringLiteral("custom.wim")));
    m_message->showMessage(InlineMessage::Ok,
        tr("Customized copy written (%1).")
            .arg(locale().formattedDataSize(QFileInfo(m_context->customWim()).size())));
    Q_EMIT customizeFinished(true);
    if (wizard() && wizard()->currentPage() == this)
        wizard()->next();
}

void CustomizePage::refreshList()
{
    m_list->clear();
    for (const wim::WimChange &change : m_changes) {
        auto *item = new QTreeWidgetItem(m_list);
        switch (change.kind) {
        case wim::WimChange::Kind::Add:
            item->setText(0, QFileInfo(change.source).isDir() ? tr("Add folder") : tr("Add file"));
            item->setText(2, QDir::toNativeSeparators(change.source));
            break;
        case wim::WimChange::Kind::Delete:
            item->setText(0, tr("Delete"));
            break;
        case wim::WimChange::Kind::Rename:
            item->setText(0, tr("Rename to %1").arg(change.newPath));
            break;
        case wim::WimChange::Kind::WriteFile:
            item->setText(0, tr("Write text"));
            item->setText(2, tr("text, lines: %1").arg(change.data.count('\n')));
            break;
        }
        item->setText(1, change.path);
        item->setToolTip(1, change.path);
    }
    m_list->resizeColumnToContents(0);
    m_remove->setEnabled(false);
    updateMessage();
    Q_EMIT changesChanged();
}

void CustomizePage::updateMessage()
{
    if (isCustomizing())
        return;
    if (m_changes.empty() && compression() == wim::WimCompression::Keep) {
        m_message->showMessage(InlineMessage::Info,
            tr("No changes: the build uses the source WIM as it is. Drop files or folders here "
               "to add them."));
        return;
    }
    m_message->showMessage(InlineMessage::Info,
        tr("Changes: %1. Next writes a customized copy of the chosen image; the source "
           "stays untouched.")
            .arg(m_changes.size()));
}

void CustomizePage::dragEnterEvent(QDragEnterEvent *event)
{
    // A WIM, ISO or disk image goes on to the wizard, which replaces the source.
    const QList<QUrl> urls = event->mimeData()->urls();
    for (const QUrl &url : urls) {
        if (url.isLocalFile() && !isCustomizing()
            && (QFileInfo(url.toLocalFile()).isDir()
                || !allSourceSuffixes().contains(
                    QFileInfo(url.toLocalFile()).suffix(), Qt::CaseInsensitive))) {
            event->acceptProposedAction();
            return;
        }
    }
    event->ignore();
}

void CustomizePage::dropEvent(QDropEvent *event)
{
    QStringList paths;
    const QList<QUrl> urls = event->mimeData()->urls();
    for (const QUrl &url : urls) {
        if (url.isLocalFile())
            paths.append(url.toLocalFile());
    }
    addPaths(paths);
    event->acceptProposedAction();
}

} // namespace pecast::ui
