#include "cancelatstage.h"

namespace pecast::test {

CancelAtStage::CancelAtStage(const QString &stagePrefix)
    : m_prefix(stagePrefix)
    , m_progress(
          [this](const ProgressEvent &event) {
              if (event.stage.startsWith(m_prefix)) {
                  m_reached = true;
                  m_stop.request_stop();
              }
          },
          m_stop.get_token())
{ }

} // namespace pecast::test
