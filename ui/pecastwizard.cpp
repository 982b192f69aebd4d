#include "pecastwizard.h"

#include "pages/bootconfigpage.h"
#include "pages/bootfilespage.h"
#include "pages/buildpage.h"
#include "pages/customizepage.h"
#include "pages/editimagepage.h"
#include "pages/imagepage.h"
#include "pages/outputpage.h"
#include "pages/servepage.h"
#include "pages/sourcepage.h"
#include "pipeline/buildrunner.h"
#include "settings.h"
#include "sourcetype.h"
#include "widgets/dropzone.h"
#include "wizardcontext.h"

#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QIcon>
#include <QMessageBox>
#include <QMimeData>

namespace pecast::ui {

// Room for the image table and the BCD preview without scrolling, on a 1366x768 laptop.
constexpr QSize kDefaultSize(860, 640);
// A cancelled step stops at its next progress check; wimlib checks every chunk.
constexpr int kStopWaitMs = 30000;

PecastWizard::PecastWizard(QWidget *parent)
    : QWizard(parent)
    , m_context(new WizardContext(this))
{
    setObjectName(QStringLiteral("pecastWizard"));
    setWindowTitle(tr("PEcast"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/pecast.svg")));
    setWizardStyle(QWizard::ModernStyle);
    setOption(QWizard::NoBackButtonOnLastPage, true);
    setOption(QWizard::HaveHelpButton, false);
    setAcceptDrops(true);

    m_source = new SourcePage(m_context, this);
    m_image = new ImagePage(m_context, this);
    m_customize = new CustomizePage(m_context, this);
    m_editImage = new EditImagePage(m_context, this);
    m_bootFiles = new BootFilesPage(m_context, this);
    m_bootConfig = new BootConfigPage(m_context, this);
    m_output = new OutputPage(m_context, this);
    m_build = new BuildPage(m_context, this);
    m_serve = new ServePage(m_context, this);
    setPage(SourceId, m_source);
    setPage(ImageId, m_image);
    setPage(CustomizeId, m_customize);
    setPage(BootFilesId, m_bootFiles);
    setPage(BootConfigId, m_bootConfig);
    setPage(OutputId, m_output);
    setPage(BuildId, m_build);
    setPage(ServeId, m_serve);
    setPage(EditImageId, m_editImage);
    setStartId(SourceId);

    connect(m_build, &BuildPage::rebuildRequested, this, &PecastWizard::returnToImagePage);

    resize(kDefaultSize);
    restoreGeometry(Settings::value(settingsKey::geometry).toByteArray());
}

PecastWizard::~PecastWizard()
{
    stopWork(false);
}

int PecastWizard::nextId() const
{
    switch (currentId()) {
    case SourceId:
        return isDiskImage(sourceTypeOf(m_source->sourcePath())) ? EditImageId : ImageId;
    case ServeId:
        return -1;
    case EditImageId:
        return ServeId;
    default:
        return QWizard::nextId();
    }
}

void PecastWizard::openSource(const QString &path)
{
    m_source->setSourcePath(path);
    const SourceType type = sourceTypeOf(path);
    switch (currentId()) {
    case SourceId:
    case -1:
        return;
    case ImageId:
        if (type == SourceType::Wim) {
            Q_EMIT m_context->sourceReplaced(path); // the Image page inspects it in place
            return;
        }
        break;
    case CustomizeId:
        if (m_customize->isCustomizing())
            return; // the running edit keeps its source; the field is read at the next start
        break;
    case EditImageId:
        if (m_editImage->state() == EditImagePage::State::Replacing)
            return;
        break;
    case BuildId:
        if (m_build->state() == BuildPage::State::Running)
            return; // the running build keeps its source; the field is read at the next start
        if (type == SourceType::Wim) {
            m_build->offerRebuild(path);
            return;
        }
        break;
    case ServeId:
        if (m_context->isServing())
            return;
        break;
    default:
        break;
    }
    returnToImagePage();
}

void PecastWizard::returnToImagePage()
{
    // restart() cleans up every visited page; ours keep their choices, so the user's options
    // survive and the Image page inspects the new WIM when it is shown again. An ISO or a
    // folder waits on the Source page until it is resolved; a disk image opens the Edit page.
    restart();
    if (currentPage()->isComplete())
        next();
}

bool PecastWizard::stopWork(bool ask)
{
    const bool building = m_context->isBuilding() || m_customize->isCustomizing()
        || m_editImage->state() == EditImagePage::State::Replacing;
    const bool serving = m_context->isServing();
    if (!building && !serving)
        return true;
    if (ask) {
        const QString question = m_context->isBuilding()
            ? tr("A build is running. Cancel it and quit? Nothing is left behind.")
            : building ? tr("PEcast is writing an image. Cancel it and quit?")
                       : tr("PEcast is serving the image. Stop the server and quit?");
        if (QMessageBox::question(this, tr("Quit PEcast?"), question,
                QMessageBox::Yes | QMessageBox::No, QMessageBox::No)
            != QMessageBox::Yes) {
            return false;
        }
    }
    if (building) {
        m_context->runner().cancel();
        m_context->runner().wait(kStopWaitMs);
        m_customize->cleanupPage(); // cancels and waits
        m_editImage->cancelReplace(); // ~EditImagePage waits for it
    }
    if (serving)
        m_serve->stopServing();
    return true;
}

void PecastWizard::reject()
{
    if (!stopWork(true))
        return;
    Settings::setValue(settingsKey::geometry, saveGeometry());
    QWizard::reject();
}

void PecastWizard::closeEvent(QCloseEvent *event)
{
    if (!stopWork(true)) {
        event->ignore();
        return;
    }
    Settings::setValue(settingsKey::geometry, saveGeometry());
    QWizard::closeEvent(event);
}

void PecastWizard::dragEnterEvent(QDragEnterEvent *event)
{
    if (!DropZone::acceptableFile(event->mimeData()->urls(), SourcePage::sourceSuffixes(), true)
             .isEmpty()) {
        event->acceptProposedAction();
    }
}

void PecastWizard::dropEvent(QDropEvent *event)
{
    const QString path
        = DropZone::acceptableFile(event->mimeData()->urls(), SourcePage::sourceSuffixes(), true);
    if (path.isEmpty())
        return;
    event->acceptProposedAction();
    openSource(path);
}

} // namespace pecast::ui
