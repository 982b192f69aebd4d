#pragma once

// One BCD element: its code (e.g. 0x11000001) and the registry value that holds it. The raw
// value is kept as stored, so reading and rewriting a store never loses or changes a byte; the
// typed constructors and accessors encode/decode per the code's format (bcd-format.md §2.3).

#include "bcd/bcddevice.h"
#include "bcd/wellknown.h"
#include "util/error.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QUuid>

namespace pecast::bcd {

class BcdElement
{
public:
    BcdElement() = default;
    // Raw: what the `Element` value of key <code> holds.
    BcdElement(quint32 code, quint32 registryType, QByteArray data);

    static BcdElement string(quint32 code, const QString &text); // REG_SZ
    static BcdElement boolean(quint32 code, bool value); // REG_BINARY, 1 byte
    static BcdElement integer(quint32 code, quint64 value); // REG_BINARY, 8 bytes
    static BcdElement integers(quint32 code, const QList<quint64> &values); // n x 8 bytes
    static BcdElement object(quint32 code, const QUuid &id); // REG_SZ "{guid}"
    static BcdElement objects(quint32 code, const QList<QUuid> &ids); // REG_MULTI_SZ
    static BcdElement device(quint32 code, const BcdDevice &device); // REG_BINARY

    quint32 code() const { return m_code; }
    ElementFormat format() const { return elementFormat(m_code); }
    quint32 registryType() const { return m_registryType; }
    const QByteArray &data() const { return m_data; }

    QString toText() const; // string element
    bool toBool() const; // any non-zero byte
    quint64 toInteger() const; // 1..8 bytes little-endian, zero-extended
    QList<quint64> toIntegers() const;
    QUuid toObject() const;
    QList<QUuid> toObjects() const;
    Result<BcdDevice> toDevice() const;

    // Human form used by the dump: "Yes", "30", "{bootmgr}", "ramdisk=[boot]\x.wim,{…}".
    // Object lists give one line per item.
    QStringList displayLines() const;

    bool operator==(const BcdElement &) const = default;

private:
    quint32 m_code = 0;
    quint32 m_registryType = 0;
    QByteArray m_data;
};

} // namespace pecast::bcd
