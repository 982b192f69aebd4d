#pragma once

// SLAM and TFTM as ServeServices: ServeController adds them with addMulticastServices() when
// ServeSettings::multicast switches them on. The generated script then fetches the image over
// the multicast protocol and falls back to HTTP on clients without it:
//   initrd --name image.img x-slam://10.0.0.1 || initrd image.img
//   initrd --name image.img tftm://10.0.0.1/image.img || initrd image.img

#include "serve/multicastsettings.h"
#include "serve/serveservice.h"

#include <memory>
#include <vector>

namespace pecast::serve {

void addMulticastServices(
    std::vector<std::unique_ptr<ServeService>> &services, const MulticastSettings &settings);

} // namespace pecast::serve
