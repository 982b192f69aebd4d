#include "bcd/bcdparse.h"

#include "bcd/wellknown.h"

#include <optional>

namespace pecast::bcd {

namespace {

Error invalid(const QString &message)
{
    return Error(Errc::InvalidInput, message);
}

std::optional<quint64> parseInteger(const QString &text)
{
    const QString t = text.trimmed();
    bool ok = false;
    const quint64 v = t.startsWith(QLatin1String("0x"), Qt::CaseInsensitive)
        ? t.mid(2).toULongLong(&ok, 16)
        : t.toULongLong(&ok, 10);
    return ok ? std::optional<quint64>(v) : std::nullopt;
}

// "boot" | "mbr:SIG:OFFSET" | "gpt:{disk}:{partition}" (the part after "partition=").
Result<BcdDevice> parseLocation(const QString &text)
{
    const QString t = text.trimmed();
    if (t.compare(QLatin1String("boot"), Qt::CaseInsensitive) == 0)
        return BcdDevice::boot();
    const QStringList parts = t.split(QLatin1Char(':'));
    if (parts.size() == 3 && parts[0].compare(QLatin1String("mbr"), Qt::CaseInsensitive) == 0) {
        QString sig = parts[1];
        if (sig.startsWith(QLatin1String("0x"), Qt::CaseInsensitive))
            sig = sig.mid(2);
        bool ok = false;
        const quint32 signature = sig.toUInt(&ok, 16);
        const auto offset = parseInteger(parts[2]);
        if (!ok || signature == 0 || !offset)
            return invalid(
                QStringLiteral("\"%1\": expected mbr:SIGNATURE(hex, non-zero):OFFSET(bytes)")
                    .arg(t));
        return BcdDevice::mbrPartition(signature, *offset);
    }
    if (parts.size() == 3 && parts[0].compare(QLatin1String("gpt"), Qt::CaseInsensitive) == 0) {
        const auto disk = parseObjectId(parts[1]);
        const auto partition = parseObjectId(parts[2]);
        if (!disk || !partition)
            return invalid(
                QStringLiteral("\"%1\": expected gpt:{disk guid}:{partition guid}").arg(t));
        return BcdDevice::gptPartition(*disk, *partition);
    }
    return invalid(
        QStringLiteral("\"%1\": expected boot, mbr:SIG:OFFSET or gpt:{disk}:{partition}").arg(t));
}

std::optional<bool> parseBool(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t == QLatin1String("yes") || t == QLatin1String("on") || t == QLatin1String("true")
        || t == QLatin1String("1"))
        return true;
    if (t == QLatin1String("no") || t == QLatin1String("off") || t == QLatin1String("false")
        || t == QLatin1String("0"))
        return false;
    return std::nullopt;
}

} // namespace

Result<BcdDevice> parseDevice(const QString &text)
{
    const QString t = text.trimmed();
    if (t.compare(QLatin1String("boot"), Qt::CaseInsensitive) == 0)
        return BcdDevice::boot();
    if (t.startsWith(QLatin1String("partition="), Qt::CaseInsensitive)) {
        auto location = parseLocation(t.mid(10));
        if (location.ok() && location->kind() != BcdDevice::Kind::Partition)
            return invalid(QStringLiteral("\"%1\": partition= needs mbr:… or gpt:…").arg(t));
        return location;
    }
    if (t.startsWith(QLatin1String("ramdisk=["), Qt::CaseInsensitive)) {
        const qsizetype close = t.indexOf(QLatin1Char(']'));
        const qsizetype comma = t.lastIndexOf(QLatin1Char(','));
        if (close < 0 || comma < close)
            return invalid(
                QStringLiteral("\"%1\": expected ramdisk=[PARENT]\\path,{options}").arg(t));
        auto parent = parseLocation(t.mid(9, close - 9));
        if (!parent)
            return std::move(parent).error();
        const QString path = t.mid(close + 1, comma - close - 1);
        const auto options = parseObjectId(t.mid(comma + 1));
        if (!path.startsWith(QLatin1Char('\\')) || !options)
            return invalid(
                QStringLiteral("\"%1\": expected ramdisk=[PARENT]\\path,{options}").arg(t));
        return BcdDevice::ramdisk(*parent, path, *options);
    }
    return invalid(
        QStringLiteral("\"%1\" is not a device (boot, partition=…, ramdisk=[…]…)").arg(t));
}

Result<BcdElement> parseElementValue(quint32 code, const QString &text)
{
    switch (elementFormat(code)) {
    case ElementFormat::String:
        return BcdElement::string(code, text);
    case ElementFormat::Boolean:
        if (const auto b = parseBool(text))
            return BcdElement::boolean(code, *b);
        return invalid(QStringLiteral("\"%1\" is not yes/no").arg(text));
    case ElementFormat::Integer:
        if (const auto v = parseInteger(text))
            return BcdElement::integer(code, *v);
        if (const auto v = parseIntegerValueName(code, text))
            return BcdElement::integer(code, *v);
        return invalid(QStringLiteral("\"%1\" is not an integer").arg(text));
    case ElementFormat::IntegerList: {
        QList<quint64> values;
        for (const QString &item : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const auto v = parseInteger(item);
            if (!v)
                return invalid(QStringLiteral("\"%1\" is not an integer").arg(item));
            values.append(*v);
        }
        return BcdElement::integers(code, values);
    }
    case ElementFormat::Object:
        if (const auto id = parseObjectId(text))
            return BcdElement::object(code, *id);
        return invalid(QStringLiteral("\"%1\" is not an object identifier").arg(text));
    case ElementFormat::ObjectList: {
        QList<QUuid> ids;
        for (const QString &item : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const auto id = parseObjectId(item);
            if (!id)
                return invalid(QStringLiteral("\"%1\" is not an object identifier").arg(item));
            ids.append(*id);
        }
        return BcdElement::objects(code, ids);
    }
    case ElementFormat::Device: {
        auto device = parseDevice(text);
        if (!device)
            return std::move(device).error();
        return BcdElement::device(code, *device);
    }
    case ElementFormat::Unknown:
        break;
    }
    return invalid(
        QStringLiteral("element %1 has an unknown format").arg(code, 8, 16, QLatin1Char('0')));
}

} // namespace pecast::bcd
