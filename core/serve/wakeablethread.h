#pragma once

// The worker thread of a poll-driven server (SLAM, TFTM/TFTP): started once, stopped from any
// thread. stop() raises a flag and writes to an eventfd that the worker polls next to its socket,
// so a worker blocked in poll() wakes at once instead of at its next timeout.

#include "util/error.h"
#include "util/uniquefd.h"

#include <atomic>
#include <functional>
#include <thread>

namespace pecast::serve {

class WakeableThread
{
public:
    WakeableThread() = default;
    WakeableThread(const WakeableThread &) = delete;
    WakeableThread &operator=(const WakeableThread &) = delete;
    ~WakeableThread() { stop(); }

    // Creates the wake-up eventfd; call before start() and before polling wakeFd().
    Status init();
    void start(std::function<void()> body);
    // Idempotent; returns once the worker has left its body.
    void stop();

    bool stopping() const { return m_stopping.load(); }
    int wakeFd() const { return m_wakeFd.get(); } // readable once stop() was called

private:
    UniqueFd m_wakeFd;
    std::atomic<bool> m_stopping { false };
    std::thread m_thread;
};

} // namespace pecast::serve
