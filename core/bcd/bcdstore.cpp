#include "bcd/bcdstore.h"

#include "bcd/hive/hivewriter.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace pecast::bcd {

namespace {

const QString kDescription = QStringLiteral("Description");
const QString kObjects = QStringLiteral("Objects");
const QString kElements = QStringLiteral("Elements");
const QString kElement = QStringLiteral("Element");
const QString kType = QStringLiteral("Type");

// A BCD is a few KiB (Microsoft pads to 256 KiB); anything far larger is not one.
constexpr qint64 kMaxStoreFile = 64LL * 1024 * 1024;

Error bad(const QString &message)
{
    return Error(Errc::BadFormat, message);
}

std::optional<quint32> parseElementCode(const QString &name)
{
    if (name.size() != 8)
        return std::nullopt;
    bool ok = false;
    const quint32 code = name.toUInt(&ok, 16);
    return ok ? std::optional<quint32>(code) : std::nullopt;
}

} // namespace

BcdStore::BcdStore()
    : m_rootName(QStringLiteral("NewStoreRoot"))
    , m_description { HiveValue::string(QStringLiteral("KeyName"), QStringLiteral("BCD00000001")) }
{ }

const BcdObject *BcdStore::object(const QUuid &id) const
{
    const auto it = m_objects.find(guidString(id));
    return it == m_objects.end() ? nullptr : &it->second;
}

BcdObject *BcdStore::object(const QUuid &id)
{
    const auto it = m_objects.find(guidString(id));
    return it == m_objects.end() ? nullptr : &it->second;
}

BcdObject &BcdStore::addObject(const BcdObject &object)
{
    return m_objects.insert_or_assign(guidString(object.id()), object).first->second;
}

bool BcdStore::removeObject(const QUuid &id)
{
    return m_objects.erase(guidString(id)) != 0;
}

Status BcdStore::setElement(const QUuid &objectId, const BcdElement &element)
{
    BcdObject *o = object(objectId);
    if (!o)
        return Error(
            Errc::NotFound, QStringLiteral("no object %1 in the store").arg(objectAlias(objectId)));
    o->setElement(element);
    return {};
}

Status BcdStore::removeElement(const QUuid &objectId, quint32 code)
{
    BcdObject *o = object(objectId);
    if (!o)
        return Error(
            Errc::NotFound, QStringLiteral("no object %1 in the store").arg(objectAlias(objectId)));
    if (!o->removeElement(code))
        return Error(Errc::NotFound,
            QStringLiteral("object %1 has no element %2")
                .arg(objectAlias(objectId),
                    QStringLiteral("%1").arg(code, 8, 16, QLatin1Char('0'))));
    return {};
}

HiveKey BcdStore::toHive() const
{
    HiveKey root = m_rootExtra;
    root.name = m_rootName;
    HiveKey &description = root.ensureSubkey(kDescription);
    description.values = m_description;
    HiveKey &objects = root.ensureSubkey(kObjects);
    for (const auto &[key, object] : m_objects) {
        HiveKey o { key, {}, {} };
        o.subkeys.push_back(
            HiveKey { kDescription, { HiveValue::dword(kType, object.type()) }, {} });
        HiveKey elements { kElements, {}, {} };
        for (const auto &[code, element] : object.elements()) {
            elements.subkeys.push_back(
                HiveKey { QStringLiteral("%1").arg(code, 8, 16, QLatin1Char('0')),
                    { HiveValue { kElement, element.registryType(), element.data() } }, {} });
        }
        o.subkeys.push_back(std::move(elements));
        objects.subkeys.push_back(std::move(o));
    }
    root.sortRecursively();
    return root;
}

Result<BcdStore> BcdStore::fromHive(const HiveKey &root, const QString &nameForErrors)
{
    const auto fail = [&](const QString &message) {
        return bad(message)
            .context(nameForErrors)
            .withHint(QStringLiteral("The file is a registry hive but not a BCD store."));
    };
    const HiveKey *objects = root.subkey(kObjects);
    if (!objects)
        return fail(QStringLiteral("no \\Objects key"));

    BcdStore store;
    store.m_rootName = root.name;
    store.m_description.clear();
    if (const HiveKey *description = root.subkey(kDescription))
        store.m_description = description->values;
    store.m_rootExtra.values = root.values;
    for (const HiveKey &sub : root.subkeys) {
        if (sub.name.compare(kDescription, Qt::CaseInsensitive) != 0
            && sub.name.compare(kObjects, Qt::CaseInsensitive) != 0)
            store.m_rootExtra.subkeys.push_back(sub);
    }

    for (const HiveKey &key : objects->subkeys) {
        const auto id = parseObjectId(key.name);
        if (!id || key.name.size() != 38 || key.name.startsWith(QLatin1Char('{')) == false)
            return fail(QStringLiteral("object key \"%1\" is not a GUID").arg(key.name));
        const HiveKey *description = key.subkey(kDescription);
        const HiveValue *type = description ? description->value(kType) : nullptr;
        if (!type)
            return fail(QStringLiteral("object %1 has no Description\\Type").arg(key.name));
        BcdObject object(*id, type->toDword());
        if (const HiveKey *elements = key.subkey(kElements)) {
            for (const HiveKey &e : elements->subkeys) {
                const auto code = parseElementCode(e.name);
                if (!code)
                    return fail(
                        QStringLiteral("object %1: element key \"%2\" is not an element code")
                            .arg(key.name, e.name));
                const HiveValue *value = e.value(kElement);
                if (!value)
                    return fail(QStringLiteral("object %1: element %2 has no Element value")
                                    .arg(key.name, e.name));
                object.setElement(BcdElement(*code, value->type, value->data));
            }
        }
        if (store.object(*id))
            return fail(QStringLiteral("object %1 appears twice").arg(key.name));
        store.addObject(object);
    }
    return store;
}

Result<QByteArray> writeStore(const BcdStore &store)
{
    return HiveWriter().write(store.toHive());
}

Result<BcdStore> readStore(
    const QByteArray &file, const QString &nameForErrors, const HiveReadOptions &options)
{
    auto hive = HiveReader(options).read(file, nameForErrors);
    if (!hive)
        return std::move(hive).error();
    return BcdStore::fromHive(*hive, nameForErrors);
}

Result<BcdStore> readStoreFile(const QString &path)
{
    QFile file(path);
    if (!QFileInfo(path).isFile())
        return Error(Errc::NotFound, QStringLiteral("%1: no such file").arg(path));
    if (!file.open(QIODevice::ReadOnly))
        return Error(Errc::Io, QStringLiteral("%1: cannot open: %2").arg(path, file.errorString()));
    if (file.size() > kMaxStoreFile)
        return Error(Errc::BadFormat,
            QStringLiteral("%1: %2 bytes is too large for a BCD store").arg(path).arg(file.size()));
    const QByteArray data = file.readAll();
    if (file.error() != QFile::NoError)
        return Error(Errc::Io, QStringLiteral("%1: read failed: %2").arg(path, file.errorString()));
    return readStore(data, path);
}

Status saveStoreFile(const BcdStore &store, const QString &path, AtomicFile::Overwrite overwrite)
{
    auto bytes = writeStore(store);
    if (!bytes)
        return std::move(bytes).error().context(path);
    const bool existed = QFileInfo::exists(path);
    if (auto s = AtomicFile::writeFile(path, *bytes, overwrite); !s)
        return s;
    if (existed) {
        // Transaction logs of the replaced hive would be replayed onto ours: remove them.
        const QFileInfo info(path);
        const QDir dir = info.absoluteDir();
        for (const QString &entry : dir.entryList(QDir::Files | QDir::Hidden)) {
            for (const char *suffix : { ".LOG", ".LOG1", ".LOG2" }) {
                if (entry.compare(info.fileName() + QLatin1String(suffix), Qt::CaseInsensitive)
                    == 0)
                    QFile::remove(dir.filePath(entry));
            }
        }
    }
    return {};
}

} // namespace pecast::bcd
