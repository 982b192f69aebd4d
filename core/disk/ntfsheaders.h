#pragma once

// libntfs-3g's C headers, in the order they need: the system headers they use without including
// (they expect a config.h), types.h, then the rest. Private to core/disk.

#include <stdarg.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

extern "C" {
#include <ntfs-3g/attrib.h>
#include <ntfs-3g/device.h>
#include <ntfs-3g/dir.h>
#include <ntfs-3g/inode.h>
#include <ntfs-3g/logging.h>
#include <ntfs-3g/types.h>
#include <ntfs-3g/volume.h>
}

// support.h defines min() and max() macros that break the C++ standard library.
#undef min
#undef max
