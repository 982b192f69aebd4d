#pragma once

// What to build, as data only (the kpmcore "operation" idea): the wizard's summary page and
// `pecast build --dry-run` print it, runBuild() executes it. Nothing here touches the disk.

#include "util/error.h"

#include <QJsonObject>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace pecast::pipeline {

// How \boot\BCD names the disk that holds the RAM-disk files.
enum class BcdDevice {
    Boot, // "boot": whatever disk bootmgr was started from; the image can be copied anywhere
    Partition, // this image's real MBR signature and partition offset
};

// Where the files go inside the NTFS partition.
enum class Layout {
    Classic, // \bootmgr \boot\BCD \boot.sdi \winpe.wim (the original recipe)
    Media, // \bootmgr \boot\BCD \boot\boot.sdi \sources\boot.wim (like Windows media)
};

QString bcdDeviceName(BcdDevice device); // "boot" / "partition"
std::optional<BcdDevice> parseBcdDevice(const QString &name);
QString layoutName(Layout layout); // "classic" / "media"
std::optional<Layout> parseLayout(const QString &name);

// "auto" → 0; "512MiB", "1GiB", "600M", "1G", plain "600" (MiB) → bytes. InvalidInput otherwise.
Result<qint64> parseSize(const QString &text);

struct BuildPlan
{
    QString wimPath; // the source WIM
    int imageIndex = 0; // 1-based; 0 = the WIM's boot index (or 1 when it has none)
    QString bootmgrPath; // empty: take \Windows\Boot\PXE\bootmgr.exe etc. from the chosen image
    QString sdiPath; // empty: take boot.sdi from the chosen image
    BcdDevice bcdDevice = BcdDevice::Boot;
    Layout layout = Layout::Classic;
    qint64 sizeBytes = 0; // disk image size; 0 = auto (see autoDiskSize() in sizing.h)
    bool gzip = false; // write OUT as a gzip stream (memdisk inflates it)
    bool overwrite = false; // replace an existing output (--force)
    bool allowNonBootable = false; // build even when the image looks unbootable (--force)
    bool recompress = false; // re-export solid/LZMS sources as LZX (bootmgr cannot read LZMS)
    // Report the output's SHA-256. Costs one more read of the whole image (from the page cache,
    // CPU-bound); `pecast build` asks only with --sha256, the wizard shows it. A gzip build has it
    // anyway (its stream is hashed as it is written).
    bool sha256 = true;
    QString label = QStringLiteral("PECAST"); // NTFS volume label
    std::optional<quint32> diskSignature; // MBR signature; empty = random, never 0
    QString description = QStringLiteral("WinPE"); // BCD boot entry description
    int bcdTimeoutSeconds = 0; // bootmgr's menu timeout; with one entry it shows no menu anyway
    QString outputPath; // the image to create (".gz" is not added automatically)

    // Checks the plan without touching files: required fields, index, size, label.
    Status validate() const;
    // Where GRUB's i386-pc files are taken from: $PECAST_GRUB_DIR or /usr/lib/grub/i386-pc.
    static QString grubDirectory();

    // Human-readable, one "key: value" per line, then the steps that will run.
    QString toText() const;
    QJsonObject toJson() const;
};

// Paths of the four files inside the partition, for a layout ("\bootmgr", "\boot\BCD", ...).
struct LayoutPaths
{
    QString bootmgr;
    QString bcd;
    QString sdi;
    QString wim;
};
LayoutPaths layoutPaths(Layout layout);

} // namespace pecast::pipeline

Q_DECLARE_METATYPE(pecast::pipeline::BuildPlan)
