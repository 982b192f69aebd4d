#include "serve/tftppacket.h"

#include <cstring>

namespace pecast::serve::tftp {

namespace {

void appendU16(QByteArray &out, quint16 value)
{
    out.append(char(value >> 8));
    out.append(char(value & 0xFF));
}

void appendString(QByteArray &out, const QString &text)
{
    out.append(text.toLatin1());
    out.append('\0');
}

// Reads a NUL-terminated string at `pos`; nullopt when the packet ends before the NUL.
std::optional<QString> readString(const char *data, int length, int &pos)
{
    if (pos >= length)
        return std::nullopt;
    const void *nul = memchr(data + pos, 0, size_t(length - pos));
    if (!nul)
        return std::nullopt;
    const int end = int(static_cast<const char *>(nul) - data);
    QString text = QString::fromLatin1(data + pos, end - pos);
    pos = end + 1;
    return text;
}

} // namespace

Options decodeOptions(const char *data, int length)
{
    Options options;
    int pos = 0;
    while (pos < length) {
        const auto name = readString(data, length, pos);
        const auto value = readString(data, length, pos);
        if (!name || !value || name->isEmpty())
            break;
        options.append({ name->toLower(), *value });
    }
    return options;
}

std::optional<Request> decodeRequest(const char *data, int length)
{
    if (length < 4 || quint8(data[0]) != 0 || quint8(data[1]) != kRrq)
        return std::nullopt;
    int pos = 2;
    Request request;
    const auto filename = readString(data, length, pos);
    const auto mode = readString(data, length, pos);
    if (!filename || !mode || filename->isEmpty())
        return std::nullopt;
    request.filename = *filename;
    request.mode = mode->toLower();
    request.options = decodeOptions(data + pos, length - pos);
    return request;
}

ErrorPacket decodeError(const char *data, int length)
{
    ErrorPacket error;
    if (length >= 4)
        error.code = quint16((quint8(data[2]) << 8) | quint8(data[3]));
    int pos = 4;
    if (auto message = readString(data, length, pos))
        error.message = *message;
    else if (length > 4)
        error.message = QString::fromLatin1(data + 4, length - 4);
    return error;
}

QByteArray encodeRequest(const QString &filename, const Options &options)
{
    QByteArray out;
    appendU16(out, kRrq);
    appendString(out, filename);
    appendString(out, QStringLiteral("octet"));
    for (const auto &[name, value] : options) {
        appendString(out, name);
        appendString(out, value);
    }
    return out;
}

QByteArray encodeOack(const Options &options)
{
    QByteArray out;
    appendU16(out, kOack);
    for (const auto &[name, value] : options) {
        appendString(out, name);
        appendString(out, value);
    }
    return out;
}

QByteArray encodeAck(quint16 block)
{
    QByteArray out;
    appendU16(out, kAck);
    appendU16(out, block);
    return out;
}

QByteArray encodeError(quint16 code, const QString &message)
{
    QByteArray out;
    appendU16(out, kError);
    appendU16(out, code);
    appendString(out, message);
    return out;
}

QByteArray encodeDataHeader(quint16 block)
{
    QByteArray out;
    appendU16(out, kData);
    appendU16(out, block);
    return out;
}

} // namespace pecast::serve::tftp
