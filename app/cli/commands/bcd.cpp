// pecast bcd create / dump: author the WinPE RAM-disk BCD store and show any store the way
// `bcdedit /enum all` would.

#include "bcd/bcddump.h"
#include "bcd/bcdstore.h"
#include "bcd/winpestore.h"
#include "clioutput.h"
#include "command.h"

#include <QCommandLineParser>
#include <QJsonDocument>

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

int runBcdCreate(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Writes the WinPE RAM-disk BCD store ({bootmgr}, a WinPE osloader, {ramdiskoptions})."));
    const QCommandLineOption output({ QStringLiteral("o"), QStringLiteral("output") },
        QStringLiteral("The BCD file to write."), QStringLiteral("FILE"));
    const QCommandLineOption device(QStringLiteral("device"),
        QStringLiteral("Where bootmgr finds the WIM and SDI: boot (default, disk-independent) or "
                       "partition (needs --disk-signature and --partition-offset)."),
        QStringLiteral("MODE"), QStringLiteral("boot"));
    const QCommandLineOption signature(QStringLiteral("disk-signature"),
        QStringLiteral("MBR disk signature, hex (partition mode)."), QStringLiteral("HEX"));
    const QCommandLineOption offset(QStringLiteral("partition-offset"),
        QStringLiteral("Partition start in bytes, e.g. 1048576 (partition mode)."),
        QStringLiteral("BYTES"));
    const QCommandLineOption wim(QStringLiteral("wim-path"),
        QStringLiteral("Path of the WIM on the partition (default \\winpe.wim)."),
        QStringLiteral("P"));
    const QCommandLineOption sdi(QStringLiteral("sdi-path"),
        QStringLiteral("Path of boot.sdi on the partition (default \\boot.sdi)."),
        QStringLiteral("P"));
    const QCommandLineOption description(QStringLiteral("description"),
        QStringLiteral("Name of the boot entry (default WinPE)."), QStringLiteral("D"));
    const QCommandLineOption timeout(QStringLiteral("timeout"),
        QStringLiteral("Boot menu timeout in seconds (default 0)."), QStringLiteral("N"));
    const QCommandLineOption locale(QStringLiteral("locale"),
        QStringLiteral("Boot manager and loader locale (default en-US; empty for none)."),
        QStringLiteral("L"));
    const QCommandLineOption force(
        QStringLiteral("force"), QStringLiteral("Replace FILE if it exists."));
    p.addOptions(
        { output, device, signature, offset, wim, sdi, description, timeout, locale, force });
    if (auto rc = cli::parse(p, args, 0, 0))
        return *rc;
    if (!p.isSet(output))
        return usage(QStringLiteral("-o FILE is required"));

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
            return usage(QStringLiteral("--device partition needs --disk-signature HEX"));
        const auto off = parseNumber(p.value(offset));
        if (!p.isSet(offset) || !off)
            return usage(QStringLiteral("--device partition needs --partition-offset BYTES"));
        o.partitionOffset = *off;
    } else if (mode != QLatin1String("boot")) {
        return usage(QStringLiteral("--device must be boot or partition, not \"%1\"").arg(mode));
    } else if (p.isSet(signature) || p.isSet(offset)) {
        return usage(QStringLiteral("--disk-signature/--partition-offset need --device partition"));
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
            return usage(QStringLiteral("--timeout needs a number of seconds"));
    }

    auto store = bcd::makeWinPeStore(o);
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
const CommandRegistration dumpReg { { QStringLiteral("bcd dump"),
    QStringLiteral("show a BCD store like bcdedit /enum all"), runBcdDump } };

} // namespace

} // namespace pecast::cli
