#pragma once
// Private to core/store: a few threads that compress or decompress chunks while the calling thread
// does the HDF5 work (HDF5 serialises its own calls, so only the caller touches it).

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

namespace scenelens::store {

class WorkerPool {
public:
    /// threads <= 0: one per core.
    explicit WorkerPool(int threads);
    /// Drops jobs not yet started (their futures report a broken promise) and waits for the rest.
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    int threads() const { return int(threads_.size()); }
    /// Runs job on a worker; the future rethrows what the job threw.
    std::future<void> submit(std::function<void()> job);

private:
    void work();

    std::vector<std::thread> threads_;
    std::deque<std::packaged_task<void()>> jobs_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
};

/// Threads to use for `requested` (0: one per core), never more than there is work for.
int threadCount(int requested, long long jobs);

} // namespace scenelens::store
