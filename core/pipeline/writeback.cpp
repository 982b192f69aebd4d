#include "pipeline/writeback.h"

#include <fcntl.h>

#include <chrono>

namespace pecast::pipeline {

namespace {

// Often enough that little is left for the final fsync, rarely enough to cost nothing.
constexpr std::chrono::milliseconds kInterval { 100 };

} // namespace

Writeback::Writeback(int fd)
    : m_thread([this, fd](std::stop_token stop) { run(fd, std::move(stop)); })
{ }

void Writeback::run(int fd, std::stop_token stop)
{
    std::unique_lock lock(m_mutex);
    while (!m_wake.wait_for(lock, stop, kInterval, [] { return false; })) {
        if (stop.stop_requested())
            return;
        lock.unlock();
        // Best effort: an error here shows up again in the fsync that follows.
        (void)::sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
        lock.lock();
    }
}

} // namespace pecast::pipeline
