#pragma once

// Internal constants and little-endian helpers shared by the hive reader and writer
// (bcd-format.md §1). Not part of the public API.

#include <QByteArray>
#include <QtEndian>

#include <cstring>

namespace pecast::bcd::regf {

constexpr int kHeaderSize = 4096; // base block; hive-bin offsets are relative to its end
constexpr int kBinAlign = 4096; // every hbin is a multiple of 4 KiB
constexpr int kBinHeaderSize = 32; // "hbin" header before the first cell
constexpr int kCellAlign = 8; // cell sizes are multiples of 8
constexpr int kChecksumOffset = 508; // XOR of the 127 dwords before it
constexpr quint32 kNone = 0xFFFFFFFF; // "no cell"
constexpr quint32 kInlineFlag = 0x80000000; // vk data size bit: data lives in the offset field
constexpr int kInlineMax = 4; // data up to 4 bytes is stored inline
constexpr int kBigDataSegment = 16344; // `db` segment size (hives with minor version > 3)
constexpr quint16 kKeyCompName = 0x0020; // nk flag: name is Latin-1, not UTF-16
constexpr quint16 kKeyHiveEntry = 0x0004; // nk flag: root key
constexpr quint16 kKeyNoDelete = 0x0008; // nk flag: root key cannot be deleted
constexpr quint16 kValueCompName = 0x0001; // vk flag: name is Latin-1
constexpr int kNkFixed = 76; // nk fields before the name
constexpr int kVkFixed = 20; // vk fields before the name
constexpr int kSkFixed = 20; // sk fields before the descriptor
constexpr int kMaxNameBytes = 0xFFFF; // name lengths are 16-bit

inline quint32 align(quint32 value, quint32 to)
{
    return (value + to - 1) / to * to;
}

inline quint16 get16(const char *p)
{
    return qFromLittleEndian<quint16>(p);
}
inline quint32 get32(const char *p)
{
    return qFromLittleEndian<quint32>(p);
}
inline qint32 getS32(const char *p)
{
    return qFromLittleEndian<qint32>(p);
}
inline void put16(char *p, quint16 v)
{
    qToLittleEndian<quint16>(v, p);
}
inline void put32(char *p, quint32 v)
{
    qToLittleEndian<quint32>(v, p);
}
inline void put64(char *p, quint64 v)
{
    qToLittleEndian<quint64>(v, p);
}

} // namespace pecast::bcd::regf
