#include "pipeline/buildcontext.h"

namespace pecast::pipeline {

void BuildContext::log(const QString &line) const
{
    if (m_log)
        m_log(line);
}

void BuildContext::warn(const QString &warning)
{
    if (result.warnings.contains(warning))
        return;
    result.warnings << warning;
    log(QStringLiteral("warning: %1").arg(warning));
}

} // namespace pecast::pipeline
