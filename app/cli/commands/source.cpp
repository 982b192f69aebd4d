// pecast source extract: the boot files and the WIM from WinPE/Windows media (ISO, copype
// working folder, media folder), see core/pipeline/sourceresolve.h.

#include "clioutput.h"
#include "command.h"
#include "pipeline/sourceresolve.h"

#include <QJsonObject>

using namespace pecast;

namespace {

int runExtract(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Take sources\\boot.wim, bootmgr, boot\\boot.sdi and boot\\bcd from WinPE or Windows "
        "media:\nan ISO (ISO 9660 in-process; UDF-only ISOs through libguestfs), a copype "
        "working folder\nor a media folder. Writes DIR/boot.wim, bootmgr, boot.sdi and BCD."));
    parser.addPositionalArgument(QStringLiteral("SOURCE"), QStringLiteral("ISO or folder."));
    const QCommandLineOption output({ QStringLiteral("o"), QStringLiteral("output") },
        QStringLiteral("New folder for the files (must not exist, or be empty)."),
        QStringLiteral("DIR"));
    const QCommandLineOption json(
        QStringLiteral("json"), QStringLiteral("Print the paths as JSON."));
    const QCommandLineOption quiet(
        { QStringLiteral("q"), QStringLiteral("quiet") }, QStringLiteral("Print no progress."));
    parser.addOption(output);
    parser.addOption(json);
    parser.addOption(quiet);
    if (auto rc = cli::parse(parser, args, 1, 1))
        return *rc;
    if (!parser.isSet(output)) {
        cli::printErr(QStringLiteral("%1: -o DIR is required").arg(args.value(0)));
        return cli::kExitUsage;
    }
    cli::CancelOnSignals cancel;
    Progress progress(cli::progressPrinter(!parser.isSet(quiet)), cancel.token());
    auto result = pipeline::extractSource(
        parser.positionalArguments().at(0), parser.value(output), progress);
    if (!result)
        return cli::reportError(QStringLiteral("extracting boot media"), result.error());
    if (!result->notice.isEmpty())
        cli::printErr(QStringLiteral("pecast: note: ") + result->notice);
    if (parser.isSet(json)) {
        cli::printJson(QJsonDocument(QJsonObject { { QStringLiteral("wim"), result->wimPath },
            { QStringLiteral("bootmgr"), result->bootmgrPath },
            { QStringLiteral("sdi"), result->sdiPath },
            { QStringLiteral("bcd"), result->bcdPath } }));
    } else {
        cli::printOut(QStringLiteral("WIM:     %1\nbootmgr: %2\nSDI:     %3\nBCD:     %4")
                          .arg(result->wimPath, result->bootmgrPath, result->sdiPath,
                              result->bcdPath.isEmpty() ? QStringLiteral("(none on the media)")
                                                        : result->bcdPath));
    }
    return cli::kExitOk;
}

const cli::CommandRegistration reg { { QStringLiteral("source extract"),
    QStringLiteral("take the WIM and boot files from an ISO or ADK folder"), runExtract } };

} // namespace
