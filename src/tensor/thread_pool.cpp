// The thread pool's job hand-off: one mutex guards the job; waiting is a short poll of an atomic copy of
// the state, then a condition variable (see thread_pool.h for why both).
#include "tensor/thread_pool.h"

#include <string>

#include "util/check.h"

namespace mnist {

#if MNIST_THREADS

namespace {

// Polls `done` (yielding the CPU between polls) for up to kSpinMicroseconds; true if it became true.
template <class Condition>
bool poll_for_a_while(const Condition& done) {
    const auto start = std::chrono::steady_clock::now();
    const auto limit = std::chrono::duration<double, std::micro>(ThreadPool::kSpinMicroseconds);
    while (!done()) {
        if (std::chrono::steady_clock::now() - start > limit) return false;
        std::this_thread::yield();
    }
    return true;
}

}  // namespace

ThreadPool::ThreadPool(size_t threads) {
    const size_t extra = threads > 1 ? threads - 1 : 0;
    workers_.reserve(extra);
    for (size_t t = 0; t < extra; ++t) workers_.emplace_back([this, t] { worker_loop(t + 1); });
}

ThreadPool::~ThreadPool() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
        generation_.fetch_add(1);  // wakes pollers, who then see stopping_
    }
    job_ready_.notify_all();
    for (std::thread& worker : workers_) worker.join();
}

void ThreadPool::run(size_t count, TaskFunction function, const void* context) {
    if (count == 0) return;
    if (workers_.empty() || count == 1) {  // nothing to share: run inline
        for (size_t i = 0; i < count; ++i) function(context, i, 0);
        return;
    }
    {
        std::lock_guard<std::mutex> lock(mutex_);
        function_ = function;
        context_ = context;
        task_count_ = count;
        next_task_ = 0;
        tasks_finished_ = 0;
        job_finished_.store(false);
        worker_joined_ = false;
        if (stats_) {
            ++stats_->jobs;
            job_posted_ = std::chrono::steady_clock::now();
        }
        generation_.fetch_add(1);
    }
    job_ready_.notify_all();
    work(0);
    const auto own_tasks_done = stats_ ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point();
    const auto finished = [&] { return job_finished_.load(); };
    if (!poll_for_a_while(finished)) {
        std::unique_lock<std::mutex> lock(mutex_);
        job_done_.wait(lock, finished);
    }
    if (stats_)
        stats_->wait_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - own_tasks_done).count();
}

void ThreadPool::work(size_t thread) {
    std::unique_lock<std::mutex> lock(mutex_);
    while (next_task_ < task_count_) {
        const size_t index = next_task_++;
        if (thread != 0 && !worker_joined_) {  // the first task a worker takes in this job
            worker_joined_ = true;
            if (stats_) {
                ++stats_->jobs_joined;
                stats_->wake_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - job_posted_).count();
            }
        }
        const TaskFunction function = function_;
        const void* context = context_;
        lock.unlock();
        function(context, index, thread);
        lock.lock();
        if (++tasks_finished_ == task_count_) {
            job_finished_.store(true);
            job_done_.notify_all();
        }
    }
}

void ThreadPool::worker_loop(size_t thread) {
    uint64_t seen = 0;
    for (;;) {
        const auto new_job = [&] { return generation_.load() != seen; };
        if (!poll_for_a_while(new_job)) {
            std::unique_lock<std::mutex> lock(mutex_);
            job_ready_.wait(lock, new_job);
        }
        seen = generation_.load();
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (stopping_) return;
        }
        work(thread);
    }
}

size_t ThreadPool::size() const { return workers_.size() + 1; }

void ThreadPool::set_stats(PoolStats* stats) {
    std::lock_guard<std::mutex> lock(mutex_);
    stats_ = stats;
}

size_t default_thread_count() {
    const unsigned n = std::thread::hardware_concurrency();  // may be 0 when unknown
    return n == 0 ? 1 : n;
}

#else  // a build without threads: everything runs on the calling thread

ThreadPool::ThreadPool(size_t) {}
ThreadPool::~ThreadPool() {}
size_t ThreadPool::size() const { return 1; }
void ThreadPool::set_stats(PoolStats*) {}  // nothing is handed out, so nothing to measure
void ThreadPool::run(size_t count, TaskFunction function, const void* context) {
    for (size_t i = 0; i < count; ++i) function(context, i, 0);
}
size_t default_thread_count() { return 1; }

#endif

size_t thread_count_to_use(uint64_t requested) {
    if (requested == 0) return default_thread_count();
    if (requested > 1 && !ThreadPool::kThreadsAvailable)
        throw UsageError("--threads " + std::to_string(requested) + ": threads are unavailable in this build (built "
                         "with THREADS=0); use --threads 1");
    return static_cast<size_t>(requested);
}

}  // namespace mnist
