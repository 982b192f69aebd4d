#pragma once

// What the user dropped or chose on the Source page, decided by the file system and the suffix:
// the wizard builds from a WIM, an ISO or a copype/media folder, and edits an existing image.

#include <QString>
#include <QStringList>

namespace pecast::ui {

enum class SourceType {
    None, // empty, missing or not one of the kinds below
    Wim, // .wim / .esd: built from directly
    Iso, // boot media: its boot.wim, bootmgr and boot.sdi are extracted first
    Folder, // an ADK copype folder or a media root: used in place
    RawImage, // .img / .dd / .raw: opened on the Edit image page (replace the WIM)
    VirtualDisk, // .vhd / .vhdx / .qcow2 / .vmdk / .vdi: inspected through libguestfs only
};

SourceType sourceTypeOf(const QString &path);
bool isDiskImage(SourceType type);

// Suffixes (lower case, no dot) of each file kind, for drops and file dialogs.
QStringList wimSuffixes();
QStringList isoSuffixes();
QStringList rawImageSuffixes();
QStringList virtualDiskSuffixes();
QStringList allSourceSuffixes();

// libguestfs' format name for a virtual disk ("qcow2", "vpc" for .vhd, ...).
QString guestfsFormatOf(const QString &path);

} // namespace pecast::ui
