#pragma once

// The layout of a PEcast raw disk image: an MBR with one active NTFS partition (type 0x07) that
// starts at 1 MiB (LBA 2048, so GRUB's core.img fits in the gap) and ends on a 255x63 cylinder
// boundary, so memdisk's geometry guess from the partition's end CHS matches the NTFS BPB.

#include "util/error.h"

#include <QByteArray>

namespace pecast::disk {

constexpr qint64 kSectorSize = 512; // the only sector size BIOS INT 13h and memdisk use
constexpr quint32 kHeads = 255; // the de-facto BIOS translation for disks > 504 MiB; bootchain.md
constexpr quint32 kSectorsPerTrack = 63; // ditto
constexpr quint32 kCylinderSectors = kHeads * kSectorsPerTrack; // 16065
constexpr qint64 kCylinderBytes = kCylinderSectors * kSectorSize; // 8,225,280
constexpr quint32 kPartitionStartLba = 2048; // 1 MiB: room for core.img; what modern tools use
constexpr quint8 kPartitionTypeNtfs = 0x07; // NTFS/exFAT/HPFS
// memdisk cannot use memory above 4 GiB (bootchain.md), so an image can never be larger.
constexpr qint64 kMaxDiskBytes = qint64(4) * 1024 * 1024 * 1024;

struct DiskLayout
{
    qint64 diskBytes = 0; // total image size; a whole number of cylinders
    quint32 signature = 0; // MBR disk signature (0x1B8)
    quint32 partitionLba = kPartitionStartLba;
    quint32 partitionSectors = 0; // ends at diskBytes: the last sector of the last cylinder

    qint64 partitionOffset() const { return qint64(partitionLba) * kSectorSize; }
    qint64 partitionBytes() const { return qint64(partitionSectors) * kSectorSize; }
};

// Rounds diskBytes UP to a whole number of cylinders (an explicit size never shrinks) and places
// the partition. signature 0 picks a random non-zero signature. Fails for sizes below one
// cylinder or above kMaxDiskBytes.
Result<DiskLayout> planLayout(qint64 diskBytes, quint32 signature = 0);

// Rounds a byte count up to a whole number of cylinders.
qint64 roundUpToCylinder(qint64 bytes);

// The 512-byte MBR sector: bootCode (up to 440 bytes, zeros when empty), the disk signature,
// one active partition entry with consistent 255/63 CHS values, and 55 AA.
QByteArray buildMbr(const DiskLayout &layout, const QByteArray &bootCode = {});

// CHS triple as stored in a partition entry (3 bytes); LBAs past cylinder 1023 clamp to
// 1023/254/63 as every partitioning tool does.
QByteArray encodeChs(quint32 lba);

} // namespace pecast::disk
