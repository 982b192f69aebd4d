#include "serve/multicastservices.h"

#include "serve/servecontroller.h"
#include "serve/slamserver.h"
#include "serve/tftpserver.h"

#include <QFileInfo>
#include <QNetworkInterface>

#include <arpa/inet.h>

namespace pecast::serve {

namespace {

// The address clients should use in x-slam:// and tftm:// URLs (they need a host; the script's
// other URLs are relative).
QString serverAddress(const ServeSettings &settings)
{
    if (!settings.multicast.interface.isEmpty()) {
        if (auto address = interfaceAddress(settings.multicast.interface)) {
            char text[INET_ADDRSTRLEN] = {};
            inet_ntop(AF_INET, &*address, text, sizeof text);
            return QString::fromLatin1(text);
        }
    }
    if (settings.bindAddress != QHostAddress::AnyIPv4 && settings.bindAddress != QHostAddress::Any)
        return settings.bindAddress.toString();
    for (const QNetworkInterface &iface : QNetworkInterface::allInterfaces()) {
        if (!(iface.flags() & QNetworkInterface::IsUp)
            || (iface.flags() & QNetworkInterface::IsLoopBack))
            continue;
        for (const QNetworkAddressEntry &entry : iface.addressEntries()) {
            if (entry.ip().protocol() == QAbstractSocket::IPv4Protocol)
                return entry.ip().toString();
        }
    }
    return QStringLiteral("127.0.0.1");
}

QString imageName(const ServeSettings &settings)
{
    return settings.imagePath.endsWith(QLatin1String(".gz")) ? QStringLiteral("image.img.gz")
                                                             : QStringLiteral("image.img");
}

class SlamService : public ServeService
{
public:
    QString name() const override { return QStringLiteral("slam"); }
    Status start(const ServeContext &context) override
    {
        const MulticastSettings &m = context.settings.multicast;
        SlamServerConfig config;
        config.imagePath = context.settings.imagePath;
        config.name = imageName(context.settings);
        config.listen.port = m.slamPort;
        if (context.settings.bindAddress.protocol() == QAbstractSocket::IPv4Protocol)
            config.listen.address.s_addr = htonl(context.settings.bindAddress.toIPv4Address());
        auto group = parseEndpoint(m.slamGroup, 10000);
        if (!group)
            return std::move(group).error().context(QStringLiteral("--slam-group"));
        config.group = *group;
        config.interface = m.interface;
        config.ttl = m.ttl;
        config.blockSize = m.slamBlockSize;
        config.rateMbit = m.rateMbit;
        config.allowLarge = m.allowLarge;
        auto server = SlamServer::start(config, context.reportTransfer, context.log);
        if (!server)
            return std::move(server).error();
        m_server = std::move(*server);
        // Only the no-path form works on every iPXE version (slam-protocol.md §3); a
        // non-default group port needs the "/x:PORT" form, which current iPXE accepts.
        QString url = QStringLiteral("x-slam://%1").arg(serverAddress(context.settings));
        if (m.slamPort != 10000)
            url += QStringLiteral(":%1").arg(m.slamPort);
        if (config.group.port != 10000)
            url += QStringLiteral("/group:%1").arg(config.group.port);
        m_url = QStringLiteral("--name %1 %2 || initrd %1").arg(config.name, url);
        return {};
    }
    void stop() override
    {
        if (m_server)
            m_server->stop();
    }
    QString scriptImageUrl() const override { return m_url; }
    QStringList summary() const override
    {
        QStringList lines = m_server ? m_server->summary() : QStringList();
        lines << QStringLiteral(
            "SLAM needs an iPXE built with DOWNLOAD_PROTO_SLAM; others fall back to HTTP.");
        return lines;
    }

private:
    std::unique_ptr<SlamServer> m_server;
    QString m_url;
};

class TftmService : public ServeService
{
public:
    QString name() const override { return QStringLiteral("tftm"); }
    Status start(const ServeContext &context) override
    {
        const MulticastSettings &m = context.settings.multicast;
        TftpServerConfig config;
        config.listen.port = m.tftpPort;
        if (context.settings.bindAddress.protocol() == QAbstractSocket::IPv4Protocol)
            config.listen.address.s_addr = htonl(context.settings.bindAddress.toIPv4Address());
        const QString image = imageName(context.settings);
        config.files = { { image, context.settings.imagePath } };
        for (const auto &[name, path] : context.settings.extraFiles)
            config.files.append({ name, QFileInfo(path).absoluteFilePath() });
        auto group = parseEndpoint(m.tftmGroup, 1758);
        if (!group)
            return std::move(group).error().context(QStringLiteral("--tftm-group"));
        config.group = *group;
        config.interface = m.interface;
        config.ttl = m.ttl;
        config.rateMbit = m.rateMbit;
        config.window = m.tftmWindow;
        auto server = TftpServer::start(config, context.reportTransfer, context.log);
        if (!server)
            return std::move(server).error();
        m_server = std::move(*server);
        QString url = QStringLiteral("tftm://%1").arg(serverAddress(context.settings));
        if (m.tftpPort != 69)
            url += QStringLiteral(":%1").arg(m.tftpPort);
        m_url = QStringLiteral("--name %1 %2/%1 || initrd %1").arg(image, url);
        return {};
    }
    void stop() override
    {
        if (m_server)
            m_server->stop();
    }
    QString scriptImageUrl() const override { return m_url; }
    QStringList summary() const override { return m_server ? m_server->summary() : QStringList(); }

private:
    std::unique_ptr<TftpServer> m_server;
    QString m_url;
};

} // namespace

void addMulticastServices(
    std::vector<std::unique_ptr<ServeService>> &services, const MulticastSettings &settings)
{
    if (settings.slam)
        services.push_back(std::make_unique<SlamService>());
    if (settings.tftm)
        services.push_back(std::make_unique<TftmService>());
}

} // namespace pecast::serve
