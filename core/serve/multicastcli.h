#pragma once

// The multicast options of `pecast serve` (kept here so the command only adds two calls):
//   --slam [--slam-port N] [--slam-group ADDR:PORT] [--block-size N] [--allow-large]
//   --tftm [--tftp-port N] [--tftm-group ADDR:PORT] [--tftm-window N]
//   shared: [--interface IF] [--ttl N] [--rate MBIT]

#include "serve/multicastsettings.h"
#include "util/error.h"

#include <QCommandLineParser>

namespace pecast::serve {

void addMulticastOptions(QCommandLineParser &parser);
// Reads the options added above; Errc::InvalidInput with the option's name on bad values.
Status readMulticastOptions(const QCommandLineParser &parser, MulticastSettings &settings);

} // namespace pecast::serve
