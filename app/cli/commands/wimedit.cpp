// pecast wim add | delete | rename | set-boot-index | edit-text: customize a WIM into a new
// file (core/wim/wimedit.h); every one can also recompress (--compress). The source WIM is
// never changed unless -o names it and --force is given. (`wim export` lives in wim.cpp.)

#include "wim/wimedit.h"

#include "clioutput.h"
#include "command.h"

#include <QFile>

#include <functional>

using namespace pecast;

namespace {

struct CommonOptions
{
    QCommandLineOption output { { QStringLiteral("o"), QStringLiteral("output") },
        QStringLiteral("The new WIM (required)."), QStringLiteral("OUT") };
    QCommandLineOption index { QStringLiteral("index"),
        QStringLiteral("Image to edit: number or name (default: the boot image)."),
        QStringLiteral("N") };
    QCommandLineOption compress { QStringLiteral("compress"),
        QStringLiteral("Recompress: lzx (bootable default), xpress (faster), none; default: keep."),
        QStringLiteral("TYPE") };
    QCommandLineOption force { QStringLiteral("force"),
        QStringLiteral("Replace OUT if it exists (even the source WIM itself).") };
    QCommandLineOption quiet { { QStringLiteral("q"), QStringLiteral("quiet") },
        QStringLiteral("Print no progress.") };

    void addTo(QCommandLineParser &parser, bool withIndex = true)
    {
        parser.addOption(output);
        if (withIndex)
            parser.addOption(index);
        parser.addOption(compress);
        parser.addOption(force);
        parser.addOption(quiet);
    }
};

// Fills the request's shared fields; returns an exit code on a usage error.
std::optional<int> fillRequest(const QCommandLineParser &parser, const CommonOptions &options,
    const QString &command, wim::WimEditRequest &request, bool withIndex = true)
{
    request.input = parser.positionalArguments().value(0);
    request.output = parser.value(options.output);
    if (request.output.isEmpty()) {
        cli::printErr(QStringLiteral("%1: -o OUT is required").arg(command));
        return cli::kExitUsage;
    }
    request.overwrite = parser.isSet(options.force);
    if (parser.isSet(options.compress)) {
        const auto compression = wim::parseCompression(parser.value(options.compress));
        if (!compression) {
            cli::printErr(QStringLiteral("%1: unknown compression '%2' (lzx, xpress, none, keep)")
                              .arg(command, parser.value(options.compress)));
            return cli::kExitUsage;
        }
        request.compression = *compression;
    }
    if (withIndex && parser.isSet(options.index)) {
        auto index = wim::resolveImage(request.input, parser.value(options.index));
        if (!index)
            return cli::reportError(index.error());
        request.image = *index;
    }
    return std::nullopt;
}

int execute(const QCommandLineParser &parser, const CommonOptions &options,
    const wim::WimEditRequest &request)
{
    cli::CancelOnSignals cancel;
    Progress progress(cli::progressPrinter(!parser.isSet(options.quiet)), cancel.token());
    if (auto s = wim::editWim(request, progress); !s)
        return cli::reportError(s.error());
    cli::printOut(QStringLiteral("Wrote %1").arg(request.output));
    return cli::kExitOk;
}

// One `wim <verb>`: its help, its arguments after WIM, and how they become changes.
struct EditCommand
{
    QString description;
    QList<std::pair<QString, QString>> arguments; // after WIM: name, help
    bool withIndex = true;
    std::function<void(QCommandLineParser &)> addOptions; // the verb's own options, if any
    // Adds the changes (positional arguments in `pos`); an exit code on an error.
    std::function<std::optional<int>(
        const QCommandLineParser &, const QStringList &pos, wim::WimEditRequest &)>
        apply;
};

int runEdit(const QStringList &args, const EditCommand &command)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(command.description);
    parser.addPositionalArgument(QStringLiteral("WIM"), QStringLiteral("The source WIM."));
    for (const auto &[name, help] : command.arguments)
        parser.addPositionalArgument(name, help);
    if (command.addOptions)
        command.addOptions(parser);
    CommonOptions options;
    options.addTo(parser, command.withIndex);
    const int count = 1 + int(command.arguments.size());
    if (auto rc = cli::parse(parser, args, count, count))
        return *rc;
    wim::WimEditRequest request;
    if (auto rc = fillRequest(parser, options, args.value(0), request, command.withIndex))
        return *rc;
    if (auto rc = command.apply(parser, parser.positionalArguments(), request))
        return *rc;
    return execute(parser, options, request);
}

int runAdd(const QStringList &args)
{
    return runEdit(args,
        { QStringLiteral("Add a file or folder to an image of a WIM, writing a new WIM.\n"
                         "A folder's contents are merged into DEST; existing files are replaced."),
            { { QStringLiteral("SRC"), QStringLiteral("Local file or folder.") },
                { QStringLiteral("DEST"),
                    QStringLiteral("Path in the image, e.g. \\Windows\\System32.") } },
            true, {},
            [](const QCommandLineParser &, const QStringList &pos, wim::WimEditRequest &request) {
                request.changes.push_back(wim::WimChange::add(pos.at(1), pos.at(2)));
                return std::optional<int>();
            } });
}

int runDelete(const QStringList &args)
{
    return runEdit(args,
        { QStringLiteral(
              "Delete a file or folder (recursively) from an image of a WIM, writing a new WIM."),
            { { QStringLiteral("PATH"), QStringLiteral("Path in the image.") } }, true, {},
            [](const QCommandLineParser &, const QStringList &pos, wim::WimEditRequest &request) {
                request.changes.push_back(wim::WimChange::remove(pos.at(1)));
                return std::optional<int>();
            } });
}

int runRename(const QStringList &args)
{
    return runEdit(args,
        { QStringLiteral("Rename or move a path inside an image of a WIM, writing a new WIM."),
            { { QStringLiteral("FROM"), QStringLiteral("Existing path.") },
                { QStringLiteral("TO"), QStringLiteral("New path.") } },
            true, {},
            [](const QCommandLineParser &, const QStringList &pos, wim::WimEditRequest &request) {
                request.changes.push_back(wim::WimChange::rename(pos.at(1), pos.at(2)));
                return std::optional<int>();
            } });
}

int runSetBootIndex(const QStringList &args)
{
    return runEdit(args,
        { QStringLiteral("Mark image N as the one Windows boots (0: none), writing a new WIM."),
            { { QStringLiteral("N"), QStringLiteral("Image number or name.") } }, false, {},
            [](const QCommandLineParser &, const QStringList &pos,
                wim::WimEditRequest &request) -> std::optional<int> {
                if (pos.at(1) == QLatin1String("0")) {
                    request.bootIndex = 0;
                    return std::nullopt;
                }
                auto index = wim::resolveImage(request.input, pos.at(1));
                if (!index)
                    return cli::reportError(index.error());
                request.bootIndex = *index;
                return std::nullopt;
            } });
}

int runEditText(const QStringList &args)
{
    const QCommandLineOption from(QStringLiteral("from"),
        QStringLiteral("Local file with the new text ('-' reads standard input)."),
        QStringLiteral("FILE"));
    const QCommandLineOption keep(
        QStringLiteral("keep-line-ends"), QStringLiteral("Write the text byte for byte."));
    return runEdit(args,
        { QStringLiteral(
              "Replace (or create) a text file in an image of a WIM, such as\n"
              "\\Windows\\System32\\startnet.cmd or \\Windows\\System32\\winpeshl.ini.\n"
              "Line ends become CR LF, as cmd.exe expects, unless --keep-line-ends is given."),
            { { QStringLiteral("PATH"), QStringLiteral("Path in the image.") } }, true,
            [&](QCommandLineParser &parser) {
                parser.addOption(from);
                parser.addOption(keep);
            },
            [&](const QCommandLineParser &parser, const QStringList &pos,
                wim::WimEditRequest &request) -> std::optional<int> {
                if (!parser.isSet(from)) {
                    cli::printErr(QStringLiteral("%1: --from FILE is required").arg(args.value(0)));
                    return cli::kExitUsage;
                }
                QFile file(parser.value(from));
                const bool opened = parser.value(from) == QLatin1String("-")
                    ? file.open(stdin, QIODevice::ReadOnly)
                    : file.open(QIODevice::ReadOnly);
                if (!opened)
                    return cli::reportError(Error(Errc::NotFound,
                        QStringLiteral("cannot read %1: %2")
                            .arg(file.fileName(), file.errorString())));
                QByteArray text = file.readAll();
                if (!parser.isSet(keep))
                    text = wim::toWindowsText(text);
                request.changes.push_back(wim::WimChange::writeFile(pos.at(1), text));
                return std::nullopt;
            } });
}

const cli::CommandRegistration regAdd { { QStringLiteral("wim add"),
    QStringLiteral("add a file or folder to a WIM image (new WIM)"), runAdd } };
const cli::CommandRegistration regDelete { { QStringLiteral("wim delete"),
    QStringLiteral("delete a path from a WIM image (new WIM)"), runDelete } };
const cli::CommandRegistration regRename { { QStringLiteral("wim rename"),
    QStringLiteral("rename a path in a WIM image (new WIM)"), runRename } };
const cli::CommandRegistration regBoot { { QStringLiteral("wim set-boot-index"),
    QStringLiteral("choose the image Windows boots (new WIM)"), runSetBootIndex } };
const cli::CommandRegistration regText { { QStringLiteral("wim edit-text"),
    QStringLiteral("replace startnet.cmd, winpeshl.ini, ... (new WIM)"), runEditText } };

} // namespace
