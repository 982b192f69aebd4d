#include "wizardcontext.h"

#include "pipeline/buildrunner.h"
#include "serve/servecontroller.h"
#include "sourceresolver.h"
#include "sourcetype.h"

#include <QWizard>

namespace pecast::ui {

WizardContext::WizardContext(QWizard *wizard)
    : QObject(wizard)
    , m_wizard(wizard)
    , m_resolver(new SourceResolver(this))
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
    plan.wimPath = buildWimPath();
    plan.imageIndex = field(field::imageIndex).toInt(); // the customized WIM keeps every image
    plan.recompress = field(field::recompress).toBool();
    plan.bootmgrPath = field(field::bootmgrPath).toString();
    plan.sdiPath = field(field::sdiPath).toString();
    plan.description = field(field::description).toString().trimmed();
    if (plan.description.isEmpty())
        plan.description = QStringLiteral("WinPE");
    plan.bcdTimeoutSeconds = field(field::timeout).toInt();
    plan.bcdDevice = pipeline::BcdDevice(field(field::deviceMode).toInt());
    plan.layout = pipeline::Layout(field(field::layout).toInt());
    plan.sizeBytes = field(field::sizeMiB).toLongLong() * 1024 * 1024;
    plan.gzip = field(field::gzip).toBool();
    plan.overwrite = field(field::overwrite).toBool();
    plan.outputPath = field(field::outputPath).toString();
    return plan;
}

QString WizardContext::sourceWimPath() const
{
    const QString path = field(field::sourceWim).toString();
    switch (sourceTypeOf(path)) {
    case SourceType::Iso:
    case SourceType::Folder: {
        const ResolveOutcome *outcome = m_resolver->outcomeFor(path);
        return outcome && outcome->resolved ? outcome->resolved->wimPath : QString();
    }
    default:
        return path;
    }
}

QString WizardContext::buildWimPath() const
{
    return m_customWim.isEmpty() ? sourceWimPath() : m_customWim;
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
