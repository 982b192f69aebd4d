#pragma once

// What `pecast serve --slam/--tftm` and the Serve page switch on: the multicast services that
// ServeController runs beside HTTP (see multicastservices.h).

#include <QString>

namespace pecast::serve {

struct MulticastSettings
{
    bool slam = false;
    quint16 slamPort = 10000; // iPXE's SLAM_DEFAULT_PORT
    QString slamGroup = QStringLiteral("239.255.1.1:10000"); // iPXE's only usable group
    int slamBlockSize = 1451; // mini-slamd's size; fits a 1500-byte frame
    bool allowLarge = false; // SLAM images >= 512 MiB (64-bit iPXE only)

    bool tftm = false;
    quint16 tftpPort = 69; // tftm:// and tftp:// default port
    QString tftmGroup = QStringLiteral("239.255.2.1:1758"); // first of one port per 64K blocks
    int tftmWindow = 32; // TftpServerConfig::window

    QString interface; // multicast interface (name or address); empty: the kernel's route
    int ttl = 1; // local segment only
    double rateMbit = 0; // multicast output cap, 0 = unlimited
};

} // namespace pecast::serve
