#pragma once

// TFTP packets (RFC 1350, options RFC 2347-2349, multicast RFC 2090):
//   RRQ   01 | filename 00 | mode 00 | (option 00 value 00)*
//   DATA  03 | block (16-bit) | 0..blksize bytes (shorter = last)
//   ACK   04 | block
//   ERROR 05 | code | message 00
//   OACK  06 | (option 00 value 00)*      e.g. blksize 1432, tsize N, multicast "addr,port,mc"
// Opcodes and block numbers are big-endian 16-bit. Option names are case-insensitive.

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <cstdint>
#include <optional>

namespace pecast::serve::tftp {

constexpr quint16 kRrq = 1;
constexpr quint16 kWrq = 2;
constexpr quint16 kData = 3;
constexpr quint16 kAck = 4;
constexpr quint16 kError = 5;
constexpr quint16 kOack = 6;

// RFC 1350 error codes we send.
constexpr quint16 kErrorNotDefined = 0;
constexpr quint16 kErrorFileNotFound = 1;
constexpr quint16 kErrorAccessViolation = 2;
constexpr quint16 kErrorIllegalOperation = 4;
constexpr quint16 kErrorOptionRefused = 8; // RFC 2347

using Options = QList<QPair<QString, QString>>;

struct Request
{
    QString filename;
    QString mode; // "octet", "netascii" (lower case)
    Options options; // names lower-cased, in order
};

std::optional<Request> decodeRequest(const char *data, int length); // whole packet
Options decodeOptions(const char *data, int length); // after the opcode; stops at garbage

struct ErrorPacket
{
    quint16 code = 0;
    QString message;
};
ErrorPacket decodeError(const char *data, int length);

QByteArray encodeRequest(const QString &filename, const Options &options);
QByteArray encodeOack(const Options &options);
QByteArray encodeAck(quint16 block);
QByteArray encodeError(quint16 code, const QString &message);
// Header only (4 bytes); the caller appends the data.
QByteArray encodeDataHeader(quint16 block);

} // namespace pecast::serve::tftp
