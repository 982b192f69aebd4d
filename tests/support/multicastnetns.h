#pragma once

// A network namespace for multicast tests: created with `ip netns add` under a unique name
// (stale ones from crashed runs are removed first), entered by the calling thread with setns()
// so that threads and processes started afterwards live in it, left and deleted on
// destruction. Only root can do this; tests QSKIP otherwise.

#include <QString>
#include <QStringList>

namespace pecast::test {

class MulticastNetns
{
public:
    MulticastNetns() = default;
    ~MulticastNetns();
    MulticastNetns(const MulticastNetns &) = delete;
    MulticastNetns &operator=(const MulticastNetns &) = delete;

    // Why the test cannot run here (not root, no `ip`), or empty.
    static QString unavailableReason();

    // Creates "pecast-<tag>-<pid>", enters it, brings lo up with multicast and a route for
    // 239.0.0.0/8. Returns an error text, empty on success.
    QString createAndEnter(const QString &tag);
    // Runs `ip ARGS` inside the namespace (the calling thread is in it); error text or empty.
    QString ip(const QStringList &arguments);
    const QString &name() const { return m_name; }
    void leaveAndDelete();

private:
    QString m_name;
    int m_originalFd = -1;
};

} // namespace pecast::test
