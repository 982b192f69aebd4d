#pragma once

// The protocol implementations behind fetchUrl() (one file each).

#include "serve/fetchclient.h"

#include <QUrl>

namespace pecast::serve {

Result<FetchStats> fetchHttp(const QUrl &url, const FetchOptions &options, Progress &progress);
Result<FetchStats> fetchSlam(const QUrl &url, const FetchOptions &options, Progress &progress);
// `multicast`: send the RFC 2090 option (tftm://) or not (tftp://).
Result<FetchStats> fetchTftp(
    const QUrl &url, const FetchOptions &options, Progress &progress, bool multicast);

} // namespace pecast::serve
