#include "serve/udpcounters.h"

#include <QByteArray>
#include <QFile>
#include <QList>

namespace pecast::serve {

UdpCounters readUdpCounters()
{
    // thread-self: the namespace of this thread (/proc/net follows the main thread's).
    QFile f(QStringLiteral("/proc/thread-self/net/snmp"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QList<QByteArray> names;
    UdpCounters c;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (!line.startsWith("Udp: "))
            continue;
        const QList<QByteArray> fields = line.simplified().split(' ');
        if (names.isEmpty()) {
            names = fields; // the first "Udp:" line names the columns of the second
            continue;
        }
        for (int i = 1; i < fields.size() && i < names.size(); ++i) {
            if (names[i] == "RcvbufErrors")
                c.rcvbufErrors = fields[i].toULongLong();
            else if (names[i] == "SndbufErrors")
                c.sndbufErrors = fields[i].toULongLong();
        }
        break;
    }
    return c;
}

} // namespace pecast::serve
