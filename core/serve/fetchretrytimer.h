#pragma once

// iPXE's retry timer (src/net/retry.c), which paces the SLAM and TFTP clients: the timeout
// doubles on every expiry; an expiry whose doubled timeout would pass the maximum reports
// failure; stopping folds the measured round trip in (t = 7t/8 + rtt/2); starting enforces the
// minimum. Our clients use it so that they behave like real ones on the wire.

#include <chrono>

namespace pecast::serve {

class FetchRetryTimer
{
public:
    using Clock = std::chrono::steady_clock;
    using Duration = std::chrono::microseconds;

    // iPXE: DEFAULT_MIN_TIMEOUT = TICKS_PER_SEC / 4, DEFAULT_MAX_TIMEOUT = 10 * TICKS_PER_SEC.
    static constexpr Duration kMin = std::chrono::milliseconds(250);
    static constexpr Duration kMax = std::chrono::seconds(10);

    void start(Clock::time_point now)
    {
        if (m_timeout < kMin)
            m_timeout = kMin;
        if (m_timeout > kMax)
            m_timeout = kMax;
        m_started = now;
        m_running = true;
    }
    void startFixed(Clock::time_point now, Duration timeout)
    {
        m_timeout = timeout;
        m_started = now;
        m_running = true;
    }
    void stop(Clock::time_point now)
    {
        if (!m_running)
            return;
        m_running = false;
        const auto rtt = std::chrono::duration_cast<Duration>(now - m_started);
        m_timeout = (m_timeout * 7) / 8 + rtt / 2;
    }
    bool running() const { return m_running; }
    Clock::time_point expiry() const { return m_started + m_timeout; }
    bool due(Clock::time_point now) const { return m_running && now >= expiry(); }
    // Call when due(): stops the timer and backs off. Returns true for "fail".
    bool expire()
    {
        m_running = false;
        m_timeout *= 2;
        if (m_timeout > kMax) {
            m_timeout = kMax;
            return true;
        }
        return false;
    }

private:
    Duration m_timeout { 0 };
    Clock::time_point m_started;
    bool m_running = false;
};

} // namespace pecast::serve
