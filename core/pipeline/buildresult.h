#pragma once

// What a finished build reports: where the image is, how big, its digest (when computed) and
// identity, and what happened on the way (warnings, time per step).

#include "pipeline/buildplan.h"

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace pecast::pipeline {

struct StepTiming
{
    QString description;
    qint64 milliseconds = 0;
};

struct BuildResult
{
    QString outputPath; // absolute path of the committed output
    qint64 sizeBytes = 0; // size of the output file (compressed size with gzip)
    qint64 diskSizeBytes = 0; // size of the raw disk image
    QString sha256; // of the output file, lower-case hex; empty: not computed (plan.sha256)
    quint32 diskSignature = 0; // MBR signature at 0x1B8
    qint64 partitionOffset = 0; // bytes from the start of the disk to the NTFS partition
    qint64 partitionSize = 0; // bytes
    Layout layout = Layout::Classic;
    BcdDevice bcdDevice = BcdDevice::Boot;
    bool gzip = false;
    int imageIndex = 0; // the index of the source WIM that was used
    bool wimCopiedAsIs = false; // true: the source WIM was copied byte for byte, not exported
    QStringList warnings; // for people: "bootmgr is 520 KiB; memdisk leaves room for ~490 KiB"
    QList<StepTiming> timings;

    QString toText() const;
    QJsonObject toJson() const;
};

} // namespace pecast::pipeline

Q_DECLARE_METATYPE(pecast::pipeline::BuildResult)
