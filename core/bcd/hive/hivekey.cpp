#include "bcd/hive/hivekey.h"

#include <QtEndian>

#include <algorithm>

namespace pecast::bcd {

namespace {

QByteArray utf16Bytes(const QString &text)
{
    QByteArray bytes(reinterpret_cast<const char *>(text.utf16()), text.size() * 2);
    if constexpr (Q_BYTE_ORDER == Q_BIG_ENDIAN) {
        for (qsizetype i = 0; i + 1 < bytes.size(); i += 2)
            std::swap(bytes[i], bytes[i + 1]);
    }
    return bytes;
}

QString fromUtf16Bytes(const QByteArray &data)
{
    QString out;
    out.reserve(data.size() / 2);
    for (qsizetype i = 0; i + 1 < data.size(); i += 2)
        out.append(QChar(qFromLittleEndian<quint16>(data.constData() + i)));
    return out;
}

} // namespace

HiveValue HiveValue::string(const QString &name, const QString &text)
{
    return { name, quint32(ValueType::String), utf16Bytes(text) + QByteArray(2, '\0') };
}

HiveValue HiveValue::multiString(const QString &name, const QStringList &items)
{
    QByteArray data;
    for (const QString &item : items)
        data += utf16Bytes(item) + QByteArray(2, '\0');
    data += QByteArray(2, '\0');
    return { name, quint32(ValueType::MultiString), data };
}

HiveValue HiveValue::dword(const QString &name, quint32 value)
{
    QByteArray data(4, '\0');
    qToLittleEndian<quint32>(value, data.data());
    return { name, quint32(ValueType::Dword), data };
}

HiveValue HiveValue::binary(const QString &name, const QByteArray &bytes)
{
    return { name, quint32(ValueType::Binary), bytes };
}

QString HiveValue::toText() const
{
    const QString all = fromUtf16Bytes(data);
    const qsizetype nul = all.indexOf(QChar(0));
    return nul < 0 ? all : all.left(nul);
}

QStringList HiveValue::toTextList() const
{
    QStringList items = fromUtf16Bytes(data).split(QChar(0));
    // "a\0b\0\0" splits into a, b, "", "": the terminators are not items.
    while (!items.isEmpty() && items.last().isEmpty())
        items.removeLast();
    return items;
}

quint32 HiveValue::toDword() const
{
    quint32 value = 0;
    for (qsizetype i = 0; i < std::min<qsizetype>(data.size(), 4); ++i)
        value |= quint32(quint8(data[i])) << (8 * i);
    return value;
}

const HiveKey *HiveKey::subkey(const QString &n) const
{
    for (const HiveKey &key : subkeys) {
        if (key.name.compare(n, Qt::CaseInsensitive) == 0)
            return &key;
    }
    return nullptr;
}

HiveKey *HiveKey::subkey(const QString &n)
{
    return const_cast<HiveKey *>(std::as_const(*this).subkey(n));
}

HiveKey &HiveKey::ensureSubkey(const QString &n)
{
    if (HiveKey *key = subkey(n))
        return *key;
    subkeys.push_back(HiveKey { n, {}, {} });
    return subkeys.back();
}

bool HiveKey::removeSubkey(const QString &n)
{
    const auto it = std::find_if(subkeys.begin(), subkeys.end(),
        [&](const HiveKey &key) { return key.name.compare(n, Qt::CaseInsensitive) == 0; });
    if (it == subkeys.end())
        return false;
    subkeys.erase(it);
    return true;
}

const HiveValue *HiveKey::value(const QString &n) const
{
    for (const HiveValue &v : values) {
        if (v.name.compare(n, Qt::CaseInsensitive) == 0)
            return &v;
    }
    return nullptr;
}

void HiveKey::setValue(HiveValue v)
{
    for (HiveValue &existing : values) {
        if (existing.name.compare(v.name, Qt::CaseInsensitive) == 0) {
            existing = std::move(v);
            return;
        }
    }
    values.push_back(std::move(v));
}

bool HiveKey::removeValue(const QString &n)
{
    const auto it = std::find_if(values.begin(), values.end(),
        [&](const HiveValue &v) { return v.name.compare(n, Qt::CaseInsensitive) == 0; });
    if (it == values.end())
        return false;
    values.erase(it);
    return true;
}

void HiveKey::sortRecursively()
{
    std::stable_sort(subkeys.begin(), subkeys.end(),
        [](const HiveKey &a, const HiveKey &b) { return hiveNameLess(a.name, b.name); });
    for (HiveKey &key : subkeys)
        key.sortRecursively();
}

HiveKey HiveKey::sorted() const
{
    HiveKey copy = *this;
    copy.sortRecursively();
    return copy;
}

bool hiveNameLess(const QString &a, const QString &b)
{
    // Per UTF-16 code unit, like RtlUpcaseUnicodeChar (QString::toUpper may change lengths).
    const auto upper = [](QChar c) { return QChar(c).toUpper().unicode(); };
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
        [&](QChar x, QChar y) { return upper(x) < upper(y); });
}

} // namespace pecast::bcd
