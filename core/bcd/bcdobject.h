#pragma once

// A BCD object: an identifier, a type (Description\Type) and its elements, ordered by code.

#include "bcd/bcdelement.h"

#include <QUuid>

#include <map>

namespace pecast::bcd {

class BcdObject
{
public:
    BcdObject() = default;
    BcdObject(const QUuid &id, quint32 type);

    QUuid id() const { return m_id; }
    quint32 type() const { return m_type; }
    void setType(quint32 type) { m_type = type; }

    const std::map<quint32, BcdElement> &elements() const { return m_elements; }
    const BcdElement *element(quint32 code) const;
    bool hasElement(quint32 code) const { return m_elements.count(code) != 0; }
    void setElement(const BcdElement &element); // adds or replaces by code
    bool removeElement(quint32 code);

    QString description() const; // 12000004, empty if none

    bool operator==(const BcdObject &) const = default;

private:
    QUuid m_id;
    quint32 m_type = 0;
    std::map<quint32, BcdElement> m_elements;
};

} // namespace pecast::bcd
