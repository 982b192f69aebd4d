// pecast image replace-wim: drop a new WIM into an existing image; pecast image show: what an
// image (raw, qcow2, VHD, VMDK) boots, through libguestfs (core/pipeline/replacewim.h).

#include "clioutput.h"
#include "command.h"
#include "pipeline/replacewim.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace pecast;

namespace {

int runReplaceWim(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Replace the WIM inside a WinPE disk image (PEcast's or an old-style memdisk image).\n"
        "The WIM goes where the image's BCD says; the partition, the NTFS and the file grow\n"
        "when it does not fit. Boot code, disk signature and all other files keep their bytes.\n"
        "Without -o the image is replaced atomically (an edited copy is renamed over it)."));
    parser.addPositionalArgument(QStringLiteral("IMG"), QStringLiteral("Raw disk image."));
    const QCommandLineOption wim(
        QStringLiteral("wim"), QStringLiteral("The new WIM (required)."), QStringLiteral("NEW"));
    const QCommandLineOption output({ QStringLiteral("o"), QStringLiteral("output") },
        QStringLiteral("Write the edited image here; IMG stays as it is."), QStringLiteral("OUT"));
    const QCommandLineOption inPlace(QStringLiteral("in-place"),
        QStringLiteral("Edit IMG directly when no growth is needed (fast; not atomic)."));
    const QCommandLineOption wimPath(QStringLiteral("wim-path"),
        QStringLiteral("Store the WIM under this path in the image and update the BCD."),
        QStringLiteral("\\NAME.wim"));
    const QCommandLineOption engine(QStringLiteral("engine"),
        QStringLiteral("inprocess (libntfs-3g, default) or guestfs (libguestfs appliance)."),
        QStringLiteral("ENGINE"), QStringLiteral("inprocess"));
    const QCommandLineOption force(
        QStringLiteral("force"), QStringLiteral("Replace OUT if it exists."));
    const QCommandLineOption json(
        QStringLiteral("json"), QStringLiteral("Print the result as JSON."));
    const QCommandLineOption quiet(
        { QStringLiteral("q"), QStringLiteral("quiet") }, QStringLiteral("Print no progress."));
    parser.addOptions({ wim, output, inPlace, wimPath, engine, force, json, quiet });
    if (auto rc = cli::parse(parser, args, 1, 1))
        return *rc;
    if (!parser.isSet(wim)) {
        cli::printErr(QStringLiteral("%1: --wim NEW is required").arg(args.value(0)));
        return cli::kExitUsage;
    }
    if (parser.isSet(output) && parser.isSet(inPlace)) {
        cli::printErr(
            QStringLiteral("%1: -o and --in-place exclude each other").arg(args.value(0)));
        return cli::kExitUsage;
    }
    pipeline::ReplaceWimRequest request;
    request.image = parser.positionalArguments().at(0);
    request.newWim = parser.value(wim);
    request.output = parser.value(output);
    request.inPlace = parser.isSet(inPlace);
    request.overwrite = parser.isSet(force);
    request.wimPathInImage = parser.value(wimPath);
    const QString engineName = parser.value(engine).toLower();
    if (engineName == QLatin1String("guestfs")) {
        request.engine = pipeline::ReplaceWimRequest::Engine::Guestfs;
    } else if (engineName != QLatin1String("inprocess")) {
        cli::printErr(QStringLiteral("%1: unknown engine '%2' (inprocess, guestfs)")
                          .arg(args.value(0), engineName));
        return cli::kExitUsage;
    }

    cli::CancelOnSignals cancel;
    Progress progress(cli::progressPrinter(!parser.isSet(quiet)), cancel.token());
    auto result = pipeline::replaceWim(request, progress);
    if (!result)
        return cli::reportError(result.error());
    if (!result->notice.isEmpty())
        cli::printErr(QStringLiteral("pecast: note: ") + result->notice);
    const QString written = request.output.isEmpty() ? request.image : request.output;
    if (parser.isSet(json)) {
        cli::printJson(QJsonDocument(QJsonObject { { QStringLiteral("image"), written },
            { QStringLiteral("partition"), result->partition },
            { QStringLiteral("partitionOffset"), result->partitionOffset },
            { QStringLiteral("wimPath"), result->wimPath },
            { QStringLiteral("oldWimPath"), result->oldWimPath },
            { QStringLiteral("sdiPath"), result->sdiPath },
            { QStringLiteral("oldWimBytes"), result->oldWimBytes },
            { QStringLiteral("newWimBytes"), result->newWimBytes },
            { QStringLiteral("oldImageBytes"), result->oldImageBytes },
            { QStringLiteral("newImageBytes"), result->newImageBytes },
            { QStringLiteral("grown"), result->grown },
            { QStringLiteral("bcdUpdated"), result->bcdUpdated } }));
    } else {
        cli::printOut(QStringLiteral("Wrote %1: %2 on partition %3 (%4 -> %5 bytes)%6%7")
                          .arg(written, result->wimPath)
                          .arg(result->partition)
                          .arg(result->oldWimBytes)
                          .arg(result->newWimBytes)
                          .arg(result->grown ? QStringLiteral("; image grown from %1 to %2 bytes")
                                                   .arg(result->oldImageBytes)
                                                   .arg(result->newImageBytes)
                                             : QString(),
                              result->bcdUpdated ? QStringLiteral("; BCD updated") : QString()));
    }
    return cli::kExitOk;
}

int runShow(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Open a disk image read-only with libguestfs (raw, qcow2, VHD, VMDK), find the\n"
        "partition holding \\bootmgr and \\boot\\BCD, and show its files, the BCD and where it\n"
        "boots the WIM and boot.sdi from. Starts a small VM: 15-40 s without KVM."));
    parser.addPositionalArgument(QStringLiteral("IMG"), QStringLiteral("Disk image."));
    const QCommandLineOption format(QStringLiteral("format"),
        QStringLiteral("raw, qcow2, vpc (VHD), vhdx, vmdk (default: from the file name)."),
        QStringLiteral("FMT"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    const QCommandLineOption quiet(
        { QStringLiteral("q"), QStringLiteral("quiet") }, QStringLiteral("Print no progress."));
    parser.addOptions({ format, json, quiet });
    if (auto rc = cli::parse(parser, args, 1, 1))
        return *rc;
    cli::CancelOnSignals cancel;
    Progress progress(cli::progressPrinter(!parser.isSet(quiet)), cancel.token());
    auto info = pipeline::inspectWithGuestfs(
        parser.positionalArguments().at(0), parser.value(format), progress);
    if (!info)
        return cli::reportError(info.error());
    if (!info->notice.isEmpty())
        cli::printErr(QStringLiteral("pecast: note: ") + info->notice);
    if (parser.isSet(json)) {
        cli::printJson(QJsonDocument(QJsonObject { { QStringLiteral("device"), info->device },
            { QStringLiteral("partition"), info->partition },
            { QStringLiteral("filesystem"), info->filesystem },
            { QStringLiteral("files"), QJsonArray::fromStringList(info->files) },
            { QStringLiteral("bcdPath"), info->bcdPath }, { QStringLiteral("bcd"), info->bcdDump },
            { QStringLiteral("wimPath"), info->wimPath },
            { QStringLiteral("wimPresent"), info->wimPresent },
            { QStringLiteral("wimBytes"), info->wimBytes },
            { QStringLiteral("sdiPath"), info->sdiPath },
            { QStringLiteral("sdiPresent"), info->sdiPresent } }));
        return cli::kExitOk;
    }
    cli::printOut(QStringLiteral("Boot partition: %1 (partition %2, %3)")
                      .arg(info->device)
                      .arg(info->partition)
                      .arg(info->filesystem));
    cli::printOut(
        QStringLiteral("WIM: %1 (%2)\nSDI: %3 (%4)\n")
            .arg(info->wimPath.isEmpty() ? QStringLiteral("-") : info->wimPath,
                info->wimPresent ? QStringLiteral("%1 bytes").arg(info->wimBytes)
                                 : QStringLiteral("MISSING"),
                info->sdiPath.isEmpty() ? QStringLiteral("-") : info->sdiPath,
                info->sdiPresent ? QStringLiteral("present") : QStringLiteral("MISSING")));
    cli::printOut(QStringLiteral("Files:"));
    for (const QString &file : info->files)
        cli::printOut(QStringLiteral("  ") + file);
    cli::printOut(QStringLiteral("\nBCD (%1):\n%2").arg(info->bcdPath, info->bcdDump));
    return cli::kExitOk;
}

const cli::CommandRegistration showReg { { QStringLiteral("image show"),
    QStringLiteral("files, BCD and WIM location of any disk image (libguestfs)"), runShow } };
const cli::CommandRegistration reg { { QStringLiteral("image replace-wim"),
    QStringLiteral("put a new WIM into an existing image (grows it if needed)"), runReplaceWim } };

} // namespace
