#include "serve/multicastcli.h"

#include "serve/multicastsocket.h"

namespace pecast::serve {

namespace {

QCommandLineOption option(const char *name, const QString &help, const char *value = nullptr)
{
    return value ? QCommandLineOption(QString::fromLatin1(name), help, QString::fromLatin1(value))
                 : QCommandLineOption(QString::fromLatin1(name), help);
}

Result<int> readInt(const QCommandLineParser &p, const char *name, int low, int high, int fallback)
{
    const QString key = QString::fromLatin1(name);
    if (!p.isSet(key))
        return fallback;
    bool ok = false;
    const int value = p.value(key).toInt(&ok);
    if (!ok || value < low || value > high) {
        return Error(Errc::InvalidInput,
            QStringLiteral("--%1 wants a number from %2 to %3, not \"%4\"")
                .arg(key)
                .arg(low)
                .arg(high)
                .arg(p.value(key)));
    }
    return value;
}

} // namespace

void addMulticastOptions(QCommandLineParser &p)
{
    p.addOption(option("slam",
        QStringLiteral(
            "Also serve the image over SLAM multicast (x-slam://; needs a SLAM-enabled iPXE).")));
    p.addOption(option("slam-port", QStringLiteral("SLAM server UDP port (default 10000)."), "N"));
    p.addOption(option("slam-group",
        QStringLiteral("SLAM multicast group (default 239.255.1.1:10000; current iPXE can only "
                       "change the port)."),
        "ADDR:PORT"));
    p.addOption(option("block-size",
        QStringLiteral("SLAM block size (default 1451, at most 1456 for a 1500-byte frame)."),
        "N"));
    p.addOption(option("allow-large",
        QStringLiteral(
            "Serve SLAM images of 512 MiB or more (only 64-bit iPXE clients can take them).")));
    p.addOption(option("tftm",
        QStringLiteral("Also serve TFTP with RFC 2090 multicast (tftm://, in stock iPXE).")));
    p.addOption(
        option("tftp-port", QStringLiteral("TFTP/TFTM port (default 69; needs root)."), "N"));
    p.addOption(option("tftm-group",
        QStringLiteral("TFTM multicast group and first port (default 239.255.2.1:1758)."),
        "ADDR:PORT"));
    p.addOption(
        option("tftm-window", QStringLiteral("TFTM blocks in flight per ACK (default 32)."), "N"));
    p.addOption(option("interface",
        QStringLiteral("Send multicast out of this interface (name or IPv4 address)."), "IF"));
    p.addOption(option(
        "ttl", QStringLiteral("Multicast TTL (default 1: this network segment only)."), "N"));
    p.addOption(option("rate",
        QStringLiteral("Cap multicast output at MBIT megabits per second (default: no cap)."),
        "MBIT"));
}

Status readMulticastOptions(const QCommandLineParser &p, MulticastSettings &s)
{
    s.slam = p.isSet(QStringLiteral("slam"));
    s.tftm = p.isSet(QStringLiteral("tftm"));
    s.allowLarge = p.isSet(QStringLiteral("allow-large"));
    auto slamPort = readInt(p, "slam-port", 1, 65535, s.slamPort);
    auto tftpPort = readInt(p, "tftp-port", 1, 65535, s.tftpPort);
    auto blockSize = readInt(p, "block-size", 64, 1456, s.slamBlockSize);
    auto ttl = readInt(p, "ttl", 0, 255, s.ttl);
    auto window = readInt(p, "tftm-window", 1, 1024, s.tftmWindow);
    for (const auto *r : { &slamPort, &tftpPort, &blockSize, &ttl, &window }) {
        if (!*r)
            return r->error();
    }
    s.slamPort = quint16(*slamPort);
    s.tftpPort = quint16(*tftpPort);
    s.slamBlockSize = *blockSize;
    s.ttl = *ttl;
    s.tftmWindow = *window;
    if (p.isSet(QStringLiteral("slam-group")))
        s.slamGroup = p.value(QStringLiteral("slam-group"));
    if (p.isSet(QStringLiteral("tftm-group")))
        s.tftmGroup = p.value(QStringLiteral("tftm-group"));
    for (const QString &group : { s.slamGroup, s.tftmGroup }) {
        auto endpoint = parseEndpoint(group, 1);
        if (!endpoint || !isMulticast(endpoint->address)) {
            return Error(Errc::InvalidInput,
                QStringLiteral("\"%1\" is not a multicast ADDR:PORT").arg(group))
                .withHint(
                    QStringLiteral("Use an address from 239.0.0.0/8, e.g. 239.255.1.1:10000."));
        }
    }
    s.interface = p.value(QStringLiteral("interface"));
    if (p.isSet(QStringLiteral("rate"))) {
        bool ok = false;
        s.rateMbit = p.value(QStringLiteral("rate")).toDouble(&ok);
        if (!ok || s.rateMbit <= 0)
            return Error(Errc::InvalidInput,
                QStringLiteral("--rate wants a positive number of megabits per second"));
    }
    for (const char *name : { "slam-port", "slam-group", "block-size", "allow-large" }) {
        if (p.isSet(QString::fromLatin1(name)) && !s.slam)
            return Error(Errc::InvalidInput,
                QStringLiteral("--%1 needs --slam").arg(QString::fromLatin1(name)));
    }
    for (const char *name : { "tftp-port", "tftm-group", "tftm-window" }) {
        if (p.isSet(QString::fromLatin1(name)) && !s.tftm)
            return Error(Errc::InvalidInput,
                QStringLiteral("--%1 needs --tftm").arg(QString::fromLatin1(name)));
    }
    return {};
}

} // namespace pecast::serve
