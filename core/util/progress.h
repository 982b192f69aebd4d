#pragma once

// Progress reporting and cancellation for every long operation in core/.
// A Progress is handed down by the caller (a BuildRunner step, a CLI command, a test): the
// operation names its stage, reports bytes or items done, and checks for cancellation between
// chunks. Reports are throttled here (about 10 a second), but a stage change and the final
// "done == total" always pass, so a listener can rely on seeing 100 %.

#include "util/error.h"

#include <QElapsedTimer>
#include <QMetaType>
#include <QString>

#include <functional>
#include <stop_token>

namespace pecast {

struct ProgressEvent
{
    QString stage; // what is happening, for people: "Writing \winpe.wim"
    qint64 done = 0;
    qint64 total = -1; // -1: unknown
    QString item; // optional detail: the file being written, the client being served
};

class Progress
{
public:
    using Callback = std::function<void(const ProgressEvent &)>;

    Progress() = default; // reports nothing, never cancelled
    explicit Progress(Callback callback, std::stop_token stop = {});
    explicit Progress(std::stop_token stop);

    void beginStage(const QString &stage, qint64 total = -1);
    void update(qint64 done, const QString &item = {});
    void advance(qint64 delta) { update(m_event.done + delta); }
    void setTotal(qint64 total) { m_event.total = total; }
    const ProgressEvent &current() const { return m_event; }

    bool cancelled() const { return m_stop.stop_requested(); }
    // Ok, or an Errc::Cancelled error when a stop was requested: `if (auto s = p.check(); !s) ...`
    Status check() const;
    std::stop_token stopToken() const { return m_stop; }

private:
    void emitNow();

    Callback m_callback;
    std::stop_token m_stop;
    ProgressEvent m_event;
    QElapsedTimer m_sinceLastEmit;
};

} // namespace pecast

Q_DECLARE_METATYPE(pecast::ProgressEvent)
