#include "serve/servecontroller.h"

#include "serve/logging.h"
#include "serve/multicastservices.h"

#include <QFileInfo>
#include <QNetworkInterface>

namespace pecast::serve {

namespace {

Status checkReadableFile(const QString &path, const QString &what, const QString &hint)
{
    const QFileInfo info(path);
    if (!info.exists())
        return Error(Errc::NotFound, QStringLiteral("%1 %2 does not exist").arg(what, path))
            .withHint(hint);
    if (!info.isFile())
        return Error(Errc::InvalidInput, QStringLiteral("%1 %2 is not a file").arg(what, path));
    if (!info.isReadable())
        return Error(Errc::Io, QStringLiteral("%1 %2 is not readable").arg(what, path));
    return {};
}

} // namespace

ServeController::ServeController(QObject *parent)
    : QObject(parent)
    , m_http(std::make_unique<HttpServer>())
{
    qRegisterMetaType<pecast::serve::ClientTransfer>();
    connect(m_http.get(), &HttpServer::transfer, this, &ServeController::transfer);
    connect(m_http.get(), &HttpServer::requestLogged, this, &ServeController::requestLogged);
}

ServeController::~ServeController()
{
    stop();
}

Status ServeController::start(const ServeSettings &settings)
{
    if (m_running)
        return Error(Errc::InvalidInput, QStringLiteral("already serving"));
    m_settings = settings;
    auto fail = [this](Error error) -> Status {
        stop();
        return std::move(error).context(QStringLiteral("starting the server"));
    };

    if (auto s = checkReadableFile(settings.imagePath, QStringLiteral("image"),
            QStringLiteral("Build one with \"pecast build\" or pass the right --image."));
        !s)
        return fail(s.error());
    const bool gzip = settings.imagePath.endsWith(QStringLiteral(".gz"), Qt::CaseInsensitive);
    if (gzip && settings.mode == BootMode::Sanboot)
        return fail(Error(Errc::InvalidInput,
            QStringLiteral("sanboot needs a raw image, not %1").arg(settings.imagePath))
                        .withHint(QStringLiteral("Serve the raw image, or use memdisk mode.")));
    m_imageName = gzip ? QStringLiteral("image.img.gz") : QStringLiteral("image.img");
    if (auto s = m_http->publishFile(m_imageName, settings.imagePath); !s)
        return fail(s.error());

    if (settings.mode == BootMode::Memdisk) {
        const QString memdisk
            = settings.memdiskPath.isEmpty() ? defaultMemdiskPath() : settings.memdiskPath;
        if (auto s = checkReadableFile(memdisk, QStringLiteral("memdisk"),
                QStringLiteral("Install Debian's syslinux-common (apt install syslinux-common) or "
                               "give the file with --memdisk."));
            !s)
            return fail(s.error());
        if (auto s = m_http->publishFile(QLatin1String(kMemdiskName), memdisk); !s)
            return fail(s.error());
    }
    for (const auto &[name, path] : settings.extraFiles) {
        if (name == QLatin1String(kScriptName) || name == QLatin1String(kMemdiskName)
            || name == m_imageName)
            return fail(Error(Errc::InvalidInput,
                QStringLiteral("cannot publish %1 as \"%2\": PEcast serves its own file under "
                               "that name")
                    .arg(path, name)));
        if (auto s = m_http->publishFile(name, path); !s)
            return fail(s.error());
    }

    HttpServerConfig http = settings.httpLimits;
    http.address = settings.bindAddress;
    http.port = settings.httpPort;
    if (auto s = m_http->start(http); !s)
        return fail(s.error());

    // Extra protocols (multicast) go here: m_services.push_back(std::make_unique<...>(...));
    m_services.clear();
    addMulticastServices(m_services, settings.multicast);
    ServeContext serviceContext { m_settings, *m_http,
        [this](const ClientTransfer &t) {
            QMetaObject::invokeMethod(
                this, [this, t] { Q_EMIT transfer(t); }, Qt::QueuedConnection);
        },
        [this](const QString &line) {
            QMetaObject::invokeMethod(
                this, [this, line] { Q_EMIT logMessage(line); }, Qt::QueuedConnection);
        } };
    QString imageUrl = m_imageName;
    for (auto &service : m_services) {
        if (auto s = service->start(serviceContext); !s)
            return fail(std::move(s).error().context(service->name()));
        if (imageUrl == m_imageName && !service->scriptImageUrl().isEmpty())
            imageUrl = service->scriptImageUrl();
    }

    IpxeScriptOptions options;
    options.mode = settings.mode;
    options.memdiskArgs = settings.memdiskArgs;
    options.memdiskUrl = QLatin1String(kMemdiskName);
    options.imageUrl = imageUrl;
    m_scriptText = IpxeScript(options).text();
    if (auto s = m_http->publishData(QLatin1String(kScriptName), m_scriptText.toUtf8()); !s)
        return fail(s.error());

    m_running = true;
    qCDebug(lcServe) << "serving" << settings.imagePath << "on port" << m_http->port();
    Q_EMIT started();
    return {};
}

void ServeController::stop()
{
    for (auto it = m_services.rbegin(); it != m_services.rend(); ++it)
        (*it)->stop();
    m_http->stop();
    for (const QString &name : m_http->publishedNames())
        m_http->unpublish(name);
    if (m_running) {
        m_running = false;
        Q_EMIT stopped();
    }
}

bool ServeController::isRunning() const
{
    return m_running;
}

quint16 ServeController::httpPort() const
{
    return m_http->port();
}

QString ServeController::imageName() const
{
    return m_imageName;
}

QList<ServeUrl> ServeController::urls() const
{
    QList<ServeUrl> result;
    QList<ServeUrl> loopback;
    const quint16 port = httpPort();
    auto urlFor = [port](const QHostAddress &a) {
        const QString host = a.protocol() == QAbstractSocket::IPv6Protocol
            ? QStringLiteral("[%1]").arg(a.toString())
            : a.toString();
        return QStringLiteral("http://%1:%2/%3")
            .arg(host)
            .arg(port)
            .arg(QLatin1String(kScriptName));
    };
    const QHostAddress bind = m_settings.bindAddress;
    const bool any = bind == QHostAddress(QHostAddress::AnyIPv4)
        || bind == QHostAddress(QHostAddress::Any) || bind == QHostAddress(QHostAddress::AnyIPv6);
    if (!any) {
        result.append(ServeUrl { QString(), bind, urlFor(bind) });
        return result;
    }
    for (const QNetworkInterface &iface : QNetworkInterface::allInterfaces()) {
        const auto flags = iface.flags();
        if (!(flags & QNetworkInterface::IsUp) || !(flags & QNetworkInterface::IsRunning))
            continue;
        for (const QNetworkAddressEntry &entry : iface.addressEntries()) {
            const QHostAddress a = entry.ip();
            if (a.protocol() != QAbstractSocket::IPv4Protocol)
                continue; // iPXE clients boot over IPv4 here
            ServeUrl url { iface.humanReadableName(), a, urlFor(a) };
            (a.isLoopback() ? loopback : result).append(url);
        }
    }
    result.append(loopback);
    return result;
}

QString ServeController::primaryScriptUrl() const
{
    const QList<ServeUrl> all = urls();
    return all.isEmpty() ? QString() : all.first().scriptUrl;
}

QString ServeController::scriptText() const
{
    return m_scriptText;
}

QString ServeController::chainCommand() const
{
    return IpxeScript::chainCommand(primaryScriptUrl());
}

QString ServeController::dnsmasqSnippet() const
{
    return IpxeScript::dnsmasqSnippet(primaryScriptUrl());
}

QString ServeController::iscDhcpdSnippet() const
{
    return IpxeScript::iscDhcpdSnippet(primaryScriptUrl());
}

QStringList ServeController::serviceSummaries() const
{
    QStringList lines;
    for (const auto &service : m_services)
        lines += service->summary();
    return lines;
}

HttpStats ServeController::httpStats() const
{
    return m_http->stats();
}

} // namespace pecast::serve
