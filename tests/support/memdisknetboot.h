#pragma once

// A disk image booted the way PEcast clients boot it, from a loopback server of the test's own:
// QEMU's iPXE NIC ROM runs a boot.ipxe from TFTP that fetches memdisk and the image over HTTP
// (127.0.0.1, seen as 10.0.2.2 by the guest) and starts memdisk with `raw`.
//
//   const QemuBootResult boot = pecast::test::netbootMemdisk(imagePath);
//   QVERIFY2(boot.succeeded(), boot.describe().constData());

#include "qemuboot.h"

#include <QString>

namespace pecast::test {

// Debian's syslinux-common memdisk: the kernel iPXE loads to boot a disk image from RAM.
inline constexpr char kMemdiskPath[] = "/usr/lib/syslinux/memdisk";

// Boots `image` (raw or gzip) through iPXE + memdisk. When the HTTP or TFTP side cannot be set
// up, QEMU is not started and errorString says why (describe() shows it).
QemuBootResult netbootMemdisk(const QString &image);

} // namespace pecast::test
