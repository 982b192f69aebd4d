#include "disk/grubbootcode.h"

#include "disk/logging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtEndian>

#include <unistd.h>

#include <cerrno>

namespace pecast::disk {

namespace {

// Debian's grub-pc-bin installs the i386-pc modules and boot.img here.
constexpr char kDefaultGrubDir[] = "/usr/lib/grub/i386-pc";
constexpr char kGrubPackage[] = "grub-pc-bin";
// What core.img needs to reach \bootmgr: the BIOS disk driver, MBR partitions, NTFS and the
// ntldr loader (which pulls in boot and chain itself); bootchain.md.
const QStringList kCoreModules { QStringLiteral("biosdisk"), QStringLiteral("part_msdos"),
    QStringLiteral("ntfs"), QStringLiteral("ntldr") };
// An empty drive means "the BIOS boot drive", so this works whatever number memdisk assigns.
constexpr char kPrefix[] = "(,msdos1)/boot/grub";
// Runs in GRUB's rescue parser (no normal.mod): load bootmgr like NTLDR and start it.
constexpr char kEmbeddedConfig[] = "ntldr /bootmgr\nboot\n";
// grub-mkimage finishes in well under a second; a bound keeps a wedged tool from hanging a build.
constexpr int kMkimageTimeoutMs = 60000;

Error missing(const QString &what)
{
    return Error(Errc::NotFound, QStringLiteral("GRUB boot code: %1 not found").arg(what))
        .withHint(QStringLiteral("Install the %1 package (apt install %1).")
                      .arg(QLatin1String(kGrubPackage)));
}

Status pwriteAll(int fd, const QByteArray &data, qint64 offset, const QString &what)
{
    qint64 done = 0;
    while (done < data.size()) {
        const ssize_t n = ::pwrite(
            fd, data.constData() + done, size_t(data.size() - done), off_t(offset + done));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return Error::fromErrno(errno, QStringLiteral("writing %1").arg(what));
        }
        done += n;
    }
    return {};
}

} // namespace

QString GrubBootCode::grubDirectory()
{
    const QString fromEnv = qEnvironmentVariable("PECAST_GRUB_DIR");
    return fromEnv.isEmpty() ? QString::fromLatin1(kDefaultGrubDir) : fromEnv;
}

Result<GrubBootCode> GrubBootCode::build(Progress &progress)
{
    progress.beginStage(QStringLiteral("Building GRUB boot code"));
    const QString dir = grubDirectory();
    const QString bootImgPath = dir + QStringLiteral("/boot.img");
    if (!QFileInfo::exists(bootImgPath))
        return missing(bootImgPath);
    for (const QString &module : kCoreModules) {
        const QString path = dir + QLatin1Char('/') + module + QStringLiteral(".mod");
        if (!QFileInfo::exists(path))
            return missing(path);
    }
    const QString mkimage = QStandardPaths::findExecutable(QStringLiteral("grub-mkimage"));
    if (mkimage.isEmpty())
        return missing(QStringLiteral("grub-mkimage (in PATH)"))
            .withHint(QStringLiteral("Install the grub-common and %1 packages.")
                          .arg(QLatin1String(kGrubPackage)));

    QFile bootImgFile(bootImgPath);
    if (!bootImgFile.open(QIODevice::ReadOnly))
        return Error(
            Errc::Io, QStringLiteral("reading %1: %2").arg(bootImgPath, bootImgFile.errorString()));
    GrubBootCode code;
    code.m_bootImage = bootImgFile.readAll();
    if (code.m_bootImage.size() != kSectorSize)
        return Error(Errc::BadFormat,
            QStringLiteral("%1 is %2 bytes, expected 512")
                .arg(bootImgPath)
                .arg(code.m_bootImage.size()));

    QTemporaryDir temp;
    if (!temp.isValid())
        return Error(Errc::Io, QStringLiteral("creating a temporary directory for grub-mkimage"));
    const QString configPath = temp.filePath(QStringLiteral("embedded.cfg"));
    const QString corePath = temp.filePath(QStringLiteral("core.img"));
    {
        QFile config(configPath);
        if (!config.open(QIODevice::WriteOnly) || config.write(kEmbeddedConfig) < 0)
            return Error(Errc::Io, QStringLiteral("writing %1").arg(configPath));
    }
    QProcess process;
    QStringList args { QStringLiteral("-O"), QStringLiteral("i386-pc"), QStringLiteral("-d"), dir,
        QStringLiteral("-o"), corePath, QStringLiteral("-c"), configPath, QStringLiteral("-p"),
        QString::fromLatin1(kPrefix) };
    args += kCoreModules;
    process.start(mkimage, args);
    if (!process.waitForFinished(kMkimageTimeoutMs) || process.exitStatus() != QProcess::NormalExit
        || process.exitCode() != 0) {
        if (process.state() != QProcess::NotRunning) {
            process.kill();
            process.waitForFinished();
        }
        return Error(Errc::Library,
            QStringLiteral("grub-mkimage failed: %1")
                .arg(QString::fromLocal8Bit(process.readAllStandardError()).trimmed()));
    }
    QFile coreFile(corePath);
    if (!coreFile.open(QIODevice::ReadOnly))
        return Error(Errc::Io, QStringLiteral("reading %1").arg(corePath));
    code.m_coreImage = coreFile.readAll();
    if (code.m_coreImage.size() < kSectorSize)
        return Error(Errc::BadFormat, QStringLiteral("grub-mkimage wrote an empty core.img"));
    const qsizetype padded
        = (code.m_coreImage.size() + kSectorSize - 1) / kSectorSize * kSectorSize;
    code.m_coreImage.append(QByteArray(padded - code.m_coreImage.size(), '\0'));

    // boot.img: core.img's first sector is LBA 1, DL from the BIOS, and the hard-disk patch.
    auto *boot = reinterpret_cast<uchar *>(code.m_bootImage.data());
    qToLittleEndian<quint64>(1, boot + kKernelSectorOffset);
    boot[kBootDriveOffset] = 0xFF;
    boot[kDriveCheckOffset] = 0x90;
    boot[kDriveCheckOffset + 1] = 0x90;

    // grub-mkimage fills the first-sector blocklist for a contiguous core.img at LBA 1; verify.
    const auto *core = reinterpret_cast<const uchar *>(code.m_coreImage.constData());
    const quint64 start = qFromLittleEndian<quint64>(core + kBlocklistOffset);
    const quint16 length = qFromLittleEndian<quint16>(core + kBlocklistOffset + 8);
    if (start != 2 || length != quint16(code.coreSectors() - 1))
        return Error(Errc::BadFormat,
            QStringLiteral("core.img blocklist is LBA %1 + %2 sectors, expected LBA 2 + %3")
                .arg(start)
                .arg(length)
                .arg(code.coreSectors() - 1));
    qCDebug(lcDisk) << "GRUB core.img" << code.coreSectors() << "sectors";
    return code;
}

Status GrubBootCode::writeTo(int fd, const DiskLayout &layout) const
{
    if (1 + coreSectors() > int(layout.partitionLba))
        return Error(Errc::InvalidInput,
            QStringLiteral("GRUB core.img (%1 sectors) does not fit before the partition at LBA %2")
                .arg(coreSectors())
                .arg(layout.partitionLba));
    const QByteArray mbr = buildMbr(layout, m_bootImage.left(kBootCodeBytes));
    if (auto s = pwriteAll(fd, mbr, 0, QStringLiteral("the MBR")); !s)
        return s;
    return pwriteAll(fd, m_coreImage, kSectorSize, QStringLiteral("GRUB core.img"));
}

Status writeBootCode(int fd, const DiskLayout &layout, const GrubBootCode &bootCode)
{
    return bootCode.writeTo(fd, layout);
}

} // namespace pecast::disk
