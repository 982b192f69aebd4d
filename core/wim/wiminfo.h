#pragma once

// What `pecast wim info` reports about a WIM or ESD file: header facts, one entry per image
// and a bootability verdict per image. toJson() is the stable `--json` schema documented in the
// README ("## WIM inspection"); later tools and tests read it, so fields are only ever added.

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace pecast::wim {

// Largest bootmgr we trust to load under memdisk: ntldr puts it at 0x2000:0 below 640 KiB, and
// memdisk leaves ~622 KiB of base memory; 490 KiB was seen to boot, 500 KiB hung (bootchain.md).
constexpr qint64 kMaxSafeBootmgrSize = 490 * 1024;

// The chunk size Windows' RAM-disk loaders are known to read (LZX/XPRESS, non-solid).
constexpr quint32 kBootChunkSize = 32 * 1024;

// Paths inside an image (lookups are case-insensitive).
inline constexpr char kBootmgrPath[] = "/Windows/Boot/PCAT/bootmgr";
inline constexpr char kBootSdiPath[] = "/Windows/Boot/DVD/PCAT/boot.sdi";
inline constexpr char kMediaBcdPath[] = "/Windows/Boot/DVD/PCAT/BCD";
inline constexpr char kWinloadPath[] = "/Windows/System32/boot/winload.exe";

struct Bootability
{
    bool bootable = false; // true when `reasons` is empty
    QStringList reasons; // every reason it cannot boot from a RAM disk, for people
    bool hasWinload = false;
    bool hasBootmgr = false;
    bool hasBootSdi = false;
    bool hasMediaBcd = false;
    qint64 bootmgrSize = -1; // -1 when absent
    qint64 bootSdiSize = -1;
    QStringList warnings; // not fatal, e.g. bootmgr larger than kMaxSafeBootmgrSize

    QJsonObject toJson() const;
};

struct WimImageInfo
{
    int index = 0; // 1-based
    QString name;
    QString description;
    int archCode = -1; // XML WINDOWS/ARCH: 0 x86, 9 x64, 12 arm64; -1 unknown
    QString arch; // "x86", "x64", "arm64", "arm", "ia64", "unknown"
    QString edition; // WINDOWS/EDITIONID, e.g. "WindowsPE"
    QString installationType; // WINDOWS/INSTALLATIONTYPE
    QString version; // "10.0.19041" (MAJOR.MINOR.BUILD[.SPBUILD]), empty when unknown
    int build = 0; // WINDOWS/VERSION/BUILD, 0 when unknown
    qint64 fileCount = 0; // FILECOUNT
    qint64 dirCount = 0; // DIRCOUNT
    qint64 totalBytes = 0; // TOTALBYTES: uncompressed size of the image's files
    Bootability boot;

    QJsonObject toJson() const;
};

struct WimInfo
{
    QString path; // absolute path of the file that was inspected
    qint64 fileSize = 0;
    QString guid; // 32 lower-case hex digits
    int version = 0; // WIM format version (0x10d00, 0xe00 for solid)
    int imageCount = 0;
    int bootIndex = 0; // 0: none
    QString compression; // "none", "xpress", "lzx", "lzms"
    quint32 chunkSize = 0;
    bool solid = false; // solid (LZMS/ESD) resources present
    QString solidCompression; // compression of the solid resources, empty when not solid
    int partNumber = 1;
    int totalParts = 1;
    QStringList partPaths; // all parts of a split WIM (part 1 first); just `path` otherwise
    bool hasIntegrity = false;
    bool compressionBootable = false; // non-solid LZX/XPRESS with 32 KiB chunks
    QList<WimImageInfo> images;

    // Image by 1-based index, nullptr when out of range.
    const WimImageInfo *image(int index) const;
    QJsonObject toJson() const;
};

// "x86", "x64", ... for a WINDOWS/ARCH code.
QString archName(int archCode);

} // namespace pecast::wim
