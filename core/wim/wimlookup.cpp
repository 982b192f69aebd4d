#include "wim/wimlookup.h"

#include "wim/wimerror.h"

#include <QDir>
#include <QStringList>

#include <wimlib.h>

#include <vector>

namespace pecast::wim {

namespace {

struct Child
{
    QString name;
    qint64 size = 0;
    bool isDirectory = false;
};

int collectChild(const wimlib_dir_entry *entry, void *context)
{
    auto *children = static_cast<std::vector<Child> *>(context);
    Child child;
    child.name = QString::fromUtf8(entry->filename ? entry->filename : "");
    child.isDirectory = (entry->attributes & WIMLIB_FILE_ATTRIBUTE_DIRECTORY) != 0;
    child.size = qint64(entry->streams[0].resource.uncompressed_size);
    children->push_back(child);
    return 0;
}

} // namespace

Result<std::optional<WimEntry>> findEntry(
    WIMStruct *wim, int image, const QString &path, const QString &wimPath)
{
    QString normalized = path;
    normalized.replace(QLatin1Char('\\'), QLatin1Char('/'));
    const QStringList parts = normalized.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    WimEntry current { QStringLiteral("/"), 0, true };
    for (const QString &part : parts) {
        if (!current.isDirectory)
            return std::optional<WimEntry>();
        std::vector<Child> children;
        const int ret = wimlib_iterate_dir_tree(wim, image, current.path.toUtf8().constData(),
            WIMLIB_ITERATE_DIR_TREE_FLAG_CHILDREN, collectChild, &children);
        if (ret != 0)
            return fromWimlib(ret, wimPath,
                QStringLiteral("listing %1 in image %2 of").arg(current.path).arg(image));
        const Child *match = nullptr;
        for (const Child &child : children) {
            if (child.name == part) {
                match = &child;
                break;
            }
            if (!match && child.name.compare(part, Qt::CaseInsensitive) == 0)
                match = &child;
        }
        if (!match)
            return std::optional<WimEntry>();
        current.path = (current.path == QLatin1String("/") ? QString() : current.path)
            + QLatin1Char('/') + match->name;
        current.size = match->size;
        current.isDirectory = match->isDirectory;
    }
    return std::optional<WimEntry>(current);
}

Result<int> resolveImage(WIMStruct *wim, int index, const QString &wimPath)
{
    wimlib_wim_info info {};
    if (const int ret = wimlib_get_wim_info(wim, &info); ret != 0)
        return fromWimlib(ret, wimPath, QStringLiteral("reading"));
    const int count = int(info.image_count);
    if (index == 0) {
        if (info.boot_index > 0)
            return int(info.boot_index);
        if (count == 1)
            return 1;
        return Error(Errc::InvalidInput,
            QStringLiteral("%1 has %2 images and no boot index")
                .arg(QDir::toNativeSeparators(wimPath))
                .arg(count))
            .withHint(QStringLiteral("Choose an image with --index N (see `pecast wim info`)."));
    }
    if (index < 1 || index > count)
        return Error(Errc::NotFound,
            QStringLiteral("%1 has no image %2 (it has %3)")
                .arg(QDir::toNativeSeparators(wimPath))
                .arg(index)
                .arg(count))
            .withHint(QStringLiteral("Run `pecast wim info` to list the images."));
    return index;
}

} // namespace pecast::wim

namespace pecast::wim {

namespace {

// The WIM format version wimlib and Windows use for WIMs with solid resources (ESD).
constexpr quint32 kSolidWimVersion = 0xE00;

int anyPacked(const wimlib_resource_entry *entry, void *context)
{
    if (entry->packed)
        *static_cast<bool *>(context) = true;
    return 0;
}

} // namespace

Result<bool> isSolid(WIMStruct *wim, const QString &wimPath)
{
    wimlib_wim_info info {};
    if (const int ret = wimlib_get_wim_info(wim, &info); ret != 0)
        return fromWimlib(ret, wimPath, QStringLiteral("reading"));
    bool packed = false;
    if (const int ret = wimlib_iterate_lookup_table(wim, 0, anyPacked, &packed); ret != 0)
        return fromWimlib(ret, wimPath, QStringLiteral("reading the blob table of"));
    return packed || info.wim_version == kSolidWimVersion;
}

} // namespace pecast::wim
