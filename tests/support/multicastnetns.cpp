#include "multicastnetns.h"

#include "testenv.h"

#include <QCoreApplication>
#include <QDir>

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>

namespace pecast::test {

namespace {

void removeStale(const QString &tag)
{
    // Names carry the pid of the test that made them: delete those whose process is gone.
    const QStringList names
        = QDir(QStringLiteral("/var/run/netns"))
              .entryList({ QStringLiteral("pecast-%1-*").arg(tag) }, QDir::Files);
    for (const QString &name : names) {
        const qint64 pid = name.section(QLatin1Char('-'), -1).toLongLong();
        if (pid > 0 && ::kill(pid_t(pid), 0) != 0)
            run(findTool(QStringLiteral("ip")),
                { QStringLiteral("netns"), QStringLiteral("del"), name });
    }
}

} // namespace

QString MulticastNetns::unavailableReason()
{
    if (::geteuid() != 0)
        return QStringLiteral("needs root for network namespaces");
    if (findTool(QStringLiteral("ip")).isEmpty())
        return QStringLiteral("needs iproute2 (ip)");
    return {};
}

QString MulticastNetns::createAndEnter(const QString &tag)
{
    removeStale(tag);
    m_name = QStringLiteral("pecast-%1-%2").arg(tag).arg(QCoreApplication::applicationPid());
    run(findTool(QStringLiteral("ip")), { QStringLiteral("netns"), QStringLiteral("del"), m_name });
    const auto created = run(
        findTool(QStringLiteral("ip")), { QStringLiteral("netns"), QStringLiteral("add"), m_name });
    if (created.exitCode != 0) {
        const QString error
            = QStringLiteral("ip netns add failed: ") + QString::fromLocal8Bit(created.err);
        m_name.clear();
        return error;
    }
    m_originalFd = ::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    const QByteArray path = QStringLiteral("/var/run/netns/%1").arg(m_name).toLocal8Bit();
    const int fd = ::open(path.constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::setns(fd, CLONE_NEWNET) != 0) {
        if (fd >= 0)
            ::close(fd);
        leaveAndDelete();
        return QStringLiteral("entering the namespace failed");
    }
    ::close(fd);
    for (const QStringList &args : { QStringList { QStringLiteral("link"), QStringLiteral("set"),
                                         QStringLiteral("lo"), QStringLiteral("up") },
             QStringList { QStringLiteral("link"), QStringLiteral("set"), QStringLiteral("lo"),
                 QStringLiteral("multicast"), QStringLiteral("on") },
             QStringList { QStringLiteral("route"), QStringLiteral("add"),
                 QStringLiteral("239.0.0.0/8"), QStringLiteral("dev"), QStringLiteral("lo") } }) {
        if (QString error = ip(args); !error.isEmpty())
            return error;
    }
    return {};
}

QString MulticastNetns::ip(const QStringList &arguments)
{
    const auto result = run(findTool(QStringLiteral("ip")), arguments);
    if (result.exitCode != 0)
        return QStringLiteral("ip %1: %2")
            .arg(arguments.join(QLatin1Char(' ')), QString::fromLocal8Bit(result.err));
    return {};
}

void MulticastNetns::leaveAndDelete()
{
    if (m_originalFd >= 0) {
        ::setns(m_originalFd, CLONE_NEWNET);
        ::close(m_originalFd);
        m_originalFd = -1;
    }
    if (!m_name.isEmpty()) {
        run(findTool(QStringLiteral("ip")),
            { QStringLiteral("netns"), QStringLiteral("del"), m_name });
        m_name.clear();
    }
}

MulticastNetns::~MulticastNetns()
{
    leaveAndDelete();
}

} // namespace pecast::test
