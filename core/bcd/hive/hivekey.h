#pragma once

// A registry hive as a plain value tree: what HiveWriter serializes and HiveReader returns.
// Names keep their case; lookups are case-insensitive like the registry's.

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <vector>

namespace pecast::bcd {

// Registry value types (winnt.h REG_*). A hive may hold any 32-bit number; these are the ones
// PEcast creates or names.
enum class ValueType : quint32 {
    None = 0,
    String = 1, // REG_SZ: UTF-16LE with a terminating NUL
    ExpandString = 2, // REG_EXPAND_SZ
    Binary = 3, // REG_BINARY
    Dword = 4, // REG_DWORD, little-endian
    DwordBigEndian = 5,
    Link = 6,
    MultiString = 7, // REG_MULTI_SZ: strings, each NUL-terminated, then one more NUL
    Qword = 11, // REG_QWORD
};

struct HiveValue
{
    QString name; // empty = the key's default value
    quint32 type = 0; // a ValueType, kept as the raw number so unknown types survive
    QByteArray data;

    static HiveValue string(const QString &name, const QString &text);
    static HiveValue multiString(const QString &name, const QStringList &items);
    static HiveValue dword(const QString &name, quint32 value);
    static HiveValue binary(const QString &name, const QByteArray &bytes);

    // Decodes REG_SZ / REG_MULTI_SZ data (stops at the first NUL; tolerates a missing one).
    QString toText() const;
    QStringList toTextList() const;
    // REG_DWORD (or any 1..4 byte data) as little-endian.
    quint32 toDword() const;

    bool operator==(const HiveValue &) const = default;
};

struct HiveKey
{
    QString name;
    std::vector<HiveValue> values; // any order (the writer keeps it)
    std::vector<HiveKey> subkeys; // the writer sorts them by upper-cased name

    const HiveKey *subkey(const QString &name) const;
    HiveKey *subkey(const QString &name);
    HiveKey &ensureSubkey(const QString &name); // finds or appends
    bool removeSubkey(const QString &name);
    const HiveValue *value(const QString &name) const;
    void setValue(HiveValue value); // replaces a value of the same name or appends
    bool removeValue(const QString &name);

    // Sorts subkeys recursively the way the writer stores them (by upper-cased UTF-16 name),
    // so that reader(writer(x)) == x.sorted().
    void sortRecursively();
    HiveKey sorted() const;

    bool operator==(const HiveKey &) const = default;
};

// The registry's order for subkey lists: by upper-cased name, comparing UTF-16 code units.
bool hiveNameLess(const QString &a, const QString &b);

} // namespace pecast::bcd
