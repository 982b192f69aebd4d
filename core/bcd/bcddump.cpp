#include "bcd/bcddump.h"

#include "bcd/wellknown.h"

#include <QJsonArray>

#include <algorithm>
#include <vector>

namespace pecast::bcd {

namespace {

constexpr int kNameColumn = 24; // bcdedit's value column

// bcdedit's headings for the well-known settings objects.
QString heading(const BcdObject &o)
{
    const QString alias = objectAlias(o.id());
    static const std::pair<const char *, const char *> kSettings[] = {
        { "{globalsettings}", "Global Settings" },
        { "{bootloadersettings}", "Boot Loader Settings" },
        { "{resumeloadersettings}", "Resume Loader Settings" },
        { "{hypervisorsettings}", "Hypervisor Settings" },
        { "{dbgsettings}", "Debugger Settings" },
        { "{emssettings}", "EMS Settings" },
        { "{badmemory}", "RAM Defects" },
    };
    for (const auto &[a, name] : kSettings) {
        if (alias == QLatin1String(a))
            return QLatin1String(name);
    }
    return objectTypeName(o.type());
}

// bcdedit's /enum all order: boot managers, applications, settings, device options.
int rank(const BcdObject &o)
{
    if (o.type() == ObjectType::FirmwareBootManager)
        return 0;
    if (o.type() == ObjectType::BootManager)
        return 1;
    switch (o.type() >> 28) {
    case 1:
        return 2;
    case 2:
        return 3;
    case 3:
        return 4;
    default:
        return 5;
    }
}

std::vector<const BcdObject *> ordered(const BcdStore &store)
{
    std::vector<const BcdObject *> objects;
    for (const auto &[key, o] : store.objects())
        objects.push_back(&o);
    std::stable_sort(objects.begin(), objects.end(),
        [](const BcdObject *a, const BcdObject *b) { return rank(*a) < rank(*b); });
    return objects;
}

QString codeHex(quint32 code)
{
    return QStringLiteral("%1").arg(code, 8, 16, QLatin1Char('0'));
}

QString formatName(ElementFormat f)
{
    switch (f) {
    case ElementFormat::Device:
        return QStringLiteral("device");
    case ElementFormat::String:
        return QStringLiteral("string");
    case ElementFormat::Object:
        return QStringLiteral("object");
    case ElementFormat::ObjectList:
        return QStringLiteral("objectlist");
    case ElementFormat::Integer:
        return QStringLiteral("integer");
    case ElementFormat::Boolean:
        return QStringLiteral("boolean");
    case ElementFormat::IntegerList:
        return QStringLiteral("integerlist");
    case ElementFormat::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

QJsonValue integerJson(quint64 v)
{
    // JSON numbers are doubles: exact only up to 2^53.
    constexpr quint64 kExactLimit = quint64(1) << 53;
    return v < kExactLimit ? QJsonValue(double(v)) : QJsonValue(QString::number(v));
}

QJsonObject deviceJson(const BcdDevice &d)
{
    QJsonObject o;
    static const char *const kinds[] = { "boot", "partition", "ramdisk", "locate", "unknown" };
    o[QStringLiteral("kind")] = QLatin1String(kinds[int(d.kind())]);
    o[QStringLiteral("text")] = d.toString();
    const auto partition = [](const BcdDevice &p, QJsonObject &into) {
        if (p.partitionStyle() == BcdDevice::PartitionStyle::Mbr) {
            into[QStringLiteral("style")] = QStringLiteral("mbr");
            into[QStringLiteral("diskSignature")]
                = QStringLiteral("%1").arg(p.diskSignature(), 8, 16, QLatin1Char('0'));
            into[QStringLiteral("partitionOffset")] = integerJson(p.partitionOffset());
        } else {
            into[QStringLiteral("style")] = QStringLiteral("gpt");
            into[QStringLiteral("diskGuid")] = guidString(p.diskGuid());
            into[QStringLiteral("partitionGuid")] = guidString(p.partitionGuid());
        }
    };
    if (d.kind() == BcdDevice::Kind::Partition)
        partition(d, o);
    if (d.kind() == BcdDevice::Kind::Ramdisk) {
        QJsonObject parent;
        const BcdDevice p = d.parentDevice();
        parent[QStringLiteral("kind")] = p.kind() == BcdDevice::Kind::Boot
            ? QStringLiteral("boot")
            : QStringLiteral("partition");
        if (p.kind() == BcdDevice::Kind::Partition)
            partition(p, parent);
        o[QStringLiteral("parent")] = parent;
        o[QStringLiteral("path")] = d.path();
        o[QStringLiteral("options")] = objectAlias(d.options());
    }
    if (d.kind() == BcdDevice::Kind::Locate) {
        o[QStringLiteral("path")] = d.path();
        o[QStringLiteral("element")] = codeHex(d.locateElement());
    }
    return o;
}

QJsonValue valueJson(const BcdElement &e)
{
    switch (e.format()) {
    case ElementFormat::Device: {
        auto d = e.toDevice();
        return d ? QJsonValue(deviceJson(*d)) : QJsonValue(QJsonValue::Null);
    }
    case ElementFormat::String:
        return e.toText();
    case ElementFormat::Object:
    case ElementFormat::ObjectList:
        if (e.format() == ElementFormat::Object)
            return e.displayLines().value(0);
        return QJsonArray::fromStringList(e.displayLines());
    case ElementFormat::Integer:
        return integerJson(e.toInteger());
    case ElementFormat::Boolean:
        return e.toBool();
    case ElementFormat::IntegerList: {
        QJsonArray list;
        for (quint64 v : e.toIntegers())
            list.append(integerJson(v));
        return list;
    }
    case ElementFormat::Unknown:
        break;
    }
    return QJsonValue(QJsonValue::Null);
}

} // namespace

QString dumpText(const BcdStore &store)
{
    QStringList out;
    const auto line = [&](const QString &name, const QStringList &values) {
        if (values.isEmpty()) {
            out.append(name.leftJustified(kNameColumn - 1) + QLatin1Char(' '));
            return;
        }
        for (qsizetype i = 0; i < values.size(); ++i) {
            const QString label = i == 0 ? name : QString();
            out.append((label.size() >= kNameColumn ? label + QLatin1Char(' ')
                                                    : label.leftJustified(kNameColumn))
                + values[i]);
        }
    };
    bool first = true;
    for (const BcdObject *o : ordered(store)) {
        if (!first)
            out.append(QString());
        first = false;
        const QString title = heading(*o);
        out.append(title);
        out.append(QString(title.size(), QLatin1Char('-')));
        line(QStringLiteral("identifier"), { objectAlias(o->id()) });
        for (const auto &[code, element] : o->elements())
            line(elementName(code, o->type()), element.displayLines());
    }
    if (out.isEmpty())
        out.append(QStringLiteral("(empty store: no objects)"));
    return out.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

QJsonObject dumpJson(const BcdStore &store)
{
    QJsonArray objects;
    for (const BcdObject *o : ordered(store)) {
        QJsonObject obj;
        obj[QStringLiteral("identifier")] = guidString(o->id());
        obj[QStringLiteral("alias")] = objectAlias(o->id());
        obj[QStringLiteral("type")] = codeHex(o->type());
        obj[QStringLiteral("typeName")] = heading(*o);
        QJsonArray elements;
        for (const auto &[code, element] : o->elements()) {
            QJsonObject e;
            e[QStringLiteral("code")] = codeHex(code);
            e[QStringLiteral("name")] = elementName(code, o->type());
            e[QStringLiteral("format")] = formatName(element.format());
            e[QStringLiteral("value")] = valueJson(element);
            e[QStringLiteral("hex")] = QString::fromLatin1(element.data().toHex());
            elements.append(e);
        }
        obj[QStringLiteral("elements")] = elements;
        objects.append(obj);
    }
    QJsonObject root;
    root[QStringLiteral("root")] = store.rootName();
    root[QStringLiteral("objects")] = objects;
    return root;
}

} // namespace pecast::bcd
