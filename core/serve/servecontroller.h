#pragma once

// ServeController: what the CLI (`pecast serve`) and the wizard's Serve page drive. It publishes
// the image, memdisk, the generated /boot.ipxe and any extra named files on an HttpServer, runs
// optional extra protocols (ServeService), and tells the technician where to point clients:
// the chain URL per interface, the one-line iPXE command and DHCP snippets.
//
// Lives in the caller's thread (GUI or CLI main thread); the servers run on their own threads,
// so nothing here blocks the event loop for long. Signals arrive queued, carrying values.

#include "serve/clienttransfer.h"
#include "serve/httpserver.h"
#include "serve/ipxescript.h"
#include "serve/multicastsettings.h"
#include "serve/serveservice.h"
#include "util/error.h"

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPair>
#include <QString>

#include <memory>
#include <vector>

namespace pecast::serve {

struct ServeSettings
{
    QString imagePath; // raw image, or a gzip one ending in ".gz" (memdisk mode only)
    QString memdiskPath; // empty: defaultMemdiskPath()
    QString memdiskArgs = QStringLiteral("raw");
    BootMode mode = BootMode::Memdisk;
    QHostAddress bindAddress = QHostAddress::AnyIPv4;
    quint16 httpPort = 8080; // unprivileged default; 80 needs root or CAP_NET_BIND_SERVICE
    QList<QPair<QString, QString>> extraFiles; // name → path, served as "/name"
    HttpServerConfig httpLimits; // address/port are taken from the fields above
    MulticastSettings multicast; // SLAM / TFTM beside HTTP (off by default)
};

struct ServeUrl
{
    QString interfaceName; // "eth0", or "" when bound to one address
    QHostAddress address;
    QString scriptUrl; // "http://192.168.1.10:8080/boot.ipxe"
};

class ServeController : public QObject
{
    Q_OBJECT

public:
    // Names under which files are published (also the relative URLs in the script).
    static constexpr const char *kScriptName = "boot.ipxe";
    static constexpr const char *kMemdiskName = "memdisk";

    explicit ServeController(QObject *parent = nullptr);
    ~ServeController() override; // stops

    // Checks the files (clear errors for a missing image or memdisk), publishes, binds, starts.
    Status start(const ServeSettings &settings);
    void stop();
    bool isRunning() const;

    const ServeSettings &settings() const { return m_settings; }
    quint16 httpPort() const; // the bound port
    QString imageName() const; // "image.img" or "image.img.gz"
    QList<ServeUrl> urls() const; // one per usable IPv4 address (loopback last)
    QString primaryScriptUrl() const; // the first of urls(), for one-line messages
    QString scriptText() const; // exactly what /boot.ipxe serves
    QString chainCommand() const;
    QString dnsmasqSnippet() const;
    QString iscDhcpdSnippet() const;
    QStringList serviceSummaries() const; // lines from the extra protocols
    HttpStats httpStats() const;
    HttpServer &httpServer() { return *m_http; }

Q_SIGNALS:
    void started();
    void stopped();
    void transfer(const pecast::serve::ClientTransfer &transfer);
    void requestLogged(const QString &line);
    void logMessage(const QString &line);

private:
    ServeSettings m_settings;
    std::unique_ptr<HttpServer> m_http;
    std::vector<std::unique_ptr<ServeService>> m_services;
    QString m_imageName;
    QString m_scriptText;
    bool m_running = false;
};

} // namespace pecast::serve
