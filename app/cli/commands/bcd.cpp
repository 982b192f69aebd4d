// pecast bcd create / dump / set / delete / add-winpe: author the WinPE RAM-disk BCD store,
// edit any store, and show it the way `bcdedit /enum all` would.

#include "bcd/bcddump.h"
#include "bcd/bcdparse.h"
#include "bcd/bcdstore.h"
#include "bcd/winpestore.h"
#include "clioutput.h"
#include "command.h"

#include <QCommandLineParser>
#include <QJsonDocument>

#include <variant>

namespace pecast::cli {

namespace {

std::optional<quint64> parseNumber(const QString &text)
{
    bool ok = false;
    const quint64 value = text.startsWith(QLatin1String("0x"), Qt::CaseInsensitive)
        ? text.mid(2).toULongLong(&ok, 16)
        : text.toULongLong(&ok, 10);
    return ok ? std::optional<quint64>(value) : std::nullopt;
}

int usage(const QString &message)
{
    printErr(QStringLiteral("pecast bcd create: %1\nTry 'pecast bcd create --help'.").arg(message));
    return kExitUsage;
}

// The WinPE entry options shared by `bcd create` and `bcd add-winpe`.
struct WinPeCli
{
    QCommandLineOption device { QStringLiteral("device"),
        QStringLiteral("Where bootmgr finds the WIM and SDI: boot (default, disk-independent) or "
                       "partition (needs --disk-signature and --partition-offset)."),
        QStringLiteral("MODE"), QStringLiteral("boot") };
    QCommandLineOption signature { QStringLiteral("disk-signature"),
        QStringLiteral("MBR disk signature, hex (partition mode)."), QStringLiteral("HEX") };
    QCommandLineOption offset { QStringLiteral("partition-offset"),
        QStringLiteral("Partition start in bytes, e.g. 1048576 (partition mode)."),
        QStringLiteral("BYTES") };
    QCommandLineOption wim { QStringLiteral("wim-path"),
        QStringLiteral("Path of the WIM on the partition (default \\winpe.wim)."),
        QStringLiteral("P") };
    QCommandLineOption sdi { QStringLiteral("sdi-path"),
        QStringLiteral("Path of boot.sdi on the partition (default \\boot.sdi)."),
        QStringLiteral("P") };
    QCommandLineOption description { QStringLiteral("description"),
        QStringLiteral("Name of the boot entry (default WinPE)."), QStringLiteral("D") };
    QCommandLineOption timeout { QStringLiteral("timeout"),
        QStringLiteral("Boot menu timeout in seconds (default 0)."), QStringLiteral("N") };
    QCommandLineOption locale { QStringLiteral("locale"),
        QStringLiteral("Boot manager and loader locale (default en-US; empty for none)."),
        QStringLiteral("L") };

    void addTo(QCommandLineParser &p) const
    {
        p.addOptions({ device, signature, offset, wim, sdi, description, timeout, locale });
    }

    // The options, or an exit code after printing a usage error.
    std::variant<bcd::WinPeStoreOptions, int> read(
        const QCommandLineParser &p, const QString &command) const
    {
        const auto usageError = [&](const QString &message) {
            printErr(QStringLiteral("%1: %2\nTry '%1 --help'.").arg(command, message));
            return kExitUsage;
        };
        bcd::WinPeStoreOptions o;
        const QString mode = p.value(device).toLower();
        if (mode == QLatin1String("partition")) {
            o.device = bcd::DeviceMode::Partition;
            bool ok = false;
            QString sig = p.value(signature);
            if (sig.startsWith(QLatin1String("0x"), Qt::CaseInsensitive))
                sig = sig.mid(2);
            o.diskSignature = sig.toUInt(&ok, 16);
            if (!p.isSet(signature) || !ok)
                return usageError(QStringLiteral("--device partition needs --disk-signature HEX"));
            const auto off = parseNumber(p.value(offset));
            if (!p.isSet(offset) || !off)
                return usageError(
                    QStringLiteral("--device partition needs --partition-offset BYTES"));
            o.partitionOffset = *off;
        } else if (mode != QLatin1String("boot")) {
            return usageError(
                QStringLiteral("--device must be boot or partition, not \"%1\"").arg(mode));
        } else if (p.isSet(signature) || p.isSet(offset)) {
            return usageError(
                QStringLiteral("--disk-signature/--partition-offset need --device partition"));
        }
        if (p.isSet(wim))
            o.wimPath = p.value(wim);
        if (p.isSet(sdi))
            o.sdiPath = p.value(sdi);
        if (p.isSet(description))
            o.description = p.value(description);
        if (p.isSet(locale))
            o.locale = p.value(locale);
        if (p.isSet(timeout)) {
            bool ok = false;
            o.timeout = p.value(timeout).toInt(&ok);
            if (!ok)
                return usageError(QStringLiteral("--timeout needs a number of seconds"));
        }
        return o;
    }
};

int runBcdCreate(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Writes the WinPE RAM-disk BCD store ({bootmgr}, a WinPE osloader, {ramdiskoptions})."));
    const QCommandLineOption output({ QStringLiteral("o"), QStringLiteral("output") },
        QStringLiteral("The BCD file to write."), QStringLiteral("FILE"));
    const QCommandLineOption force(
        QStringLiteral("force"), QStringLiteral("Replace FILE if it exists."));
    const WinPeCli winpe;
    p.addOptions({ output, force });
    winpe.addTo(p);
    if (auto rc = cli::parse(p, args, 0, 0))
        return *rc;
    if (!p.isSet(output))
        return usage(QStringLiteral("-o FILE is required"));
    const auto options = winpe.read(p, args.value(0));
    if (const int *rc = std::get_if<int>(&options))
        return *rc;

    auto store = bcd::makeWinPeStore(std::get<bcd::WinPeStoreOptions>(options));
    if (!store)
        return reportError(store.error());
    const QString path = p.value(output);
    if (auto s = bcd::saveStoreFile(*store, path,
            p.isSet(force) ? AtomicFile::Overwrite::Replace : AtomicFile::Overwrite::Refuse);
        !s)
        return reportError(QStringLiteral("writing BCD store"), s.error());
    printOut(QStringLiteral("Wrote %1").arg(path));
    return kExitOk;
}

// Reads FILE, applies `edit`, writes it back atomically.
template <typename Edit>
int editStore(const QString &path, Edit edit)
{
    auto store = bcd::readStoreFile(path);
    if (!store)
        return reportError(store.error());
    if (auto s = edit(*store); !s)
        return reportError(QStringLiteral("editing %1").arg(path), s.error());
    if (auto s = bcd::saveStoreFile(*store, path, AtomicFile::Overwrite::Replace); !s)
        return reportError(QStringLiteral("writing BCD store"), s.error());
    return kExitOk;
}

Result<std::pair<QUuid, quint32>> objectAndElement(
    const bcd::BcdStore &store, const QString &objectText, const QString &elementText)
{
    const auto id = bcd::parseObjectId(objectText);
    if (!id)
        return Error(Errc::InvalidInput,
            QStringLiteral("\"%1\" is not an object identifier").arg(objectText));
    const bcd::BcdObject *object = store.object(*id);
    if (!object)
        return Error(Errc::NotFound, QStringLiteral("no object %1 in the store").arg(objectText));
    const auto code = bcd::parseElementName(elementText, object->type());
    if (!code)
        return Error(Errc::InvalidInput,
            QStringLiteral("\"%1\" is not an element of %2 (use a bcdedit name or 8 hex digits)")
                .arg(elementText, objectText));
    return std::pair { *id, *code };
}

int runBcdSet(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Sets one element of an object, like bcdedit /set. VALUE by format: text; yes/no; "
        "integer; {alias} or {guid} (lists comma-separated); devices: boot, "
        "partition=mbr:SIG:OFFSET, partition=gpt:{disk}:{partition}, "
        "ramdisk=[boot|mbr:SIG:OFFSET]\\path,{options}."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("The BCD store."));
    p.addPositionalArgument(
        QStringLiteral("OBJECT"), QStringLiteral("{bootmgr}, {ramdiskoptions}, {guid}, ..."));
    p.addPositionalArgument(
        QStringLiteral("ELEMENT"), QStringLiteral("bcdedit name (timeout) or code (25000004)."));
    p.addPositionalArgument(QStringLiteral("VALUE"), QStringLiteral("The new value."));
    if (auto rc = cli::parse(p, args, 4, 4))
        return *rc;
    const QStringList a = p.positionalArguments();
    return editStore(a[0], [&](bcd::BcdStore &store) -> Status {
        auto target = objectAndElement(store, a[1], a[2]);
        if (!target)
            return std::move(target).error();
        auto element = bcd::parseElementValue(target->second, a[3]);
        if (!element)
            return std::move(element).error();
        return store.setElement(target->first, *element);
    });
}

int runBcdDelete(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Deletes one element of an object, like bcdedit /deletevalue."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("The BCD store."));
    p.addPositionalArgument(QStringLiteral("OBJECT"), QStringLiteral("{bootmgr}, {guid}, ..."));
    p.addPositionalArgument(QStringLiteral("ELEMENT"), QStringLiteral("bcdedit name or code."));
    if (auto rc = cli::parse(p, args, 3, 3))
        return *rc;
    const QStringList a = p.positionalArguments();
    return editStore(a[0], [&](bcd::BcdStore &store) -> Status {
        auto target = objectAndElement(store, a[1], a[2]);
        if (!target)
            return std::move(target).error();
        return store.removeElement(target->first, target->second);
    });
}

int runBcdAddWinPe(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Adds the WinPE RAM-disk entry to an existing store and makes it the default."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("The BCD store to edit."));
    const WinPeCli winpe;
    winpe.addTo(p);
    if (auto rc = cli::parse(p, args, 1, 1))
        return *rc;
    const auto options = winpe.read(p, args.value(0));
    if (const int *rc = std::get_if<int>(&options))
        return *rc;
    const QString path = p.positionalArguments().first();
    QUuid added;
    const int rc = editStore(path, [&](bcd::BcdStore &store) -> Status {
        auto id = bcd::addWinPeEntry(store, std::get<bcd::WinPeStoreOptions>(options));
        if (!id)
            return std::move(id).error();
        added = *id;
        return {};
    });
    if (rc == kExitOk)
        printOut(QStringLiteral("Added %1 to %2").arg(bcd::guidString(added), path));
    return rc;
}

int runBcdDump(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Shows a BCD store like `bcdedit /enum all` (or as JSON)."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("The BCD store (a regf hive)."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    p.addOption(json);
    if (auto rc = cli::parse(p, args, 1, 1))
        return *rc;
    auto store = bcd::readStoreFile(p.positionalArguments().first());
    if (!store)
        return reportError(store.error());
    if (p.isSet(json)) {
        printJson(QJsonDocument(bcd::dumpJson(*store)));
        return kExitOk;
    }
    QString text = bcd::dumpText(*store);
    if (text.endsWith(QLatin1Char('\n')))
        text.chop(1);
    printOut(text);
    return kExitOk;
}

const CommandRegistration createReg { { QStringLiteral("bcd create"),
    QStringLiteral("write the WinPE RAM-disk BCD store"), runBcdCreate } };
const CommandRegistration setReg { { QStringLiteral("bcd set"),
    QStringLiteral("set one element of a BCD object"), runBcdSet } };
const CommandRegistration deleteReg { { QStringLiteral("bcd delete"),
    QStringLiteral("delete one element of a BCD object"), runBcdDelete } };
const CommandRegistration addReg { { QStringLiteral("bcd add-winpe"),
    QStringLiteral("add the WinPE RAM-disk entry to an existing store"), runBcdAddWinPe } };
const CommandRegistration dumpReg { { QStringLiteral("bcd dump"),
    QStringLiteral("show a BCD store like bcdedit /enum all"), runBcdDump } };

} // namespace

} // namespace pecast::cli
