#pragma once

// A BCD store: objects by GUID on top of a registry hive (bcd-format.md §2.1). Converting to and
// from HiveKey keeps the root name and every \Description value, so a store read from a file and
// written back keeps every object and element byte for byte.

#include "bcd/bcdobject.h"
#include "bcd/hive/hivekey.h"
#include "bcd/hive/hivereader.h"
#include "util/atomicfile.h"
#include "util/error.h"

#include <QByteArray>
#include <QString>
#include <QUuid>

#include <map>
#include <vector>

namespace pecast::bcd {

class BcdStore
{
public:
    BcdStore(); // empty store: root "NewStoreRoot", KeyName "BCD00000001", like bcdedit

    QString rootName() const { return m_rootName; }
    void setRootName(const QString &name) { m_rootName = name; }
    const std::vector<HiveValue> &descriptionValues() const { return m_description; }

    // Ordered by GUID string (the order the hive lists them).
    const std::map<QString, BcdObject> &objects() const { return m_objects; }
    const BcdObject *object(const QUuid &id) const;
    BcdObject *object(const QUuid &id);
    BcdObject &addObject(const BcdObject &object); // adds or replaces
    bool removeObject(const QUuid &id);

    // Sets/deletes one element of an existing object (NotFound if the object is missing).
    Status setElement(const QUuid &objectId, const BcdElement &element);
    Status removeElement(const QUuid &objectId, quint32 code);

    HiveKey toHive() const;
    static Result<BcdStore> fromHive(const HiveKey &root, const QString &nameForErrors);

    bool operator==(const BcdStore &) const = default;

private:
    QString m_rootName;
    std::vector<HiveValue> m_description;
    std::map<QString, BcdObject> m_objects;
    HiveKey m_rootExtra; // root values and subkeys other than Description/Objects, kept as read
};

// The hive file for a store (version 1.3, lf lists, clean header).
Result<QByteArray> writeStore(const BcdStore &store);
Result<BcdStore> readStore(
    const QByteArray &file, const QString &nameForErrors, const HiveReadOptions &options = {});
Result<BcdStore> readStoreFile(const QString &path);
// Atomic (AtomicFile); refuses an existing file unless Overwrite::Replace. Removes stale
// BCD.LOG/.LOG1/.LOG2 beside a replaced store (they belong to the old hive).
Status saveStoreFile(const BcdStore &store, const QString &path,
    AtomicFile::Overwrite overwrite = AtomicFile::Overwrite::Refuse);

} // namespace pecast::bcd
