#include "embed/TsneThreads.h"

#include <algorithm>

namespace scenelens::embed {

TsneThreads::TsneThreads(int threads)
    : workers_(threads > 0 ? threads : std::max(1, int(std::thread::hardware_concurrency()))) {
    // The calling thread is worker 0, so only size() - 1 threads are started.
    for (int w = 1; w < workers_; ++w)
        threads_.emplace_back([this, w] { work(w); });
}

TsneThreads::~TsneThreads() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    for (std::thread& t : threads_)
        t.join();
}

void TsneThreads::runChunk(int worker) {
    const long begin = long(count_) * worker / workers_;
    const long end = long(count_) * (worker + 1) / workers_;
    if (begin < end)
        (*body_)(int(begin), int(end), worker);
}

void TsneThreads::run(int count, const std::function<void(int, int, int)>& body) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        body_ = &body;
        count_ = count;
        pending_ = workers_ - 1;
        ++generation_;
    }
    wake_.notify_all();
    runChunk(0);
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [this] { return pending_ == 0; });
}

void TsneThreads::work(int worker) {
    long seen = 0;
    for (;;) {
        {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
            if (stop_)
                return;
            seen = generation_;
        }
        runChunk(worker);
        std::lock_guard<std::mutex> lock(mutex_);
        if (--pending_ == 0)
            done_.notify_one();
    }
}

} // namespace scenelens::embed
