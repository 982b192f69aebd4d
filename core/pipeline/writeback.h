#pragma once

// Background writeback of a file being written: a thread asks the kernel about ten times a
// second to start writing the file's dirty pages (sync_file_range, SYNC_FILE_RANGE_WRITE). The
// kernel would otherwise hold a 1 GiB image in the page cache until the final fsync (the dirty
// thresholds are a share of RAM), making that fsync wait for all of it; and doing the request
// from the writing thread would make the copy wait while the I/O is submitted.

#include <condition_variable>
#include <mutex>
#include <thread>

namespace pecast::pipeline {

class Writeback
{
public:
    explicit Writeback(int fd); // starts the thread; the fd must outlive this object
    // The destructor stops the thread (the stop wakes its wait) and joins it: at most one
    // sync_file_range call later.

    Writeback(const Writeback &) = delete;
    Writeback &operator=(const Writeback &) = delete;

private:
    void run(int fd, std::stop_token stop);

    std::mutex m_mutex;
    std::condition_variable_any m_wake;
    std::jthread m_thread; // last: it uses the members above
};

} // namespace pecast::pipeline
