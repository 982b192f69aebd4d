#pragma once

// The WinPE RAM-disk store, element for element the original recipe's bcdedit sequence
// (bcd-format.md §4): {bootmgr}, one osloader booting \winpe.wim from a RAM disk, and
// {ramdiskoptions} pointing at \boot.sdi. Device X is `boot` (default, disk-independent, as on
// Microsoft's media) or `partition` (exact MBR disk signature + partition byte offset).

#include "bcd/bcddevice.h"
#include "bcd/bcdstore.h"
#include "util/error.h"

#include <QString>
#include <QUuid>

#include <optional>

namespace pecast::bcd {

enum class DeviceMode { Boot, Partition };

struct WinPeStoreOptions
{
    DeviceMode device = DeviceMode::Boot;
    quint32 diskSignature = 0; // Partition mode: the image's MBR signature (non-zero)
    quint64 partitionOffset = 0; // Partition mode: partition start in bytes (LBA x 512)
    QString wimPath = QStringLiteral("\\winpe.wim");
    QString sdiPath = QStringLiteral("\\boot.sdi");
    QString description = QStringLiteral("WinPE");
    int timeout = 0; // seconds; with one entry bootmgr shows no menu anyway
    QString locale = QStringLiteral("en-US"); // empty: no locale element
    QUuid loaderId; // the osloader's GUID; null = a random one
};

// InvalidInput for a zero signature in partition mode, paths not starting with '\', a negative
// timeout.
Status validate(const WinPeStoreOptions &options);
Result<BcdStore> makeWinPeStore(const WinPeStoreOptions &options);
// Adds the WinPE osloader and {ramdiskoptions} to an existing store (creating {bootmgr} if
// missing), makes it the default and appends it to the display order. Returns the loader's id.
Result<QUuid> addWinPeEntry(BcdStore &store, const WinPeStoreOptions &options);

// What the image inspector needs from a store: where the RAM disk WIM and the SDI come from.
struct RamdiskBoot
{
    QUuid loader; // the osloader booting from the RAM disk
    BcdDevice parent; // where the WIM lives (Boot or Partition device)
    QString wimPath; // "\winpe.wim"
    QUuid options; // the options object named in the ramdisk device
    std::optional<BcdDevice> sdiDevice; // ramdisksdidevice, if set
    QString sdiPath; // ramdisksdipath, if set
};
// The {bootmgr} default if it boots a RAM disk, else the first such osloader; NotFound if none.
Result<RamdiskBoot> ramdiskBoot(const BcdStore &store);

} // namespace pecast::bcd
