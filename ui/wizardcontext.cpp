#include "wizardcontext.h"

#include "pipeline/buildrunner.h"
#include "serve/servecontroller.h"

#include <QWizard>

namespace pecast::ui {

WizardContext::WizardContext(QWizard *wizard)
    : QObject(wizard)
    , m_wizard(wizard)
    , m_runner(new pipeline::BuildRunner(this))
    , m_server(new serve::ServeController(this))
{ }

WizardContext::~WizardContext() = default;

QVariant WizardContext::field(const char *name) const
{
    return m_wizard->field(QLatin1String(name));
}

pipeline::BuildPlan WizardContext::plan() const
{
    pipeline::BuildPlan plan;
    plan.wimPath = field(field::sourceWim).toString();
    plan.imageIndex = field(field::imageIndex).toInt();
    plan.recompress = field(field::recompress).toBool();
    plan.bootmgrPath = field(field::bootmgrPath).toString();
    plan.sdiPath = field(field::sdiPath).toString();
    plan.description = field(field::description).toString().trimmed();
    if (plan.description.isEmpty())
        plan.description = QStringLiteral("WinPE");
    plan.bcdDevice = pipeline::BcdDevice(field(field::deviceMode).toInt());
    plan.layout = pipeline::Layout(field(field::layout).toInt());
    plan.sizeBytes = field(field::sizeMiB).toLongLong() * 1024 * 1024;
    plan.gzip = field(field::gzip).toBool();
    plan.overwrite = field(field::overwrite).toBool();
    plan.outputPath = field(field::outputPath).toString();
    return plan;
}

const wim::WimImageInfo *WizardContext::selectedImage() const
{
    if (!m_wimInfo)
        return nullptr;
    return m_wimInfo->image(field(field::imageIndex).toInt());
}

void WizardContext::setBuildResult(std::optional<pipeline::BuildResult> result)
{
    m_buildResult = std::move(result);
}

bool WizardContext::isBuilding() const
{
    return m_runner->isRunning();
}

bool WizardContext::isServing() const
{
    return m_server->isRunning();
}

} // namespace pecast::ui
