#include "sourcetype.h"

#include <QFileInfo>

namespace pecast::ui {

QStringList wimSuffixes()
{
    return { QStringLiteral("wim"), QStringLiteral("esd") };
}

QStringList isoSuffixes()
{
    return { QStringLiteral("iso") };
}

QStringList rawImageSuffixes()
{
    return { QStringLiteral("img"), QStringLiteral("dd"), QStringLiteral("raw") };
}

QStringList virtualDiskSuffixes()
{
    return { QStringLiteral("vhd"), QStringLiteral("vhdx"), QStringLiteral("qcow2"),
        QStringLiteral("vmdk"), QStringLiteral("vdi") };
}

QStringList allSourceSuffixes()
{
    return wimSuffixes() + isoSuffixes() + rawImageSuffixes() + virtualDiskSuffixes();
}

SourceType sourceTypeOf(const QString &path)
{
    if (path.trimmed().isEmpty())
        return SourceType::None;
    const QFileInfo info(path);
    if (info.isDir())
        return SourceType::Folder;
    if (!info.isFile())
        return SourceType::None;
    const QString suffix = info.suffix().toLower();
    if (wimSuffixes().contains(suffix))
        return SourceType::Wim;
    if (isoSuffixes().contains(suffix))
        return SourceType::Iso;
    if (rawImageSuffixes().contains(suffix))
        return SourceType::RawImage;
    if (virtualDiskSuffixes().contains(suffix))
        return SourceType::VirtualDisk;
    return SourceType::None;
}

bool isDiskImage(SourceType type)
{
    return type == SourceType::RawImage || type == SourceType::VirtualDisk;
}

QString guestfsFormatOf(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("vhd"))
        return QStringLiteral("vpc");
    if (virtualDiskSuffixes().contains(suffix))
        return suffix;
    return QStringLiteral("raw");
}

} // namespace pecast::ui
