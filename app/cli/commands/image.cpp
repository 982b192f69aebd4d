// pecast image inspect: what is in a raw disk image (partition table, boot code, NTFS boot
// sector, files, the BCD) and whether it is consistent enough to boot under memdisk.

#include "clioutput.h"
#include "command.h"
#include "pipeline/imageinspection.h"

#include <QCommandLineParser>
#include <QJsonDocument>

namespace pecast::cli {

namespace {

int runImageInspect(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Reports the partition table, boot code, NTFS geometry, files and BCD of a raw disk "
        "image, with checks. Exit status 0 when every check passes (warnings allowed), 1 when a "
        "check fails or the file is not a disk image."));
    const QCommandLineOption json(
        QStringLiteral("json"), QStringLiteral("Print the report as JSON on stdout."));
    p.addOption(json);
    p.addPositionalArgument(QStringLiteral("IMAGE"), QStringLiteral("The raw disk image."));
    if (auto rc = parse(p, args, 1, 1))
        return *rc;
    const QString path = p.positionalArguments().constFirst();
    auto inspection = pipeline::inspectImageWithBcd(path);
    if (!inspection)
        return reportError(QStringLiteral("inspecting %1").arg(path), inspection.error());
    if (p.isSet(json))
        printJson(QJsonDocument(inspection->toJson()));
    else
        printOut(inspection->toText());
    return inspection->consistent() ? kExitOk : kExitFailure;
}

const CommandRegistration reg { { QStringLiteral("image inspect"),
    QStringLiteral("show and check what a disk image holds"), runImageInspect } };

} // namespace

} // namespace pecast::cli
