#pragma once

// The iPXE script PEcast serves as /boot.ipxe, and what a technician pastes elsewhere to reach it.
//
// memdisk mode:                         sanboot mode:
//   #!ipxe                                #!ipxe
//   kernel memdisk raw                    sanboot image.img
//   initrd image.img
//   boot
// URLs are relative by default: iPXE resolves them against the script's own URL, so one script
// works on every interface and address the server listens on.

#include <QString>

namespace pecast::serve {

enum class BootMode {
    Memdisk, // download the whole image, memdisk emulates a disk in RAM
    Sanboot, // iPXE reads 512-byte blocks on demand with HTTP Range requests
};

struct IpxeScriptOptions
{
    BootMode mode = BootMode::Memdisk;
    QString memdiskUrl = QStringLiteral("memdisk");
    // "raw" is what the boot chain was tested with (docs/bootchain.md); users may edit it.
    QString memdiskArgs = QStringLiteral("raw");
    QString imageUrl = QStringLiteral("image.img"); // may be "image.img.gz" or another scheme
};

class IpxeScript
{
public:
    explicit IpxeScript(IpxeScriptOptions options = {});

    const IpxeScriptOptions &options() const { return m_options; }
    QString text() const; // the script, with a comment on what each line does

    // Typed at an iPXE prompt (Ctrl-B): "dhcp && chain http://192.168.1.10:8080/boot.ipxe"
    static QString chainCommand(const QString &scriptUrl);
    // Ready-to-paste DHCP configuration that hands iPXE clients the script and others iPXE.
    static QString dnsmasqSnippet(const QString &scriptUrl);
    static QString iscDhcpdSnippet(const QString &scriptUrl);

private:
    IpxeScriptOptions m_options;
};

// Default memdisk location (Debian syslinux-common).
QString defaultMemdiskPath();

} // namespace pecast::serve
