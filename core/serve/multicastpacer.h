#pragma once

// Token bucket for multicast output: a client's 4-block window throttles one iPXE client, but
// not the aggregate of many, and a NIC ring in a PXE ROM is small. Rate 0 = unlimited.

#include <chrono>
#include <cstdint>

namespace pecast::serve {

class MulticastPacer
{
public:
    using Clock = std::chrono::steady_clock;

    explicit MulticastPacer(double megabitsPerSecond = 0);

    // True when `bytes` may be sent now (and takes the tokens).
    bool tryTake(int bytes, Clock::time_point now);
    // How long until `bytes` can be sent (zero when unlimited or ready).
    std::chrono::microseconds waitFor(int bytes, Clock::time_point now);
    bool unlimited() const { return m_bytesPerSecond <= 0; }
    // Changes the rate (bytes per second, 0 = unlimited), keeping the tokens collected so far.
    void setBytesPerSecond(double bytesPerSecond);
    double bytesPerSecond() const { return m_bytesPerSecond; }

private:
    void refill(Clock::time_point now);

    double m_bytesPerSecond = 0;
    double m_burst = 0; // bucket size: a few ms worth of packets, so pacing stays smooth
    double m_tokens = 0;
    Clock::time_point m_last;
};

} // namespace pecast::serve
