#pragma once

// Output rate for the SLAM server that follows its receivers: a receiver that cannot keep up
// (a slow NIC, a CPU busy elsewhere) drops whole runs of blocks from its full receive queue,
// which iPXE reports as a NACK for 4 blocks in a row that had all been sent to it. Random loss
// almost never does that (0.02^4 at 2 % loss). On such a burst the limit drops to half the rate
// actually sent recently (at most once per hold-off, since one overflow shows up in several
// NACKs); without bursts it grows back by 25 % per 100 ms and is dropped (no pacing) after
// 1.2 s. The configured cap, if any, always applies.

#include <algorithm>
#include <chrono>
#include <cmath>

namespace pecast::serve {

class SlamRateController
{
public:
    using Clock = std::chrono::steady_clock;

    // capBytesPerSecond 0 = no cap.
    explicit SlamRateController(double capBytesPerSecond = 0)
        : m_cap(capBytesPerSecond)
    { }

    // Every data packet sent.
    void sent(int bytes, Clock::time_point now)
    {
        if (m_windowStart == Clock::time_point())
            m_windowStart = now;
        m_windowBytes += bytes;
        const double seconds = std::chrono::duration<double>(now - m_windowStart).count();
        if (seconds >= kMeasureSeconds) {
            m_measured = m_windowBytes / seconds;
            m_windowBytes = 0;
            m_windowStart = now;
        }
    }

    // A NACK showed a burst loss. Returns true when the limit was lowered.
    bool burstLoss(Clock::time_point now)
    {
        if (m_lastDecrease != Clock::time_point() && now - m_lastDecrease < kHoldOff)
            return false;
        const double current = uncappedAt(now);
        double base = current;
        if (m_measured > 0)
            base = current > 0 ? std::min(current, m_measured) : m_measured;
        if (base <= 0)
            return false; // nothing measured yet
        m_limit = std::max(kFloor, base / 2);
        m_lastDecrease = now;
        return true;
    }

    // The limit now in bytes per second; 0 = unlimited.
    double rateAt(Clock::time_point now) const
    {
        const double limit = uncappedAt(now);
        if (m_cap > 0)
            return limit > 0 ? std::min(limit, m_cap) : m_cap;
        return limit;
    }

    double measured() const { return m_measured; }

private:
    double uncappedAt(Clock::time_point now) const
    {
        if (m_limit <= 0)
            return 0;
        const double steps
            = std::chrono::duration<double>(now - m_lastDecrease).count() / kGrowSeconds;
        if (steps >= kReleaseSteps)
            return 0; // grown far past the cut without a new overflow: stop pacing
        return m_limit * std::pow(kGrowth, steps);
    }

    // Output rate measured over windows of this length.
    static constexpr double kMeasureSeconds = 0.05;
    // One receive-queue overflow is reported by several NACKs within a few round trips.
    static constexpr auto kHoldOff = std::chrono::milliseconds(200);
    // Without overflows the limit grows by kGrowth per kGrowSeconds (x2.4 in 0.4 s) and is
    // dropped after kReleaseSteps of those (x14.6): a queue that overflowed once is not slowed
    // for long, one that keeps overflowing is cut again within a few round trips.
    static constexpr double kGrowSeconds = 0.1;
    static constexpr double kGrowth = 1.25;
    static constexpr double kReleaseSteps = 12;
    // Never below this (bytes/s): ~700 blocks a second keeps every client's timers quiet.
    static constexpr double kFloor = 1e6;

    double m_cap = 0;
    double m_limit = 0;
    double m_measured = 0;
    double m_windowBytes = 0;
    Clock::time_point m_windowStart;
    Clock::time_point m_lastDecrease;
};

} // namespace pecast::serve
