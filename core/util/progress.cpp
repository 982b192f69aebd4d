#include "util/progress.h"

namespace pecast {

// Listeners repaint a bar or print a line per event: ten a second is smooth and cheap.
constexpr qint64 kMinEmitIntervalMs = 100;

Progress::Progress(Callback callback, std::stop_token stop)
    : m_callback(std::move(callback))
    , m_stop(std::move(stop))
{ }

Progress::Progress(std::stop_token stop)
    : m_stop(std::move(stop))
{ }

void Progress::beginStage(const QString &stage, qint64 total)
{
    m_event = ProgressEvent { stage, 0, total, {} };
    emitNow();
}

void Progress::update(qint64 done, const QString &item)
{
    m_event.done = done;
    if (!item.isNull())
        m_event.item = item;
    const bool finished = m_event.total >= 0 && done >= m_event.total;
    if (finished || !m_sinceLastEmit.isValid() || m_sinceLastEmit.elapsed() >= kMinEmitIntervalMs)
        emitNow();
}

Status Progress::check() const
{
    if (m_stop.stop_requested())
        return cancelledError();
    return {};
}

void Progress::emitNow()
{
    m_sinceLastEmit.start();
    if (m_callback)
        m_callback(m_event);
}

} // namespace pecast
