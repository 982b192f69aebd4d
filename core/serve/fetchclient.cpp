#include "serve/fetchclient.h"

#include "serve/fetchprotocols.h"

#include <QUrl>

namespace pecast::serve {

Result<FetchStats> fetchUrl(const FetchOptions &options, Progress &progress)
{
    const QUrl url(options.url, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty()) {
        return Error(Errc::InvalidInput, QStringLiteral("invalid URL \"%1\"").arg(options.url))
            .withHint(QStringLiteral("Use http://HOST/PATH, x-slam://HOST[:PORT] or "
                                     "tftm://HOST/PATH."));
    }
    if (options.lossPercent < 0 || options.lossPercent >= 100)
        return Error(
            Errc::InvalidInput, QStringLiteral("loss must be from 0 to below 100 percent"));
    const QString scheme = url.scheme().toLower();
    if (scheme == QLatin1String("http"))
        return fetchHttp(url, options, progress);
    if (scheme == QLatin1String("x-slam"))
        return fetchSlam(url, options, progress);
    if (scheme == QLatin1String("tftm"))
        return fetchTftp(url, options, progress, true);
    if (scheme == QLatin1String("tftp"))
        return fetchTftp(url, options, progress, false);
    return Error(
        Errc::Unsupported, QStringLiteral("unsupported URL scheme \"%1\"").arg(url.scheme()))
        .withHint(QStringLiteral("Supported: http, x-slam, tftm, tftp."));
}

} // namespace pecast::serve
