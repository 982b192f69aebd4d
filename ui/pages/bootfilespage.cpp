#include "pages/bootfilespage.h"

#include "sourceresolver.h"
#include "widgets/bootfilechooser.h"
#include "widgets/inlinemessage.h"
#include "wizardcontext.h"

#include <QDir>
#include <QDragEnterEvent>
#include <QFileInfo>
#include <QLabel>
#include <QMimeData>
#include <QVBoxLayout>

namespace pecast::ui {

namespace {

// Which chooser a dropped file belongs to: boot.sdi by suffix, bootmgr by name.
enum class DropRole { None, Bootmgr, Sdi };

DropRole roleOf(const QUrl &url)
{
    if (!url.isLocalFile())
        return DropRole::None;
    const QFileInfo info(url.toLocalFile());
    if (info.suffix().compare(QLatin1String("sdi"), Qt::CaseInsensitive) == 0)
        return DropRole::Sdi;
    if (info.fileName().startsWith(QLatin1String("bootmgr"), Qt::CaseInsensitive))
        return DropRole::Bootmgr;
    return DropRole::None;
}

QString inWim(const char *path)
{
    return QDir::toNativeSeparators(QString::fromLatin1(path))
        .replace(QLatin1Char('/'), QLatin1Char('\\'));
}

} // namespace

BootFilesPage::BootFilesPage(WizardContext *context, QWidget *parent)
    : QWizardPage(parent)
    , m_context(context)
{
    setTitle(tr("Boot files"));
    setSubTitle(tr("bootmgr starts Windows' boot manager; boot.sdi is the template of the RAM "
                   "disk. Both normally come from the image itself."));
    setAcceptDrops(true);

    m_bootmgr = new BootFileChooser(
        QStringLiteral("bootmgr"), tr("Boot manager (bootmgr*);;All files (*)"), this);
    m_bootmgr->setObjectName(QStringLiteral("bootmgrChooser"));
    m_bootmgr->setToolTip(tr("The BIOS boot manager that GRUB's ntldr loads below 640 KiB"));
    m_sdi = new BootFileChooser(
        QStringLiteral("boot.sdi"), tr("System Deployment Image (*.sdi);;All files (*)"), this);
    m_sdi->setObjectName(QStringLiteral("sdiChooser"));
    m_sdi->setToolTip(tr("The RAM disk template that bootmgr loads the WIM into"));
    m_message = new InlineMessage(this);
    auto *hint = new QLabel(tr("Tip: drop a bootmgr or .sdi file onto this page to use it."), this);
    hint->setWordWrap(true);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_bootmgr);
    layout->addWidget(m_sdi);
    layout->addWidget(m_message);
    layout->addStretch();
    layout->addWidget(hint);

    registerField(QLatin1String(field::bootmgrPath), m_bootmgr, "externalPath", SIGNAL(changed()));
    registerField(QLatin1String(field::sdiPath), m_sdi, "externalPath", SIGNAL(changed()));
    for (auto *chooser : { m_bootmgr, m_sdi }) {
        connect(chooser, &BootFileChooser::changed, this, [this] {
            updateMessage();
            Q_EMIT completeChanged();
        });
    }
}

void BootFilesPage::initializePage()
{
    const wim::WimImageInfo *image = m_context->selectedImage();
    m_bootmgr->setWimFile(
        inWim(wim::kBootmgrPath), image && image->boot.hasBootmgr ? image->boot.bootmgrSize : -1);
    m_sdi->setWimFile(
        inWim(wim::kBootSdiPath), image && image->boot.hasBootSdi ? image->boot.bootSdiSize : -1);
    // Boot media (an ISO or a copype folder) bring their own bootmgr and boot.sdi: preselected
    // unless the user chose other files.
    const ResolveOutcome *outcome
        = m_context->resolver().outcomeFor(field(QLatin1String(field::sourceWim)).toString());
    const QString bootmgr
        = outcome && outcome->resolved ? outcome->resolved->bootmgrPath : QString();
    const QString sdi = outcome && outcome->resolved ? outcome->resolved->sdiPath : QString();
    auto preselect = [](BootFileChooser *chooser, QString &last, const QString &media) {
        if (chooser->externalPath().isEmpty() || chooser->externalPath() == last)
            chooser->setExternalPath(media);
        last = media;
    };
    preselect(m_bootmgr, m_mediaBootmgr, bootmgr);
    preselect(m_sdi, m_mediaSdi, sdi);
    updateMessage();
}

bool BootFilesPage::isComplete() const
{
    return m_bootmgr->isValid() && m_sdi->isValid();
}

void BootFilesPage::dragEnterEvent(QDragEnterEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    for (const QUrl &url : urls) {
        if (roleOf(url) != DropRole::None) {
            event->acceptProposedAction();
            return;
        }
    }
    event->ignore(); // a WIM goes on to the wizard, which replaces the source
}

void BootFilesPage::dropEvent(QDropEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    for (const QUrl &url : urls) {
        switch (roleOf(url)) {
        case DropRole::Bootmgr:
            m_bootmgr->setExternalPath(url.toLocalFile());
            break;
        case DropRole::Sdi:
            m_sdi->setExternalPath(url.toLocalFile());
            break;
        case DropRole::None:
            break;
        }
    }
    event->acceptProposedAction();
}

void BootFilesPage::updateMessage()
{
    for (auto *chooser : { m_bootmgr, m_sdi }) {
        if (!chooser->isValid()) {
            m_message->showMessage(InlineMessage::Error, chooser->problem());
            return;
        }
    }
    const qint64 bootmgrSize = m_bootmgr->effectiveSize();
    if (bootmgrSize > wim::kMaxSafeBootmgrSize) {
        m_message->showMessage(InlineMessage::Warning,
            tr("bootmgr is %1, but memdisk leaves room for about %2 below 640 KiB: it may hang "
               "while loading. Use a smaller bootmgr (e.g. from a WinPE 5 or 10 ADK).")
                .arg(locale().formattedDataSize(bootmgrSize),
                    locale().formattedDataSize(wim::kMaxSafeBootmgrSize)));
        return;
    }
    m_message->showMessage(InlineMessage::Ok,
        tr("bootmgr fits below memdisk's limit (%1 of %2).")
            .arg(locale().formattedDataSize(bootmgrSize),
                locale().formattedDataSize(wim::kMaxSafeBootmgrSize)));
}

} // namespace pecast::ui
