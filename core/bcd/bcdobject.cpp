#include "bcd/bcdobject.h"

namespace pecast::bcd {

BcdObject::BcdObject(const QUuid &id, quint32 type)
    : m_id(id)
    , m_type(type)
{ }

const BcdElement *BcdObject::element(quint32 code) const
{
    const auto it = m_elements.find(code);
    return it == m_elements.end() ? nullptr : &it->second;
}

void BcdObject::setElement(const BcdElement &element)
{
    m_elements.insert_or_assign(element.code(), element);
}

bool BcdObject::removeElement(quint32 code)
{
    return m_elements.erase(code) != 0;
}

QString BcdObject::description() const
{
    const BcdElement *e = element(Element::Description);
    return e ? e->toText() : QString();
}

} // namespace pecast::bcd
