#pragma once

namespace pecast {

// Call once from main(), before any thread starts: wimlib_global_init is not thread-safe, and
// queued signals need our value types registered.
void initLibraries();

} // namespace pecast
