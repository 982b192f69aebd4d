// pecast build: WIM → memdisk-bootable raw disk image (core/pipeline). The same BuildPlan and
// runBuild() the wizard uses; --dry-run prints the plan. --source takes the WIM and the boot
// files from an ISO or an ADK/media folder instead (core/pipeline/sourceresolve.h); an ISO's
// files go to a temporary folder beside OUT, removed when the command ends. Ctrl-C cancels cleanly:
// no output and no temporary file is left, and an existing output is untouched.

#include "clioutput.h"
#include "command.h"
#include "pipeline/buildplan.h"
#include "pipeline/runbuild.h"
#include "pipeline/sourceresolve.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <optional>

using namespace pecast;
using namespace pecast::pipeline;

namespace {

int usageError(const QString &text)
{
    cli::printErr(QStringLiteral("pecast build: %1\nTry 'pecast build --help'.").arg(text));
    return cli::kExitUsage;
}

int runBuildCommand(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Builds a memdisk-bootable disk image (MBR + NTFS "
                                               "with \\bootmgr, \\boot\\BCD, boot.sdi and "
                                               "the WIM, GRUB boot code) from a WinPE WIM."));
    const QCommandLineOption wim(QStringLiteral("wim"),
        QStringLiteral("The source WIM (this or --source is required)."), QStringLiteral("FILE"));
    const QCommandLineOption source(QStringLiteral("source"),
        QStringLiteral("Take the WIM, bootmgr and boot.sdi from an ISO, an ADK copype folder or "
                       "a media folder (instead of --wim)."),
        QStringLiteral("ISO|FOLDER"));
    const QCommandLineOption output({ QStringLiteral("o"), QStringLiteral("output") },
        QStringLiteral("The image to write (required)."), QStringLiteral("OUT"));
    const QCommandLineOption index(QStringLiteral("index"),
        QStringLiteral("Image to boot (default: the WIM's boot index)."), QStringLiteral("N"));
    const QCommandLineOption bootmgr(QStringLiteral("bootmgr"),
        QStringLiteral("Use this bootmgr instead of the image's."), QStringLiteral("FILE"));
    const QCommandLineOption sdi(QStringLiteral("sdi"),
        QStringLiteral("Use this boot.sdi instead of the image's."), QStringLiteral("FILE"));
    const QCommandLineOption bcdDevice(QStringLiteral("bcd-device"),
        QStringLiteral("BCD device: boot (default) or partition (this image's signature)."),
        QStringLiteral("MODE"), QStringLiteral("boot"));
    const QCommandLineOption layout(QStringLiteral("layout"),
        QStringLiteral(
            "classic (\\winpe.wim, \\boot.sdi; default) or media (\\sources\\boot.wim)."),
        QStringLiteral("LAYOUT"), QStringLiteral("classic"));
    const QCommandLineOption size(QStringLiteral("size"),
        QStringLiteral("Disk size: auto (default) or N with MiB/GiB, e.g. 600MiB."),
        QStringLiteral("SIZE"), QStringLiteral("auto"));
    const QCommandLineOption gzip(
        QStringLiteral("gzip"), QStringLiteral("Write OUT gzip-compressed (memdisk inflates it)."));
    const QCommandLineOption force(QStringLiteral("force"),
        QStringLiteral("Replace OUT if it exists; build even if the image looks unbootable."));
    const QCommandLineOption label(QStringLiteral("label"),
        QStringLiteral("NTFS volume label (default PECAST)."), QStringLiteral("L"),
        QStringLiteral("PECAST"));
    const QCommandLineOption description(QStringLiteral("description"),
        QStringLiteral("The BCD boot entry's description (default WinPE)."), QStringLiteral("TEXT"),
        QStringLiteral("WinPE"));
    const QCommandLineOption timeout(QStringLiteral("timeout"),
        QStringLiteral("bootmgr's menu timeout in seconds (default 0)."), QStringLiteral("S"),
        QStringLiteral("0"));
    const QCommandLineOption signature(QStringLiteral("disk-signature"),
        QStringLiteral("MBR disk signature in hex (default: random)."), QStringLiteral("HEX"));
    const QCommandLineOption recompress(QStringLiteral("recompress"),
        QStringLiteral("Recompress the WIM to LZX 32K (for solid/LZMS sources, or to normalize)."));
    const QCommandLineOption sha256(QStringLiteral("sha256"),
        QStringLiteral("Also report the output's SHA-256 (reads the whole image once more)."));
    const QCommandLineOption dryRun(
        QStringLiteral("dry-run"), QStringLiteral("Print the plan and stop; nothing is written."));
    const QCommandLineOption json(
        QStringLiteral("json"), QStringLiteral("Print the plan or the result as JSON on stdout."));
    const QCommandLineOption quiet(
        { QStringLiteral("q"), QStringLiteral("quiet") }, QStringLiteral("Print no progress."));
    for (const auto *o : { &wim, &source, &output, &index, &bootmgr, &sdi, &bcdDevice, &layout,
             &size, &gzip, &force, &label, &description, &timeout, &signature, &recompress, &sha256,
             &dryRun, &json, &quiet })
        p.addOption(*o);
    if (auto rc = cli::parse(p, args, 0, 0))
        return *rc;

    BuildPlan plan;
    plan.wimPath = p.value(wim);
    plan.outputPath = p.value(output);
    if (p.isSet(wim) && p.isSet(source))
        return usageError(QStringLiteral("--wim and --source are mutually exclusive"));
    if (plan.wimPath.isEmpty() && p.value(source).isEmpty())
        return usageError(QStringLiteral("--wim FILE or --source ISO|FOLDER is required"));
    if (plan.outputPath.isEmpty())
        return usageError(QStringLiteral("-o OUT is required"));
    if (p.isSet(index)) {
        bool ok = false;
        plan.imageIndex = p.value(index).toInt(&ok);
        if (!ok || plan.imageIndex < 1)
            return usageError(QStringLiteral("--index must be a number from 1"));
    }
    plan.bootmgrPath = p.value(bootmgr);
    plan.sdiPath = p.value(sdi);
    const bool showProgress = !p.isSet(quiet);
    cli::CancelOnSignals cancel;
    // Holds an ISO's extracted files until the build is done; beside OUT so they are on the
    // same filesystem and never fill a small /tmp.
    std::optional<QTemporaryDir> sourceFiles;
    if (p.isSet(source)) {
        const QString outDir = QFileInfo(plan.outputPath).absolutePath();
        sourceFiles.emplace(outDir + QStringLiteral("/.pecast-source-XXXXXX"));
        if (!sourceFiles->isValid())
            return cli::reportError(Error(Errc::Io,
                QStringLiteral("cannot create a temporary folder in %1: %2")
                    .arg(outDir, sourceFiles->errorString())));
        Progress progress(cli::progressPrinter(showProgress), cancel.token());
        auto resolved = resolveSource(p.value(source), sourceFiles->path(), progress);
        if (!resolved)
            return cli::reportError(QStringLiteral("reading the source"), resolved.error());
        if (!resolved->notice.isEmpty() && showProgress)
            cli::printErr(QStringLiteral("pecast build: note: ") + resolved->notice);
        plan.wimPath = resolved->wimPath;
        if (plan.bootmgrPath.isEmpty())
            plan.bootmgrPath = resolved->bootmgrPath;
        if (plan.sdiPath.isEmpty())
            plan.sdiPath = resolved->sdiPath;
    }
    const auto device = parseBcdDevice(p.value(bcdDevice));
    if (!device)
        return usageError(QStringLiteral("--bcd-device must be boot or partition"));
    plan.bcdDevice = *device;
    const auto lay = parseLayout(p.value(layout));
    if (!lay)
        return usageError(QStringLiteral("--layout must be classic or media"));
    plan.layout = *lay;
    auto bytes = parseSize(p.value(size));
    if (!bytes)
        return cli::reportError(bytes.error());
    plan.sizeBytes = *bytes;
    plan.gzip = p.isSet(gzip);
    plan.overwrite = p.isSet(force);
    plan.allowNonBootable = p.isSet(force);
    plan.recompress = p.isSet(recompress);
    plan.sha256 = p.isSet(sha256);
    plan.label = p.value(label);
    plan.description = p.value(description);
    bool timeoutOk = false;
    plan.bcdTimeoutSeconds = p.value(timeout).toInt(&timeoutOk);
    if (!timeoutOk)
        return usageError(QStringLiteral("--timeout must be a number of seconds"));
    if (p.isSet(signature)) {
        QString hex = p.value(signature);
        if (hex.startsWith(QLatin1String("0x"), Qt::CaseInsensitive))
            hex = hex.mid(2);
        bool ok = false;
        const quint32 value = hex.toUInt(&ok, 16);
        if (!ok || hex.size() > 8 || value == 0)
            return usageError(QStringLiteral("--disk-signature must be 1 to 8 hex digits, not 0"));
        plan.diskSignature = value;
    }
    if (auto s = plan.validate(); !s)
        return cli::reportError(s.error());

    if (p.isSet(dryRun)) {
        if (p.isSet(json))
            cli::printJson(QJsonDocument(plan.toJson()));
        else
            cli::printOut(plan.toText());
        return cli::kExitOk;
    }

    BuildCallbacks callbacks;
    callbacks.progress = cli::progressPrinter(showProgress);
    callbacks.log = [showProgress](const QString &line) {
        if (showProgress || line.startsWith(QLatin1String("warning:")))
            cli::printErr(line);
    };
    auto result = runBuild(plan, callbacks, cancel.token());
    if (!result)
        return cli::reportError(result.error());
    if (p.isSet(json))
        cli::printJson(QJsonDocument(result->toJson()));
    else
        cli::printOut(result->toText());
    return cli::kExitOk;
}

const cli::CommandRegistration reg { { QStringLiteral("build"),
    QStringLiteral("build a memdisk-bootable disk image from a WinPE WIM, ISO or ADK folder"),
    runBuildCommand } };

} // namespace
