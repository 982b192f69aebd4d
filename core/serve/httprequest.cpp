#include "serve/httprequest.h"

#include <QList>

#include <limits>

namespace pecast::serve {

namespace {

QByteArrayView trimmed(QByteArrayView v)
{
    while (!v.isEmpty() && (v.front() == ' ' || v.front() == '\t'))
        v = v.sliced(1);
    while (!v.isEmpty() && (v.back() == ' ' || v.back() == '\t' || v.back() == '\r'))
        v.chop(1);
    return v;
}

bool isTokenChar(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
        || QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

bool headerHasToken(QByteArrayView value, QByteArrayView token)
{
    for (const QByteArray &part : value.toByteArray().split(',')) {
        if (trimmed(part).compare(token, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Parses decimal digits with saturation at INT64_MAX; false if empty or not all digits.
bool parseDecimal(QByteArrayView v, qint64 &out)
{
    if (v.isEmpty())
        return false;
    qint64 value = 0;
    for (char c : v) {
        if (c < '0' || c > '9')
            return false;
        const int digit = c - '0';
        if (value > (std::numeric_limits<qint64>::max() - digit) / 10)
            value = std::numeric_limits<qint64>::max();
        else
            value = value * 10 + digit;
    }
    out = value;
    return true;
}

} // namespace

QByteArray targetToName(QByteArrayView target)
{
    QByteArrayView path = target;
    if (path.startsWith("http://") || path.startsWith("https://")) {
        path = path.sliced(path.indexOf("//") + 2);
        const qsizetype slash = path.indexOf('/');
        if (slash < 0)
            return {};
        path = path.sliced(slash);
    }
    if (const qsizetype q = path.indexOf('?'); q >= 0)
        path = path.first(q);
    if (!path.startsWith('/'))
        return {};
    path = path.sliced(1);

    QByteArray name;
    name.reserve(path.size());
    for (qsizetype i = 0; i < path.size(); ++i) {
        char c = path[i];
        if (c == '%') {
            if (i + 2 >= path.size())
                return {};
            const int hi = hexValue(path[i + 1]);
            const int lo = hexValue(path[i + 2]);
            if (hi < 0 || lo < 0)
                return {};
            c = char(hi * 16 + lo);
            i += 2;
        }
        // One segment only: a decoded '/', '\\' or a control byte never names a published file.
        if (c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            return {};
        name.append(c);
    }
    if (name.isEmpty() || name == "." || name == "..")
        return {};
    return name;
}

RequestParse parseRequestHead(QByteArrayView head, int maxRequestLineBytes)
{
    RequestParse result;
    HttpRequest &req = result.request;

    // RFC 9112 2.2: ignore empty lines before the request line.
    while (head.startsWith("\r\n") || head.startsWith('\n'))
        head = head.sliced(head.startsWith('\n') ? 1 : 2);

    qsizetype lineEnd = head.indexOf('\n');
    QByteArrayView line = lineEnd < 0 ? head : head.first(lineEnd);
    if (line.endsWith('\r'))
        line.chop(1);
    if (line.size() > maxRequestLineBytes) {
        result.errorStatus = 414;
        return result;
    }

    const qsizetype sp1 = line.indexOf(' ');
    const qsizetype sp2 = line.lastIndexOf(' ');
    if (sp1 <= 0 || sp2 <= sp1 + 1) {
        result.errorStatus = 400;
        return result;
    }
    req.method = line.first(sp1).toByteArray();
    req.target = line.sliced(sp1 + 1, sp2 - sp1 - 1).toByteArray();
    const QByteArrayView version = line.sliced(sp2 + 1);
    for (char c : req.method) {
        if (!isTokenChar(c)) {
            result.errorStatus = 400;
            return result;
        }
    }
    for (char c : req.target) {
        if (c == ' ' || static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
            result.errorStatus = 400;
            return result;
        }
    }
    if (version.size() != 8 || !version.startsWith("HTTP/")) {
        result.errorStatus = 400;
        return result;
    }
    if (version[5] != '1' || version[6] != '.' || version[7] < '0' || version[7] > '9') {
        result.errorStatus = (version[5] >= '0' && version[5] <= '9') ? 505 : 400;
        return result;
    }
    req.versionMinor = version[7] - '0';
    req.keepAlive = req.versionMinor >= 1;

    QByteArrayView rest = lineEnd < 0 ? QByteArrayView() : head.sliced(lineEnd + 1);
    int rangeCount = 0;
    while (!rest.isEmpty()) {
        const qsizetype end = rest.indexOf('\n');
        QByteArrayView h = end < 0 ? rest : rest.first(end);
        rest = end < 0 ? QByteArrayView() : rest.sliced(end + 1);
        if (h.endsWith('\r'))
            h.chop(1);
        if (h.isEmpty())
            continue;
        const qsizetype colon = h.indexOf(':');
        // Obsolete line folding and names with spaces are refused (RFC 9112 5.1, 5.2).
        if (colon <= 0 || h.front() == ' ' || h.front() == '\t') {
            result.errorStatus = 400;
            return result;
        }
        const QByteArrayView key = h.first(colon);
        for (char c : key) {
            if (!isTokenChar(c)) {
                result.errorStatus = 400;
                return result;
            }
        }
        const QByteArrayView value = trimmed(h.sliced(colon + 1));
        if (key.compare("Connection", Qt::CaseInsensitive) == 0) {
            if (headerHasToken(value, "close"))
                req.keepAlive = false;
            else if (headerHasToken(value, "keep-alive"))
                req.keepAlive = true;
        } else if (key.compare("Range", Qt::CaseInsensitive) == 0) {
            ++rangeCount;
            req.range = value.toByteArray();
        } else if (key.compare("If-Range", Qt::CaseInsensitive) == 0) {
            req.ifRange = value.toByteArray();
        } else if (key.compare("If-None-Match", Qt::CaseInsensitive) == 0) {
            req.ifNoneMatch = value.toByteArray();
        } else if (key.compare("Content-Length", Qt::CaseInsensitive) == 0) {
            qint64 length = 0;
            if (!parseDecimal(value, length)) {
                result.errorStatus = 400;
                return result;
            }
            req.hasBody = req.hasBody || length > 0;
        } else if (key.compare("Transfer-Encoding", Qt::CaseInsensitive) == 0) {
            req.hasBody = true;
        }
    }
    // Two Range headers are as good as a malformed one: ignore both.
    if (rangeCount > 1)
        req.range = "invalid";
    req.name = targetToName(req.target);
    return result;
}

RangeResult parseRange(QByteArrayView value, qint64 size)
{
    RangeResult result;
    value = trimmed(value);
    if (value.size() < 6 || value.first(6).compare("bytes=", Qt::CaseInsensitive) != 0)
        return result;
    value = trimmed(value.sliced(6));
    if (value.contains(','))
        return result; // several ranges: answered with the whole body
    const qsizetype dash = value.indexOf('-');
    if (dash < 0)
        return result;
    const QByteArrayView firstText = trimmed(value.first(dash));
    const QByteArrayView lastText = trimmed(value.sliced(dash + 1));
    qint64 first = 0;
    qint64 last = 0;
    if (firstText.isEmpty()) {
        qint64 suffix = 0;
        if (!parseDecimal(lastText, suffix))
            return result;
        if (suffix == 0 || size == 0) {
            result.kind = RangeKind::Unsatisfiable;
            return result;
        }
        result.kind = RangeKind::Single;
        result.range.length = std::min(suffix, size);
        result.range.first = size - result.range.length;
        return result;
    }
    if (!parseDecimal(firstText, first))
        return result;
    if (lastText.isEmpty()) {
        last = std::numeric_limits<qint64>::max();
    } else if (!parseDecimal(lastText, last) || last < first) {
        return result;
    }
    if (first >= size) {
        result.kind = RangeKind::Unsatisfiable;
        return result;
    }
    last = std::min(last, size - 1);
    result.kind = RangeKind::Single;
    result.range.first = first;
    result.range.length = last - first + 1;
    return result;
}

} // namespace pecast::serve
