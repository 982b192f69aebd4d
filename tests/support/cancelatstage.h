#pragma once

// A Progress for cancel tests: it requests the stop as soon as a stage with the given prefix
// is reported (e.g. "Writing", once the operation moves bytes), and remembers that it did, so a
// test can tell a cancel mid-operation from one that came too early or never.
//
//   test::CancelAtStage cancel(QStringLiteral("Writing"));
//   const Status s = wim::editWim(request, cancel.progress());
//   QVERIFY(cancel.reached());

#include "util/progress.h"

#include <QString>

#include <stop_token>

namespace pecast::test {

class CancelAtStage
{
public:
    explicit CancelAtStage(const QString &stagePrefix);
    // The Progress's callback refers to this object.
    CancelAtStage(const CancelAtStage &) = delete;
    CancelAtStage &operator=(const CancelAtStage &) = delete;

    Progress &progress() { return m_progress; }
    bool reached() const { return m_reached; } // the stage was reported and the stop requested

private:
    QString m_prefix;
    bool m_reached = false;
    std::stop_source m_stop;
    Progress m_progress;
};

} // namespace pecast::test
