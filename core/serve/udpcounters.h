#pragma once

// The kernel's UDP drop counters (/proc/net/snmp) of the calling thread's network namespace:
// datagrams dropped because a socket's receive buffer was full, and sends refused because the
// send buffer or the interface's queue was. Tests and benchmarks tell real drops from lost
// packets with them.

namespace pecast::serve {

struct UdpCounters
{
    unsigned long long rcvbufErrors = 0;
    unsigned long long sndbufErrors = 0;
};

// Zeros when the counters cannot be read.
UdpCounters readUdpCounters();

} // namespace pecast::serve
