#pragma once
// A fixed pool of worker threads for the t-SNE loop: hundreds of parallel passes per run would
// otherwise pay a thread start each time. Private to t-SNE.

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace scenelens::embed {

class TsneThreads {
public:
    /// threads <= 0: std::thread::hardware_concurrency().
    explicit TsneThreads(int threads);
    ~TsneThreads();
    TsneThreads(const TsneThreads&) = delete;
    TsneThreads& operator=(const TsneThreads&) = delete;

    int size() const { return workers_; }

    /// Calls body(begin, end, worker) on `size()` contiguous chunks of [0, count) and waits. The
    /// chunks depend only on count and size(), so per-worker partial sums reduce deterministically.
    void run(int count, const std::function<void(int, int, int)>& body);

private:
    void work(int worker);
    void runChunk(int worker);

    int workers_;
    std::vector<std::thread> threads_;
    std::mutex mutex_;
    std::condition_variable wake_, done_;
    const std::function<void(int, int, int)>* body_ = nullptr;
    int count_ = 0;
    long generation_ = 0;
    int pending_ = 0;
    bool stop_ = false;
};

} // namespace scenelens::embed
