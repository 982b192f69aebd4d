#include "bcd/bcdelement.h"

#include "bcd/hive/hivekey.h"
#include "bcd/wellknown.h"

#include <QtEndian>

namespace pecast::bcd {

namespace {

constexpr int kIntegerSize = 8; // bcdedit writes every integer as 8 bytes

HiveValue asValue(const BcdElement &e)
{
    return HiveValue { QString(), e.registryType(), e.data() };
}

quint64 littleEndian(const char *p, qsizetype n)
{
    quint64 v = 0;
    for (qsizetype i = 0; i < n && i < 8; ++i)
        v |= quint64(quint8(p[i])) << (8 * i);
    return v;
}

} // namespace

BcdElement::BcdElement(quint32 code, quint32 registryType, QByteArray data)
    : m_code(code)
    , m_registryType(registryType)
    , m_data(std::move(data))
{ }

BcdElement BcdElement::string(quint32 code, const QString &text)
{
    const HiveValue v = HiveValue::string(QString(), text);
    return BcdElement(code, v.type, v.data);
}

BcdElement BcdElement::boolean(quint32 code, bool value)
{
    return BcdElement(code, quint32(ValueType::Binary), QByteArray(1, value ? '\1' : '\0'));
}

BcdElement BcdElement::integer(quint32 code, quint64 value)
{
    QByteArray data(kIntegerSize, '\0');
    qToLittleEndian<quint64>(value, data.data());
    return BcdElement(code, quint32(ValueType::Binary), data);
}

BcdElement BcdElement::integers(quint32 code, const QList<quint64> &values)
{
    QByteArray data;
    for (quint64 value : values) {
        QByteArray one(kIntegerSize, '\0');
        qToLittleEndian<quint64>(value, one.data());
        data += one;
    }
    return BcdElement(code, quint32(ValueType::Binary), data);
}

BcdElement BcdElement::object(quint32 code, const QUuid &id)
{
    return string(code, guidString(id));
}

BcdElement BcdElement::objects(quint32 code, const QList<QUuid> &ids)
{
    QStringList items;
    for (const QUuid &id : ids)
        items.append(guidString(id));
    const HiveValue v = HiveValue::multiString(QString(), items);
    return BcdElement(code, v.type, v.data);
}

BcdElement BcdElement::device(quint32 code, const BcdDevice &device)
{
    return BcdElement(code, quint32(ValueType::Binary), device.encode());
}

QString BcdElement::toText() const
{
    return asValue(*this).toText();
}

bool BcdElement::toBool() const
{
    return std::any_of(m_data.begin(), m_data.end(), [](char c) { return c != 0; });
}

quint64 BcdElement::toInteger() const
{
    return littleEndian(m_data.constData(), m_data.size());
}

QList<quint64> BcdElement::toIntegers() const
{
    QList<quint64> out;
    for (qsizetype i = 0; i + kIntegerSize <= m_data.size(); i += kIntegerSize)
        out.append(littleEndian(m_data.constData() + i, kIntegerSize));
    return out;
}

QUuid BcdElement::toObject() const
{
    return parseObjectId(toText()).value_or(QUuid());
}

QList<QUuid> BcdElement::toObjects() const
{
    QList<QUuid> out;
    for (const QString &item : asValue(*this).toTextList())
        out.append(parseObjectId(item).value_or(QUuid()));
    return out;
}

Result<BcdDevice> BcdElement::toDevice() const
{
    return BcdDevice::decode(m_data);
}

QStringList BcdElement::displayLines() const
{
    const auto objectText = [](const QString &text) {
        const auto id = parseObjectId(text);
        return id ? objectAlias(*id) : text;
    };
    switch (format()) {
    case ElementFormat::Device: {
        auto d = toDevice();
        if (!d)
            return { QStringLiteral("invalid device (%1 bytes)").arg(m_data.size()) };
        return { d->toString() };
    }
    case ElementFormat::String:
        return { toText() };
    case ElementFormat::Object:
        return { objectText(toText()) };
    case ElementFormat::ObjectList: {
        QStringList lines;
        for (const QString &item : asValue(*this).toTextList())
            lines.append(objectText(item));
        return lines;
    }
    case ElementFormat::Integer: {
        const QString name = integerValueName(code(), toInteger());
        return { name.isEmpty() ? QString::number(toInteger()) : name };
    }
    case ElementFormat::Boolean:
        return { toBool() ? QStringLiteral("Yes") : QStringLiteral("No") };
    case ElementFormat::IntegerList: {
        QStringList lines;
        for (quint64 v : toIntegers())
            lines.append(QString::number(v));
        return lines;
    }
    case ElementFormat::Unknown:
        break;
    }
    return { QString::fromLatin1(m_data.toHex(' ')) };
}

} // namespace pecast::bcd
