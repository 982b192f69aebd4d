#pragma once

// Extracts what a RAM-disk boot needs from a WinPE image: bootmgr, boot.sdi and, when present,
// the media BCD. Outputs appear whole or not at all; existing files are never overwritten unless
// asked.

#include "util/error.h"
#include "util/progress.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace pecast::wim {

struct BootFile
{
    QString role; // "bootmgr", "bootsdi", "bcd"
    QString pathInWim; // e.g. "\Windows\Boot\PCAT\bootmgr"
    QString outputPath; // absolute: outDir/bootmgr, outDir/boot.sdi, outDir/BCD
    qint64 size = 0;
    QString sha256; // lower-case hex
};

struct BootFiles
{
    int imageIndex = 0; // the image actually used (resolved from 0)
    QList<BootFile> files;
    QStringList warnings; // e.g. bootmgr too large for memdisk
    const BootFile *find(const QString &role) const;
};

struct ExtractOptions
{
    bool overwrite = false; // replace existing outputs
    bool requireMediaBcd = false; // fail when \Windows\Boot\DVD\PCAT\BCD is absent
};

// index 0 = the WIM's boot index (or 1 when it has none and a single image). Fails when bootmgr
// or boot.sdi is missing. outDir is created when missing.
Result<BootFiles> extractBootFiles(const QString &wimPath, int index, const QString &outDir,
    Progress &progress, const ExtractOptions &options = {});

} // namespace pecast::wim
