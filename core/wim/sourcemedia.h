#pragma once

// Where technicians already have WinPE: boot media, as an ISO or as a folder.
// - An ADK working folder made by copype: media/bootmgr, media/Boot/boot.sdi, media/Boot/BCD,
//   media/sources/boot.wim.
// - A media root (an extracted ISO, a USB stick): bootmgr, boot/boot.sdi, boot/bcd,
//   sources/boot.wim.
// - An ISO: MakeWinPEMedia writes ISO 9660 + UDF (read here with libarchive); a Windows install
//   ISO is UDF only (its ISO 9660 part holds just a README), which core/disk/guestimage reads
//   with libguestfs: extractIso9660Media then fails with Errc::Unsupported.
// Names match case-insensitively everywhere: ISO 9660 without Joliet upper-cases them.

#include "util/error.h"
#include "util/progress.h"

#include <QString>
#include <QStringList>

namespace pecast::wim {

// Absolute paths of the files PEcast takes from boot media. bcd may be empty (PEcast writes its
// own BCD anyway); the others are required.
struct MediaFiles
{
    QString wim; // sources/boot.wim
    QString bootmgr;
    QString sdi; // boot/boot.sdi
    QString bcd; // boot/bcd
};

// The media-relative paths ('/' separated, lower case) of those files.
struct MediaLayout
{
    static constexpr char kWim[] = "sources/boot.wim";
    static constexpr char kBootmgr[] = "bootmgr";
    static constexpr char kSdi[] = "boot/boot.sdi";
    static constexpr char kBcd[] = "boot/bcd";
};

enum class SourceKind {
    Wim, // a .wim file: boot files come from inside it
    AdkFolder, // copype working folder (has media/)
    MediaFolder, // a media root
    Iso, // an ISO image (ISO 9660 and/or UDF)
};

// Decides from the file system (folder layout, ISO 9660/UDF signatures, WIM magic).
Result<SourceKind> detectSourceKind(const QString &path);

// Finds the media files in a copype folder or a media root, without copying them.
Result<MediaFiles> findMediaFiles(const QString &folder);

// Extracts the media files from the ISO 9660 (or Joliet) tree of `iso` into `outDir` (which
// must exist), each written atomically as boot.wim, bootmgr, boot.sdi, BCD. Errc::Unsupported
// when the ISO 9660 tree has no sources/boot.wim (a UDF-only medium: try UDF).
Result<MediaFiles> extractIso9660Media(
    const QString &iso, const QString &outDir, Progress &progress);

// The file names extractIso9660Media and UDF extraction write into their output folder.
QString mediaOutputName(const char *mediaPath);

} // namespace pecast::wim
