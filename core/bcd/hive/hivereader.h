#pragma once

// Reads any regf hive (lf/lh/li/ri subkey lists, `db` big data, ASCII or UTF-16 names) into a
// HiveKey tree. The file is treated as hostile: every offset and length is bounds-checked
// against its bin, key depth, key count and total value bytes are limited, and a key reached
// twice (a cycle or a shared subtree) is an error. A corrupt hive gives Errc::BadFormat, never
// a crash or a hang.

#include "bcd/hive/hivekey.h"
#include "util/error.h"

#include <QByteArray>
#include <QString>

namespace pecast::bcd {

struct HiveHeaderInfo
{
    quint32 primarySequence = 0;
    quint32 secondarySequence = 0;
    quint32 majorVersion = 0;
    quint32 minorVersion = 0;
    quint32 rootOffset = 0;
    quint32 binsSize = 0;
    quint32 storedChecksum = 0;
    quint32 computedChecksum = 0;
    QString fileName; // the informational header name
    bool clean() const
    {
        return primarySequence == secondarySequence && storedChecksum == computedChecksum;
    }
};

struct HiveReadOptions
{
    // A dirty hive (sequence numbers differ or bad checksum) has pending log data the file alone
    // cannot supply; refuse it unless a caller (the fuzzer, a forensic dump) asks otherwise.
    bool requireClean = true;
    int maxDepth = 64; // a BCD is 5 deep; real hives stay far below
    qint64 maxKeys = 200000; // bounds work on hostile input
    // Total decoded value names + data + 64 bytes per value: shared value lists and data cells
    // could otherwise multiply a small file into unbounded work.
    qint64 maxValueBytes = 64LL * 1024 * 1024;
};

class HiveReader
{
public:
    explicit HiveReader(HiveReadOptions options = {});

    // nameForErrors names the input in messages ("/srv/boot/BCD: ...").
    Result<HiveKey> read(const QByteArray &file, const QString &nameForErrors) const;
    static Result<HiveHeaderInfo> readHeader(const QByteArray &file, const QString &nameForErrors);

private:
    HiveReadOptions m_options;
};

// XOR of the first 127 dwords with the Windows fix-ups (0 -> 1, 0xFFFFFFFF -> 0xFFFFFFFE).
quint32 hiveHeaderChecksum(const char *header);
// The `lh` list hash of a name: h = 37 * h + upper(c) over UTF-16 code units.
quint32 hiveNameHash(const QString &name);

} // namespace pecast::bcd
