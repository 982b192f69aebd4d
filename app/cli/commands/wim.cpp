// pecast wim info / extract-boot / export: inspect a WIM, pull out its boot files, write one
// image as a bootable standalone WIM. JSON output is documented in README ("## WIM inspection").

#include "clioutput.h"
#include "command.h"
#include "wim/bootfiles.h"
#include "wim/wimexport.h"
#include "wim/wiminspect.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace {

using namespace pecast;

QString yesNo(bool value)
{
    return value ? QStringLiteral("yes") : QStringLiteral("no");
}

QString sizeText(qint64 bytes)
{
    if (bytes < 0)
        return QStringLiteral("-");
    if (bytes < 1024)
        return QStringLiteral("%1 bytes").arg(bytes);
    if (bytes < 1024 * 1024)
        return QStringLiteral("%1 KiB (%2 bytes)").arg((bytes + 1023) / 1024).arg(bytes);
    return QStringLiteral("%1 MiB (%2 bytes)")
        .arg(double(bytes) / (1024.0 * 1024.0), 0, 'f', 1)
        .arg(bytes);
}

void printInfo(const wim::WimInfo &info)
{
    QString text;
    text += QStringLiteral("File:         %1\n").arg(QDir::toNativeSeparators(info.path));
    text += QStringLiteral("Size:         %1\n").arg(sizeText(info.fileSize));
    text += QStringLiteral("GUID:         %1\n").arg(info.guid);
    text += QStringLiteral("Images:       %1 (boot index %2)\n")
                .arg(info.imageCount)
                .arg(info.bootIndex);
    text += QStringLiteral("Compression:  %1, %2 KiB chunks%3\n")
                .arg(info.compression)
                .arg(info.chunkSize / 1024)
                .arg(info.solid ? QStringLiteral(", solid (%1)").arg(info.solidCompression)
                                : QString());
    text += QStringLiteral("Part:         %1 of %2\n").arg(info.partNumber).arg(info.totalParts);
    text += QStringLiteral("Integrity:    %1\n")
                .arg(info.hasIntegrity ? QStringLiteral("table present")
                                       : QStringLiteral("no table"));
    for (const wim::WimImageInfo &image : info.images) {
        text += QStringLiteral("\nImage %1: %2\n").arg(image.index).arg(image.name);
        if (!image.description.isEmpty())
            text += QStringLiteral("  Description:  %1\n").arg(image.description);
        text += QStringLiteral("  Architecture: %1\n").arg(image.arch);
        text += QStringLiteral("  Edition:      %1\n")
                    .arg(image.edition.isEmpty()
                            ? QStringLiteral("-")
                            : QStringLiteral("%1 (%2)").arg(image.edition, image.installationType));
        text += QStringLiteral("  Version:      %1\n")
                    .arg(image.version.isEmpty() ? QStringLiteral("-") : image.version);
        text += QStringLiteral("  Files:        %1 files, %2 folders, %3\n")
                    .arg(image.fileCount)
                    .arg(image.dirCount)
                    .arg(sizeText(image.totalBytes));
        const wim::Bootability &boot = image.boot;
        text += QStringLiteral("  bootmgr:      %1\n")
                    .arg(boot.hasBootmgr ? sizeText(boot.bootmgrSize) : QStringLiteral("missing"));
        text += QStringLiteral("  boot.sdi:     %1\n")
                    .arg(boot.hasBootSdi ? sizeText(boot.bootSdiSize) : QStringLiteral("missing"));
        text += QStringLiteral("  winload.exe:  %1\n").arg(yesNo(boot.hasWinload));
        text += QStringLiteral("  Media BCD:    %1\n").arg(yesNo(boot.hasMediaBcd));
        text += QStringLiteral("  Bootable:     %1\n").arg(yesNo(boot.bootable));
        for (const QString &reason : boot.reasons)
            text += QStringLiteral("    - %1\n").arg(reason);
        for (const QString &warning : boot.warnings)
            text += QStringLiteral("  Warning: %1\n").arg(warning);
    }
    cli::printOut(text);
}

int runWimInfo(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Reports a WIM/ESD's images, compression and whether each can boot."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("WIM, ESD or SWM file"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    const QCommandLineOption verify(QStringLiteral("verify"),
        QStringLiteral("Also check the integrity table and every stored blob."));
    const QCommandLineOption quiet(
        { QStringLiteral("q"), QStringLiteral("quiet") }, QStringLiteral("No progress output."));
    p.addOptions({ json, verify, quiet });
    if (auto rc = cli::parse(p, args, 1, 1))
        return *rc;
    const QString path = p.positionalArguments().constFirst();

    cli::CancelOnSignals cancel;
    Progress progress(cli::progressPrinter(p.isSet(verify) && !p.isSet(quiet)), cancel.token());
    Result<wim::WimInfo> info = wim::inspectWim(path, progress);
    if (!info)
        return cli::reportError(info.error());
    if (p.isSet(verify)) {
        if (Status s = wim::verifyIntegrity(path, progress); !s)
            return cli::reportError(s.error());
    }
    if (p.isSet(json)) {
        QJsonObject object = info->toJson();
        if (p.isSet(verify))
            object.insert(QStringLiteral("verified"), true);
        cli::printJson(QJsonDocument(object));
    } else {
        printInfo(*info);
        if (p.isSet(verify))
            cli::printOut(QStringLiteral("\nVerified: all data matches its checksums."));
    }
    return cli::kExitOk;
}

int parseIndex(const QCommandLineParser &p, const QCommandLineOption &option, int *index)
{
    *index = 0;
    if (!p.isSet(option))
        return -1;
    bool ok = false;
    *index = p.value(option).toInt(&ok);
    if (!ok || *index < 1) {
        cli::printErr(QStringLiteral("pecast: error: --index needs an image number (1, 2, ...), "
                                     "not \"%1\"")
                          .arg(p.value(option)));
        return cli::kExitUsage;
    }
    return -1;
}

int runWimExtractBoot(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Extracts bootmgr, boot.sdi and the media BCD (when present) from an "
                       "image, with sizes and SHA-256."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("WIM file"));
    const QCommandLineOption index(QStringLiteral("index"),
        QStringLiteral("Image number (default: the boot index)."), QStringLiteral("N"));
    const QCommandLineOption output({ QStringLiteral("o"), QStringLiteral("output") },
        QStringLiteral("Output folder (created when missing)."), QStringLiteral("DIR"));
    const QCommandLineOption force(
        QStringLiteral("force"), QStringLiteral("Replace existing files in DIR."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    p.addOptions({ index, output, force, json });
    if (auto rc = cli::parse(p, args, 1, 1))
        return *rc;
    if (!p.isSet(output)) {
        cli::printErr(QStringLiteral("pecast: error: -o DIR is required"));
        return cli::kExitUsage;
    }
    int imageIndex = 0;
    if (const int rc = parseIndex(p, index, &imageIndex); rc >= 0)
        return rc;

    cli::CancelOnSignals cancel;
    Progress progress(cli::progressPrinter(false), cancel.token());
    wim::ExtractOptions options;
    options.overwrite = p.isSet(force);
    Result<wim::BootFiles> files = wim::extractBootFiles(
        p.positionalArguments().constFirst(), imageIndex, p.value(output), progress, options);
    if (!files)
        return cli::reportError(files.error());
    if (p.isSet(json)) {
        QJsonArray array;
        for (const wim::BootFile &f : files->files)
            array.append(QJsonObject { { QStringLiteral("role"), f.role },
                { QStringLiteral("pathInWim"), f.pathInWim },
                { QStringLiteral("outputPath"), f.outputPath }, { QStringLiteral("size"), f.size },
                { QStringLiteral("sha256"), f.sha256 } });
        cli::printJson(QJsonDocument(QJsonObject {
            { QStringLiteral("imageIndex"), files->imageIndex },
            { QStringLiteral("files"), array },
            { QStringLiteral("warnings"), QJsonArray::fromStringList(files->warnings) },
        }));
    } else {
        for (const wim::BootFile &f : files->files)
            cli::printOut(QStringLiteral("%1  %2  %3  (%4)")
                              .arg(f.sha256, QString::number(f.size).rightJustified(10),
                                  QDir::toNativeSeparators(f.outputPath), f.pathInWim));
    }
    for (const QString &warning : files->warnings)
        cli::printErr(QStringLiteral("pecast: warning: %1").arg(warning));
    return cli::kExitOk;
}

int runWimExport(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Writes one image as a new WIM (boot index 1); solid/LZMS sources become LZX unless "
        "--compress says otherwise."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("source WIM"));
    const QCommandLineOption index(QStringLiteral("index"),
        QStringLiteral("Image number (default: the boot index)."), QStringLiteral("N"));
    const QCommandLineOption output({ QStringLiteral("o"), QStringLiteral("output") },
        QStringLiteral("Output WIM."), QStringLiteral("FILE"));
    const QCommandLineOption compress(QStringLiteral("compress"),
        QStringLiteral("Recompress to lzx or xpress with 32 KiB chunks (default: keep the "
                       "source's; solid/LZMS becomes lzx)."),
        QStringLiteral("lzx|xpress"));
    const QCommandLineOption lzx(QStringLiteral("lzx"), QStringLiteral("Same as --compress lzx."));
    const QCommandLineOption force(
        QStringLiteral("force"), QStringLiteral("Replace an existing output."));
    const QCommandLineOption quiet(
        { QStringLiteral("q"), QStringLiteral("quiet") }, QStringLiteral("No progress output."));
    p.addOptions({ index, output, compress, lzx, force, quiet });
    if (auto rc = cli::parse(p, args, 1, 1))
        return *rc;
    if (!p.isSet(output)) {
        cli::printErr(QStringLiteral("pecast: error: -o FILE is required"));
        return cli::kExitUsage;
    }
    wim::ExportOptions options;
    options.overwrite = p.isSet(force);
    const QString method = p.value(compress).toLower();
    if (p.isSet(compress) && method != QLatin1String("lzx") && method != QLatin1String("xpress")) {
        cli::printErr(QStringLiteral("pecast: error: --compress must be lzx or xpress"));
        return cli::kExitUsage;
    }
    if (p.isSet(lzx) && p.isSet(compress) && method != QLatin1String("lzx")) {
        cli::printErr(
            QStringLiteral("pecast: error: --lzx conflicts with --compress %1").arg(method));
        return cli::kExitUsage;
    }
    if (p.isSet(lzx) || method == QLatin1String("lzx"))
        options.compression = wim::ExportOptions::Compression::Lzx32k;
    else if (method == QLatin1String("xpress"))
        options.compression = wim::ExportOptions::Compression::Xpress32k;
    int imageIndex = 0;
    if (const int rc = parseIndex(p, index, &imageIndex); rc >= 0)
        return rc;
    cli::CancelOnSignals cancel;
    Progress progress(cli::progressPrinter(!p.isSet(quiet)), cancel.token());
    if (Status s = wim::exportImage(
            p.positionalArguments().constFirst(), imageIndex, p.value(output), options, progress);
        !s)
        return cli::reportError(s.error());
    return cli::kExitOk;
}

const cli::CommandRegistration infoReg { { QStringLiteral("wim info"),
    QStringLiteral("images, compression and bootability of a WIM (--json, --verify)"),
    runWimInfo } };
const cli::CommandRegistration extractReg { { QStringLiteral("wim extract-boot"),
    QStringLiteral("extract bootmgr, boot.sdi and BCD from a WIM image"), runWimExtractBoot } };
const cli::CommandRegistration exportReg { { QStringLiteral("wim export"),
    QStringLiteral("write one image as a bootable standalone WIM"), runWimExport } };

} // namespace
