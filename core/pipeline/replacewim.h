#pragma once

// Replacing the WIM inside an existing raw image (PEcast's own or an old-style one made by
// hand): find the NTFS partition holding \bootmgr and \boot\BCD, read where the BCD boots the
// RAM disk from, write the new WIM there (or at a new path, updating the BCD's device
// elements), and when it does not fit, grow the image file, the partition's MBR entry and the
// NTFS (ntfsresize). The boot code, the disk signature, the other partition entries and every
// other file keep their bytes.
//
// Output: by default a new image (-o OUT) or the original replaced atomically (a copy is edited,
// then renamed over it); a failed or cancelled edit leaves the original byte-identical. inPlace
// edits the original directly when no growth is needed (fastest; a failure may leave it damaged).
//
// Engines: InProcess opens the NTFS with libntfs-3g at the partition's offset and grows it by
// running ntfsresize on a scratch copy of the partition; Guestfs does the resize and the file
// writes inside the libguestfs appliance (no partition copy, but 15-40 s to start it).

#include "util/error.h"
#include "util/progress.h"

#include <QString>
#include <QStringList>

namespace pecast::pipeline {

struct ReplaceWimRequest
{
    enum class Engine { InProcess, Guestfs };

    QString image; // raw MBR disk image
    QString newWim;
    QString output; // empty: replace `image` (atomically unless inPlace)
    bool inPlace = false;
    bool overwrite = false; // an existing `output` may be replaced
    QString wimPathInImage; // empty: the path the BCD names; else write there, update the BCD
    Engine engine = Engine::InProcess;
};

struct ReplaceWimResult
{
    int partition = 0; // MBR index of the boot partition
    qint64 partitionOffset = 0;
    QString wimPath; // in the image, as the BCD names it after the edit ("\winpe.wim")
    QString sdiPath; // as the BCD names it
    QString oldWimPath;
    qint64 oldWimBytes = 0;
    qint64 newWimBytes = 0;
    qint64 oldImageBytes = 0;
    qint64 newImageBytes = 0;
    bool grown = false;
    bool bcdUpdated = false;
    QString notice; // e.g. libguestfs fell back to TCG
};

Result<ReplaceWimResult> replaceWim(const ReplaceWimRequest &request, Progress &progress);

// What `pecast image show` reports: the image opened read-only with libguestfs (raw, qcow2,
// VHD, VMDK, ...), the partition holding \bootmgr and \boot\BCD, its files, the BCD and where
// it boots the WIM and boot.sdi from.
struct GuestBootInfo
{
    QString device; // "/dev/sda1"
    int partition = 0;
    QString filesystem; // "ntfs"
    QStringList files; // every path on the partition, '/' separated, sorted
    QString bcdPath;
    QString bcdDump; // bcd::dumpText
    QString wimPath; // as the BCD names it ("\winpe.wim"), empty if it boots no RAM disk
    bool wimPresent = false;
    qint64 wimBytes = -1;
    QString sdiPath;
    bool sdiPresent = false;
    QString notice;
};
Result<GuestBootInfo> inspectWithGuestfs(
    const QString &image, const QString &format, Progress &progress);

} // namespace pecast::pipeline
