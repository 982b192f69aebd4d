#pragma once

// libguestfs, for images PEcast did not build: old-style layouts (a partition at sector 63,
// other boot code), qcow2/VHD/VMDK for inspection, UDF media, and ntfsresize on a partition.
// A GuestImage owns one guestfs handle and its appliance (a small VM: 15-40 s to start under
// TCG), so callers open one per job and do all their work through it.
//
// Launch: under KVM the appliance hangs on some machines (measured here: "Booting from ROM"
// and then nothing) or fails with emulation errors. When a KVM launch shows no kernel output
// within LaunchOptions::kvmKernelTimeoutSeconds, does not finish within kvmTimeoutSeconds, or
// fails, the appliance is killed and started again with TCG (software emulation), notice()
// says so for the user, and later launches in this process use TCG straight away. With
// LIBGUESTFS_BACKEND_SETTINGS=force_tcg (what the tests set) TCG is used from the start.
// Cancel: a stop request kills a launch in progress and interrupts uploads and downloads
// (guestfs_user_cancel), which then fail with Errc::Cancelled.

#include "util/error.h"
#include "util/progress.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

namespace pecast::disk {

class GuestImage
{
public:
    struct Drive
    {
        QString path;
        bool readOnly = true;
        QString format; // "raw", "qcow2", "vpc", "vmdk", "vhdx"; empty: from the file name
    };

    struct LaunchOptions
    {
        int kvmTimeoutSeconds = 60; // a KVM launch takes ~5 s; far beyond it, it hangs
        // Under KVM the appliance's kernel prints its first line within a second; a hung KVM
        // (nested virtualization) never gets there: give up on KVM after this long.
        int kvmKernelTimeoutSeconds = 15;
        int tcgTimeoutSeconds = 600; // TCG takes 15-40 s on 2 cores; leave room for load
    };

    static Result<GuestImage> launch(
        const QList<Drive> &drives, Progress &progress, const LaunchOptions &options);
    static Result<GuestImage> launch(const QList<Drive> &drives, Progress &progress);

    // The format libguestfs should use for `path`: by extension, raw otherwise.
    static QString formatFor(const QString &path);

    GuestImage(GuestImage &&other) noexcept;
    GuestImage &operator=(GuestImage &&other) noexcept;
    GuestImage(const GuestImage &) = delete;
    GuestImage &operator=(const GuestImage &) = delete;
    ~GuestImage(); // fallback: closes the handle, logging a warning if close() was not called

    // What the user should know about the launch ("KVM did not start within 60 s; used TCG"),
    // empty when nothing unusual happened.
    QString notice() const;

    Result<QStringList> devices(); // whole disks: /dev/sda, ...
    Result<QStringList> partitions(); // /dev/sda1, ...
    Result<QString> filesystemType(const QString &device); // "ntfs", "udf", "" when none
    // Partition number and the byte range of a partition device.
    Result<int> partitionNumber(const QString &device);
    Result<qint64> partitionStart(const QString &device);
    Result<qint64> partitionSize(const QString &device);

    Status mount(const QString &device, bool readOnly, const QString &fsType = {});
    Status unmountAll();

    // The real (case-preserved) path for a case-insensitive one ("/BOOT/bcd" -> "/Boot/BCD"),
    // or NotFound.
    Result<QString> resolvePath(const QString &path);
    bool isFile(const QString &path);
    Result<qint64> fileSize(const QString &path);
    Result<QStringList> listFiles(const QString &directory); // recursive, relative paths
    Result<QByteArray> readFile(const QString &path);
    Status download(const QString &path, const QString &localFile, Progress &progress);
    Status upload(const QString &localFile, const QString &path, Progress &progress);
    Status writeFile(const QString &path, const QByteArray &data);
    Status remove(const QString &path);
    qint64 freeBytes(const QString &mountpoint = QStringLiteral("/"));

    // Grows the (unmounted) NTFS on `device` to fill its partition, then clears the dirty flag
    // ntfsresize sets (ntfsfix -d).
    Status ntfsResize(const QString &device);

    // Unmounts, syncs and stops the appliance; the first error wins.
    Status close();

    struct Impl;

private:
    explicit GuestImage(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace pecast::disk
