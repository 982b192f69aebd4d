#pragma once

// Parsing of one HTTP/1.x request head and of a Range header value. Pure functions on bytes, so
// the rules are tested without sockets (tests/serve/tst_httprequest.cpp).

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace pecast::serve {

struct HttpRequest
{
    QByteArray method; // "GET"
    QByteArray target; // as sent: "/image.img?x=1"
    QByteArray name; // the decoded published name looked up: "image.img" ("" when invalid)
    int versionMinor = 1; // HTTP/1.<minor>
    bool keepAlive = true; // after Connection header and version rules
    QByteArray range; // Range header value, empty when absent
    QByteArray ifRange;
    QByteArray ifNoneMatch;
    bool hasBody = false; // Content-Length > 0 or Transfer-Encoding present
};

struct RequestParse
{
    // 0 when the head parsed; else the HTTP status to answer before closing (400, 414, 505).
    int errorStatus = 0;
    HttpRequest request;
};

// `head` is the request line and headers without the terminating blank line.
RequestParse parseRequestHead(QByteArrayView head, int maxRequestLineBytes);

// Maps the request target to a published name: strips an absolute-form prefix and the query,
// percent-decodes, and refuses anything that is not exactly one non-empty path segment
// ("" is returned then, which no table holds).
QByteArray targetToName(QByteArrayView target);

struct ByteRange
{
    qint64 first = 0;
    qint64 length = 0; // bytes, > 0
};

enum class RangeKind {
    None, // no usable Range: send the whole body with 200 (absent, malformed, multi-range)
    Single, // 206 with this range
    Unsatisfiable, // 416
};

struct RangeResult
{
    RangeKind kind = RangeKind::None;
    ByteRange range;
};

RangeResult parseRange(QByteArrayView value, qint64 size);

} // namespace pecast::serve
