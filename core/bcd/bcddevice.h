#pragma once

// Device elements (bcd-format.md §3): boot, partition (MBR signature + byte offset, or GPT disk
// and partition GUIDs), ramdisk (a parent boot/partition device, a path and an options object),
// locate (read only). encode() produces bytes identical to bcdedit's; decode() is bounds-checked.

#include "util/error.h"

#include <QByteArray>
#include <QString>
#include <QUuid>

namespace pecast::bcd {

class BcdDevice
{
public:
    enum class Kind { Boot, Partition, Ramdisk, Locate, Unknown };
    enum class PartitionStyle { Mbr, Gpt };

    BcdDevice() = default; // Kind::Unknown, no bytes

    static BcdDevice boot();
    static BcdDevice mbrPartition(quint32 diskSignature, quint64 byteOffset);
    static BcdDevice gptPartition(const QUuid &disk, const QUuid &partition);
    // A RAM disk loaded from `path` on `parent` (Boot or Partition), with its options object.
    static BcdDevice ramdisk(const BcdDevice &parent, const QString &path, const QUuid &options);

    // Parses a device element value; Errc::BadFormat when it is truncated or inconsistent.
    static Result<BcdDevice> decode(const QByteArray &element);
    QByteArray encode() const; // Unknown/Locate: the bytes they were decoded from

    Kind kind() const { return m_kind; }
    // For a ramdisk: the kind of its parent (Boot or Partition).
    Kind parentKind() const { return m_parentKind; }
    BcdDevice parentDevice() const; // for a ramdisk: its parent as a Boot/Partition device
    PartitionStyle partitionStyle() const { return m_style; }
    quint32 diskSignature() const { return m_signature; }
    quint64 partitionOffset() const { return m_offset; }
    QUuid diskGuid() const { return m_diskGuid; }
    QUuid partitionGuid() const { return m_partitionGuid; }
    QString path() const { return m_path; } // ramdisk image path, locate path
    QUuid options() const { return m_options; } // the "additional options" object (ramdisk)
    quint32 locateElement() const { return m_locateElement; }

    // The bcdedit way: "boot", "partition=[...]", "ramdisk=[boot]\x.wim,{ramdiskoptions}",
    // "locate=custom:12000002".
    QString toString() const;

    bool operator==(const BcdDevice &other) const { return encode() == other.encode(); }

private:
    QByteArray encodeDescriptor() const; // Boot/Partition/Ramdisk descriptor (no options GUID)
    QString partitionText() const; // "signature 0x12345678, offset 1048576"

    Kind m_kind = Kind::Unknown;
    Kind m_parentKind = Kind::Unknown;
    PartitionStyle m_style = PartitionStyle::Mbr;
    quint32 m_signature = 0;
    quint64 m_offset = 0;
    QUuid m_diskGuid;
    QUuid m_partitionGuid;
    QString m_path;
    QUuid m_options;
    quint32 m_locateElement = 0;
    QByteArray m_raw; // decoded bytes, kept for Unknown and Locate
};

} // namespace pecast::bcd
