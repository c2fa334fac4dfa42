#include "store/WorkerPool.h"

#include <algorithm>

namespace scenelens::store {

WorkerPool::WorkerPool(int threads) {
    const int count = threadCount(threads, 1LL << 30);
    for (int i = 0; i < count; ++i)
        threads_.emplace_back([this] { work(); });
}

WorkerPool::~WorkerPool() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        jobs_.clear();
    }
    wake_.notify_all();
    for (std::thread& thread : threads_)
        thread.join();
}

std::future<void> WorkerPool::submit(std::function<void()> job) {
    std::packaged_task<void()> task(std::move(job));
    std::future<void> done = task.get_future();
    {
        std::lock_guard lock(mutex_);
        jobs_.push_back(std::move(task));
    }
    wake_.notify_one();
    return done;
}

void WorkerPool::work() {
    for (;;) {
        std::packaged_task<void()> task;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
            if (stopping_)
                return;
            task = std::move(jobs_.front());
            jobs_.pop_front();
        }
        task();
    }
}

int threadCount(int requested, long long jobs) {
    const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
    const long long wanted = requested > 0 ? requested : cores;
    return int(std::max(1LL, std::min(wanted, jobs)));
}

} // namespace scenelens::store
