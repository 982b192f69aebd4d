#pragma once

// A protocol that ServeController runs beside HTTP (SLAM, TFTM, ...). Adding one means: a class
// implementing this interface, a field in ServeSettings to switch it on, and one line in
// ServeController::start() that adds it. The controller starts services after HTTP is up and
// stops them in reverse order.

#include "serve/clienttransfer.h"
#include "util/error.h"

#include <QString>
#include <QStringList>

#include <functional>

namespace pecast::serve {

struct ServeSettings;
class HttpServer;

struct ServeContext
{
    const ServeSettings &settings;
    HttpServer &http; // to publish extra files (an iPXE binary, a multicast helper script)
    // Reports a transfer; safe to call from any thread (the controller re-emits it queued).
    std::function<void(const ClientTransfer &)> reportTransfer;
    // A log line for the user, safe from any thread.
    std::function<void(const QString &)> log;
};

class ServeService
{
public:
    virtual ~ServeService() = default;

    virtual QString name() const = 0; // "slam", "tftm"
    virtual Status start(const ServeContext &context) = 0;
    virtual void stop() = 0; // idempotent, joins the service's threads
    // When not empty, the iPXE script fetches the image from this URL instead of over HTTP
    // ("x-slam://239.255.1.1:10000/image.img"). The first running service that sets one wins.
    virtual QString scriptImageUrl() const { return {}; }
    // Lines for the CLI and the Serve page: where the service listens, what it sends.
    virtual QStringList summary() const { return {}; }
};

} // namespace pecast::serve
