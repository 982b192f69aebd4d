#pragma once

// Round-trip estimate for one SLAM client (ping sent -> its NACK received) and the re-ping
// timeout derived from it, as TCP does for its RTO (RFC 6298): srtt + 4 rttvar, clamped.
// A fixed re-ping interval either floods a slow client with pings (each one answered by a NACK
// for blocks already on their way) or leaves a lost ping unrepaired for too long.

#include <algorithm>
#include <chrono>

namespace pecast::serve {

class SlamRttEstimator
{
public:
    using Duration = std::chrono::microseconds;

    SlamRttEstimator(Duration initial, Duration minimum, Duration maximum)
        : m_timeout(std::clamp(initial, minimum, maximum))
        , m_min(minimum)
        , m_max(maximum)
    { }

    template <typename Rep, typename Period>
    void addSample(std::chrono::duration<Rep, Period> rtt)
    {
        const auto sample = std::chrono::duration_cast<Duration>(rtt);
        if (!m_hasSample) {
            m_srtt = sample;
            m_rttvar = sample / 2;
            m_hasSample = true;
        } else {
            const Duration delta = m_srtt > sample ? m_srtt - sample : sample - m_srtt;
            m_rttvar = (m_rttvar * 3 + delta) / 4;
            m_srtt = (m_srtt * 7 + sample) / 8;
        }
        m_timeout = std::clamp(m_srtt + m_rttvar * 4, m_min, m_max);
    }

    // How long to wait for the answer to the first ping of a series; the n-th repeat waits
    // 2^n times as long.
    Duration timeout() const { return m_timeout; }
    Duration timeoutForRepeat(int pingsSent) const
    {
        return std::min(m_max, m_timeout * (1 << std::clamp(pingsSent - 1, 0, 6)));
    }
    bool hasSample() const { return m_hasSample; }
    Duration smoothed() const { return m_srtt; }

private:
    Duration m_timeout;
    Duration m_min;
    Duration m_max;
    Duration m_srtt { 0 };
    Duration m_rttvar { 0 };
    bool m_hasSample = false;
};

} // namespace pecast::serve
