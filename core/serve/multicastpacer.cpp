#include "serve/multicastpacer.h"

#include <algorithm>

namespace pecast::serve {

namespace {
// Bucket depth: 2 ms of output, but at least 4 full-size packets so that one client's 4-block
// request goes out in one burst.
constexpr double kBurstSeconds = 0.002;
constexpr double kMinBurstBytes = 4 * 1500;
} // namespace

MulticastPacer::MulticastPacer(double megabitsPerSecond)
    : m_bytesPerSecond(megabitsPerSecond * 1e6 / 8)
    , m_burst(std::max(kMinBurstBytes, m_bytesPerSecond * kBurstSeconds))
    , m_tokens(m_burst)
    , m_last(Clock::now())
{ }

void MulticastPacer::setBytesPerSecond(double bytesPerSecond)
{
    if (bytesPerSecond == m_bytesPerSecond)
        return;
    const auto now = Clock::now();
    if (!unlimited())
        refill(now);
    else
        m_last = now;
    m_bytesPerSecond = std::max(0.0, bytesPerSecond);
    m_burst = std::max(kMinBurstBytes, m_bytesPerSecond * kBurstSeconds);
    m_tokens = std::min(m_tokens, m_burst);
}

void MulticastPacer::refill(Clock::time_point now)
{
    const double seconds = std::chrono::duration<double>(now - m_last).count();
    if (seconds > 0) {
        m_tokens = std::min(m_burst, m_tokens + seconds * m_bytesPerSecond);
        m_last = now;
    }
}

bool MulticastPacer::tryTake(int bytes, Clock::time_point now)
{
    if (unlimited())
        return true;
    refill(now);
    if (m_tokens < bytes)
        return false;
    m_tokens -= bytes;
    return true;
}

std::chrono::microseconds MulticastPacer::waitFor(int bytes, Clock::time_point now)
{
    if (unlimited())
        return {};
    refill(now);
    if (m_tokens >= bytes)
        return {};
    const double seconds = (bytes - m_tokens) / m_bytesPerSecond;
    return std::chrono::microseconds(std::int64_t(seconds * 1e6) + 1);
}

} // namespace pecast::serve
