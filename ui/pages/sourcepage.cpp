#include "pages/sourcepage.h"

#include "settings.h"
#include "widgets/dropzone.h"
#include "widgets/inlinemessage.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>

namespace pecast::ui {

SourcePage::SourcePage(QWidget *parent)
    : QWizardPage(parent)
{
    setTitle(tr("Source"));
    setSubTitle(tr("Choose the WinPE image (WIM or ESD) to turn into a network-bootable disk."));

    m_dropZone = new DropZone(this);
    m_dropZone->setAcceptedSuffixes(sourceSuffixes());
    m_dropZone->setText(tr("Drop a .wim or .esd file here\nor click to browse"));

    auto *pathLabel = new QLabel(tr("&WIM file:"), this);
    m_path = new QLineEdit(this);
    m_path->setObjectName(QStringLiteral("sourcePath"));
    m_path->setPlaceholderText(tr("/path/to/boot.wim"));
    m_path->setClearButtonEnabled(true);
    m_path->setToolTip(
        tr("The WinPE WIM, for example sources/boot.wim from Windows media or an ADK"));
    pathLabel->setBuddy(m_path);
    auto *browse = new QPushButton(tr("Bro&wse…"), this);
    browse->setObjectName(QStringLiteral("browseButton"));
    browse->setToolTip(tr("Choose a WIM or ESD file"));

    m_message = new InlineMessage(this);

    auto *recentLabel = new QLabel(tr("&Recent files:"), this);
    m_recent = new QListWidget(this);
    m_recent->setObjectName(QStringLiteral("recentFiles"));
    m_recent->setToolTip(tr("Double-click (or press Enter) to use a file again"));
    m_recent->setMaximumHeight(120);
    recentLabel->setBuddy(m_recent);

    auto *layout = new QGridLayout(this);
    layout->addWidget(m_dropZone, 0, 0, 1, 3);
    layout->addWidget(pathLabel, 1, 0);
    layout->addWidget(m_path, 1, 1);
    layout->addWidget(browse, 1, 2);
    layout->addWidget(m_message, 2, 0, 1, 3);
    layout->addWidget(recentLabel, 3, 0, 1, 3);
    layout->addWidget(m_recent, 4, 0, 1, 3);
    layout->setRowStretch(0, 1);

    registerField(QStringLiteral("source.wim*"), m_path);

    connect(m_dropZone, &DropZone::fileDropped, this, &SourcePage::setSourcePath);
    connect(m_dropZone, &DropZone::clicked, this, &SourcePage::browse);
    connect(browse, &QPushButton::clicked, this, &SourcePage::browse);
    connect(m_path, &QLineEdit::textChanged, this, [this] {
        updateMessage();
        Q_EMIT completeChanged();
    });
    connect(m_recent, &QListWidget::itemActivated, this,
        [this](QListWidgetItem *item) { setSourcePath(item->data(Qt::UserRole).toString()); });
}

QStringList SourcePage::sourceSuffixes()
{
    return { QStringLiteral("wim"), QStringLiteral("esd") };
}

void SourcePage::setSourcePath(const QString &path)
{
    m_path->setText(QDir::toNativeSeparators(path));
}

void SourcePage::initializePage()
{
    refreshRecent();
    updateMessage();
}

void SourcePage::cleanupPage() { }

bool SourcePage::isComplete() const
{
    return QWizardPage::isComplete() && problemWith(m_path->text()).isEmpty();
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
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Choose a WinPE image"), start, tr("Windows images (*.wim *.esd);;All files (*)"));
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

QString SourcePage::problemWith(const QString &path) const
{
    if (path.trimmed().isEmpty())
        return tr("Drop or choose a WIM file to begin.");
    const QFileInfo info(path);
    if (!info.exists())
        return tr("%1 does not exist.").arg(path);
    if (!info.isFile())
        return tr("%1 is not a file.").arg(path);
    if (!info.isReadable())
        return tr("%1 cannot be read: check its permissions.").arg(path);
    if (!sourceSuffixes().contains(info.suffix(), Qt::CaseInsensitive))
        return tr("%1 is not a WIM or ESD file.").arg(info.fileName());
    return {};
}

void SourcePage::updateMessage()
{
    const QString problem = problemWith(m_path->text());
    if (problem.isEmpty())
        m_message->showMessage(InlineMessage::Ok,
            tr("%1 (%2)").arg(QFileInfo(m_path->text()).fileName(),
                locale().formattedDataSize(QFileInfo(m_path->text()).size())));
    else
        m_message->showMessage(
            m_path->text().isEmpty() ? InlineMessage::Info : InlineMessage::Error, problem);
}

} // namespace pecast::ui
