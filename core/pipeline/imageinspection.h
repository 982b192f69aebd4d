#pragma once

// `pecast image inspect` and the wizard's image check: disk::inspectImage() (partition table,
// boot code, NTFS boot sector, files, geometry checks) plus what needs the BCD: \boot\BCD is
// read with core/bcd, dumped, and the RAM disk WIM and SDI paths it names are checked against
// the files in the image. Lives in pipeline because core/disk must not depend on core/bcd.

#include "disk/imagereport.h"
#include "util/error.h"

#include <QJsonObject>
#include <QString>

namespace pecast::pipeline {

struct ImageInspection
{
    disk::ImageReport report; // its checks include the BCD checks
    bool bcdRead = false;
    QString bcdText; // bcd::dumpText of \boot\BCD
    QJsonObject bcdJson; // bcd::dumpJson
    QString wimPath; // as named by the BCD ("\winpe.wim"), empty when unknown
    QString sdiPath; // "\boot.sdi"

    bool consistent() const { return report.consistent(); }
    QJsonObject toJson() const; // the report's JSON plus "bcd": {...}
    QString toText() const;
};

// Errors only when the file is not a disk image at all (see disk::inspectImage).
Result<ImageInspection> inspectImageWithBcd(const QString &path);

} // namespace pecast::pipeline
