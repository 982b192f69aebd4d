#pragma once

// Writes a regf hive from scratch, in the profile every real BCD uses (bcd-format.md §0):
// version 1.3, `lf` subkey lists sorted by upper-cased name, root flags 0x2C, two valid `sk`
// cells (root + shared), values <= 4 bytes inline, no `db`, clean header (equal sequence
// numbers, checksum last), 4 KiB-multiple bins each closed by one free cell.

#include "bcd/hive/hivekey.h"
#include "util/error.h"

#include <QByteArray>
#include <QString>

namespace pecast::bcd {

struct HiveWriteOptions
{
    quint32 sequence = 1; // both sequence numbers (equal = clean hive)
    quint64 timestamp = 0; // FILETIME for the header and every key; 0 keeps output reproducible
    QString fileName
        = QStringLiteral("\\boot\\BCD"); // informational header field (<= 31 chars kept)
};

class HiveWriter
{
public:
    explicit HiveWriter(HiveWriteOptions options = {});

    // The complete hive file. Fails (InvalidInput) on duplicate subkey/value names, a name longer
    // than the format allows, or a value too large for one cell.
    Result<QByteArray> write(const HiveKey &root) const;

private:
    HiveWriteOptions m_options;
};

} // namespace pecast::bcd
