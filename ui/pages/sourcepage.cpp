#include "pages/sourcepage.h"

#include "settings.h"
#include "sourceresolver.h"
#include "sourcetype.h"
#include "widgets/dropzone.h"
#include "widgets/inlinemessage.h"
#include "wizardcontext.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>

namespace pecast::ui {

SourcePage::SourcePage(WizardContext *context, QWidget *parent)
    : QWizardPage(parent)
    , m_context(context)
{
    setTitle(tr("Source"));
    setSubTitle(tr("Choose the WinPE image (WIM, ISO or ADK folder) to turn into a "
                   "network-bootable disk, or an existing disk image to edit."));

    m_dropZone = new DropZone(this);
    m_dropZone->setAcceptedSuffixes(sourceSuffixes());
    m_dropZone->setAcceptsFolders(true);
    m_dropZone->setText(tr("Drop a .wim, .esd or .iso file, an ADK copype folder,\nor a disk "
                           "image (.img) to edit here — or click to browse"));

    auto *pathLabel = new QLabel(tr("&Source:"), this);
    m_path = new QLineEdit(this);
    m_path->setObjectName(QStringLiteral("sourcePath"));
    m_path->setPlaceholderText(tr("/path/to/boot.wim"));
    m_path->setClearButtonEnabled(true);
    m_path->setToolTip(tr("The WinPE WIM (sources/boot.wim), a WinPE or Windows ISO, an ADK "
                          "copype folder, or a disk image made before"));
    pathLabel->setBuddy(m_path);
    auto *browse = new QPushButton(tr("Bro&wse…"), this);
    browse->setObjectName(QStringLiteral("browseButton"));
    browse->setToolTip(tr("Choose a WIM, ESD, ISO or disk image file"));
    auto *folder = new QPushButton(tr("Choose &folder…"), this);
    folder->setObjectName(QStringLiteral("folderButton"));
    folder->setToolTip(tr("Choose an ADK copype folder or a media folder (an extracted ISO)"));

    m_busy = new QProgressBar(this);
    m_busy->setRange(0, 0); // busy indicator while an ISO is extracted
    m_busy->setTextVisible(false);
    m_busy->setMaximumHeight(8);
    m_busy->hide();
    m_message = new InlineMessage(this);

    auto *recentLabel = new QLabel(tr("&Recent files:"), this);
    m_recent = new QListWidget(this);
    m_recent->setObjectName(QStringLiteral("recentFiles"));
    m_recent->setToolTip(tr("Double-click (or press Enter) to use a file again"));
    m_recent->setMaximumHeight(120);
    recentLabel->setBuddy(m_recent);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(browse);
    buttons->addWidget(folder);
    auto *layout = new QGridLayout(this);
    layout->addWidget(m_dropZone, 0, 0, 1, 3);
    layout->addWidget(pathLabel, 1, 0);
    layout->addWidget(m_path, 1, 1);
    layout->addLayout(buttons, 1, 2);
    layout->addWidget(m_busy, 2, 0, 1, 3);
    layout->addWidget(m_message, 3, 0, 1, 3);
    layout->addWidget(recentLabel, 4, 0, 1, 3);
    layout->addWidget(m_recent, 5, 0, 1, 3);
    layout->setRowStretch(0, 1);

    registerField(QLatin1String(field::sourceWim) + QLatin1Char('*'), m_path);

    connect(m_dropZone, &DropZone::fileDropped, this, &SourcePage::setSourcePath);
    connect(m_dropZone, &DropZone::clicked, this, &SourcePage::browse);
    connect(browse, &QPushButton::clicked, this, &SourcePage::browse);
    connect(folder, &QPushButton::clicked, this, &SourcePage::chooseFolder);
    connect(m_path, &QLineEdit::textChanged, this, &SourcePage::sourceChanged);
    connect(m_recent, &QListWidget::itemActivated, this,
        [this](QListWidgetItem *item) { setSourcePath(item->data(Qt::UserRole).toString()); });
    SourceResolver &resolver = m_context->resolver();
    connect(&resolver, &SourceResolver::finished, this, [this] {
        updateMessage();
        Q_EMIT completeChanged();
    });
    connect(&resolver, &SourceResolver::progressText, this, [this](const QString &text) {
        if (isResolving())
            m_message->showMessage(InlineMessage::Info, text);
    });
}

QStringList SourcePage::sourceSuffixes()
{
    return allSourceSuffixes();
}

void SourcePage::setSourcePath(const QString &path)
{
    m_path->setText(QDir::toNativeSeparators(path));
}

QString SourcePage::sourcePath() const
{
    return m_path->text();
}

bool SourcePage::isResolving() const
{
    const SourceType type = sourceTypeOf(m_path->text());
    return (type == SourceType::Iso || type == SourceType::Folder)
        && !m_context->resolver().outcomeFor(m_path->text());
}

void SourcePage::initializePage()
{
    refreshRecent();
    updateMessage();
}

void SourcePage::cleanupPage() { }

bool SourcePage::isComplete() const
{
    if (!QWizardPage::isComplete() || !problemWith(m_path->text()).isEmpty())
        return false;
    const SourceType type = sourceTypeOf(m_path->text());
    if (type != SourceType::Iso && type != SourceType::Folder)
        return true;
    const ResolveOutcome *outcome = m_context->resolver().outcomeFor(m_path->text());
    return outcome && outcome->resolved;
}

bool SourcePage::validatePage()
{
    Settings::addRecentFile(m_path->text());
    return true;
}

void SourcePage::browse()
{
    const QString start = m_path->text().isEmpty()
        ? Settings::value(settingsKey::lastOpenDir, QDir::homePath()).toString()
        : QFileInfo(m_path->text()).absolutePath();
    auto patterns = [](const QStringList &suffixes) {
        QStringList out;
        for (const QString &suffix : suffixes)
            out.append(QStringLiteral("*.") + suffix);
        return out.join(QLatin1Char(' '));
    };
    const QString filters = tr("All sources (%1)").arg(patterns(sourceSuffixes()))
        + QStringLiteral(";;") + tr("Windows images (%1)").arg(patterns(wimSuffixes()))
        + QStringLiteral(";;") + tr("ISO images (%1)").arg(patterns(isoSuffixes()))
        + QStringLiteral(";;")
        + tr("Disk images (%1)").arg(patterns(rawImageSuffixes() + virtualDiskSuffixes()))
        + QStringLiteral(";;") + tr("All files (*)");
    const QString path
        = QFileDialog::getOpenFileName(this, tr("Choose a WinPE image"), start, filters);
    if (!path.isEmpty())
        setSourcePath(path);
}

void SourcePage::chooseFolder()
{
    const QString start = m_path->text().isEmpty()
        ? Settings::value(settingsKey::lastOpenDir, QDir::homePath()).toString()
        : QFileInfo(m_path->text()).absolutePath();
    const QString path = QFileDialog::getExistingDirectory(
        this, tr("Choose an ADK copype folder or a media folder"), start);
    if (!path.isEmpty())
        setSourcePath(path);
}

void SourcePage::refreshRecent()
{
    m_recent->clear();
    const QStringList files = Settings::recentFiles();
    for (const QString &path : files) {
        auto *item = new QListWidgetItem(QFileInfo(path).fileName() + QStringLiteral("  —  ")
                + QDir::toNativeSeparators(QFileInfo(path).absolutePath()),
            m_recent);
        item->setData(Qt::UserRole, path);
        item->setToolTip(path);
    }
    if (files.isEmpty())
        m_recent->addItem(tr("(none yet)"));
    m_recent->setEnabled(!files.isEmpty());
}

void SourcePage::sourceChanged()
{
    const QString path = m_path->text();
    const SourceType type = sourceTypeOf(path);
    if ((type == SourceType::Iso || type == SourceType::Folder) && problemWith(path).isEmpty())
        m_context->resolver().resolve(path);
    else
        m_context->resolver().clear();
    updateMessage();
    Q_EMIT completeChanged();
}

QString SourcePage::problemWith(const QString &path) const
{
    if (path.trimmed().isEmpty())
        return tr("Drop or choose a WIM, an ISO, an ADK folder or a disk image to begin.");
    const QFileInfo info(path);
    if (!info.exists())
        return tr("%1 does not exist.").arg(path);
    if (!info.isReadable())
        return tr("%1 cannot be read: check its permissions.").arg(path);
    if (!info.isFile() && !info.isDir())
        return tr("%1 is not a file.").arg(path);
    if (sourceTypeOf(path) == SourceType::None)
        return tr("%1 is not a WIM, ISO or disk image file.").arg(info.fileName());
    return {};
}

void SourcePage::updateMessage()
{
    const QString path = m_path->text();
    const QString problem = problemWith(path);
    m_busy->setVisible(problem.isEmpty() && isResolving());
    if (!problem.isEmpty()) {
        m_message->showMessage(
            path.isEmpty() ? InlineMessage::Info : InlineMessage::Error, problem);
        return;
    }
    const QFileInfo info(path);
    const QString size = locale().formattedDataSize(info.size());
    switch (sourceTypeOf(path)) {
    case SourceType::Wim:
        m_message->showMessage(InlineMessage::Ok, tr("%1 (%2)").arg(info.fileName(), size));
        return;
    case SourceType::RawImage:
        m_message->showMessage(InlineMessage::Ok,
            tr("Disk image %1 (%2): Next opens it for editing (replace its WIM, then serve it).")
                .arg(info.fileName(), size));
        return;
    case SourceType::VirtualDisk:
        m_message->showMessage(InlineMessage::Info,
            tr("Virtual disk %1 (%2): Next shows what it boots (libguestfs, 15–40 s). Replacing "
               "the WIM needs a raw image (qemu-img convert -O raw).")
                .arg(info.fileName(), size));
        return;
    case SourceType::Iso:
    case SourceType::Folder:
        break;
    case SourceType::None:
        return;
    }
    const ResolveOutcome *outcome = m_context->resolver().outcomeFor(path);
    if (!outcome) {
        m_message->showMessage(InlineMessage::Info, tr("Reading %1…").arg(info.fileName()));
        return;
    }
    if (!outcome->resolved) {
        m_message->showMessage(InlineMessage::Error,
            tr("%1: %2").arg(info.fileName(), outcome->error.toString())
                + (outcome->error.hint().isEmpty() ? QString()
                                                   : QStringLiteral(" ") + outcome->error.hint()));
        return;
    }
    QString kind;
    switch (outcome->resolved->kind) {
    case wim::SourceKind::Iso:
        kind = outcome->installMedia ? tr("Windows installation ISO") : tr("Windows PE ISO");
        break;
    case wim::SourceKind::AdkFolder:
        kind = tr("ADK copype folder");
        break;
    case wim::SourceKind::MediaFolder:
        kind = tr("Media folder");
        break;
    case wim::SourceKind::Wim:
        kind = tr("WIM");
        break;
    }
    QString text = tr("%1: boot.wim found (%2, images: %3); bootmgr and boot.sdi come from the "
                      "medium.")
                       .arg(kind, locale().formattedDataSize(outcome->wimBytes))
                       .arg(outcome->imageCount);
    if (!outcome->resolved->notice.isEmpty())
        text += QLatin1Char(' ') + outcome->resolved->notice;
    m_message->showMessage(InlineMessage::Ok, text);
}

} // namespace pecast::ui
