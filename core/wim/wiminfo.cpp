#include "wim/wiminfo.h"

#include <QJsonArray>

namespace pecast::wim {

QString archName(int archCode)
{
    switch (archCode) {
    case 0:
        return QStringLiteral("x86");
    case 5:
        return QStringLiteral("arm");
    case 6:
        return QStringLiteral("ia64");
    case 9:
        return QStringLiteral("x64");
    case 12:
        return QStringLiteral("arm64");
    default:
        return QStringLiteral("unknown");
    }
}

QJsonObject Bootability::toJson() const
{
    return QJsonObject {
        { QStringLiteral("bootable"), bootable },
        { QStringLiteral("reasons"), QJsonArray::fromStringList(reasons) },
        { QStringLiteral("warnings"), QJsonArray::fromStringList(warnings) },
        { QStringLiteral("hasWinload"), hasWinload },
        { QStringLiteral("hasBootmgr"), hasBootmgr },
        { QStringLiteral("hasBootSdi"), hasBootSdi },
        { QStringLiteral("hasMediaBcd"), hasMediaBcd },
        { QStringLiteral("bootmgrSize"), bootmgrSize },
        { QStringLiteral("bootSdiSize"), bootSdiSize },
    };
}

QJsonObject WimImageInfo::toJson() const
{
    return QJsonObject {
        { QStringLiteral("index"), index },
        { QStringLiteral("name"), name },
        { QStringLiteral("description"), description },
        { QStringLiteral("archCode"), archCode },
        { QStringLiteral("arch"), arch },
        { QStringLiteral("edition"), edition },
        { QStringLiteral("installationType"), installationType },
        { QStringLiteral("version"), version },
        { QStringLiteral("build"), build },
        { QStringLiteral("fileCount"), fileCount },
        { QStringLiteral("dirCount"), dirCount },
        { QStringLiteral("totalBytes"), totalBytes },
        { QStringLiteral("boot"), boot.toJson() },
    };
}

const WimImageInfo *WimInfo::image(int index) const
{
    if (index < 1 || index > images.size())
        return nullptr;
    return &images.at(index - 1);
}

QJsonObject WimInfo::toJson() const
{
    QJsonArray imageArray;
    for (const WimImageInfo &i : images)
        imageArray.append(i.toJson());
    return QJsonObject {
        { QStringLiteral("path"), path },
        { QStringLiteral("fileSize"), fileSize },
        { QStringLiteral("guid"), guid },
        { QStringLiteral("version"), version },
        { QStringLiteral("imageCount"), imageCount },
        { QStringLiteral("bootIndex"), bootIndex },
        { QStringLiteral("compression"), compression },
        { QStringLiteral("chunkSize"), qint64(chunkSize) },
        { QStringLiteral("solid"), solid },
        { QStringLiteral("solidCompression"), solidCompression },
        { QStringLiteral("partNumber"), partNumber },
        { QStringLiteral("totalParts"), totalParts },
        { QStringLiteral("parts"), QJsonArray::fromStringList(partPaths) },
        { QStringLiteral("hasIntegrity"), hasIntegrity },
        { QStringLiteral("compressionBootable"), compressionBootable },
        { QStringLiteral("images"), imageArray },
    };
}

} // namespace pecast::wim
