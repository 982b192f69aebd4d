#pragma once

// Test images assembled directly with core/disk (GRUB boot code + NTFS + files), without the
// pipeline, and helpers to look at them with independent tools.

#include "util/error.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace pecast::test {

// For QVERIFY2 messages, which Qt evaluates even when the check passes: the error text of a
// failed Result/Status, empty for a good one.
template <typename T>
QByteArray errorText(const Result<T> &result)
{
    return result ? QByteArray() : result.error().toString().toUtf8();
}

struct DiskImageFile
{
    QString path; // inside the volume: "/bootmgr", "/boot/BCD"
    QString sourceFile; // copied from this file when set ...
    QByteArray data; // ... else these bytes
    quint32 attributes = 0; // disk::FileAttribute bits, 0: leave as created
};

// Writes a PEcast-layout image of (at least) diskBytes holding the files. Returns an empty
// string on success, else the error text.
QString buildDiskImage(const QString &imagePath, qint64 diskBytes,
    const QList<DiskImageFile> &files, quint32 signature = 0);

// A WinPE RAM-disk BCD (bcd::makeWinPeStore, boot device mode) as hive bytes; empty on failure.
QByteArray winPeBcd();

// Copies `size` bytes at `offset` of `imagePath` into `outPath` (for ntfs-3g tools, which take
// no offset). Returns false on I/O errors.
bool extractRange(const QString &imagePath, qint64 offset, qint64 size, const QString &outPath);

// Overwrites bytes in a file in place (for making broken images).
bool patchFile(const QString &path, qint64 offset, const QByteArray &bytes);

} // namespace pecast::test
