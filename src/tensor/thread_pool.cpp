// The thread pool's job hand-off. One mutex guards the job description; tasks are handed out one at a
// time under that mutex (tasks are coarse: a GEMM tile or a slice of a vector, so the lock is cheap).
#include "tensor/thread_pool.h"

namespace mnist {

ThreadPool::ThreadPool(size_t threads) {
    worker_count_ = threads > 1 ? threads - 1 : 0;
    workers_.reserve(worker_count_);
    for (size_t t = 0; t < worker_count_; ++t) workers_.emplace_back([this, t] { worker_loop(t + 1); });
}

ThreadPool::~ThreadPool() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    job_ready_.notify_all();
    for (std::thread& worker : workers_) worker.join();
}

void ThreadPool::run(size_t count, TaskFunction function, const void* context) {
    if (count == 0) return;
    if (worker_count_ == 0 || count == 1) {  // nothing to share: run inline, no locking
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
        ++generation_;
    }
    job_ready_.notify_all();
    work(0);
    std::unique_lock<std::mutex> lock(mutex_);
    job_done_.wait(lock, [this] { return tasks_finished_ == task_count_; });
    function_ = nullptr;
}

void ThreadPool::work(size_t thread) {
    std::unique_lock<std::mutex> lock(mutex_);
    while (next_task_ < task_count_) {
        const size_t index = next_task_++;
        const TaskFunction function = function_;
        const void* context = context_;
        lock.unlock();
        function(context, index, thread);
        lock.lock();
        if (++tasks_finished_ == task_count_) job_done_.notify_all();
    }
}

void ThreadPool::worker_loop(size_t thread) {
    unsigned long long seen = 0;
    for (;;) {
        {
            std::unique_lock<std::mutex> lock(mutex_);
            job_ready_.wait(lock, [&] { return stopping_ || generation_ != seen; });
            if (stopping_) return;
            seen = generation_;
        }
        work(thread);
    }
}

size_t default_thread_count() {
    const unsigned n = std::thread::hardware_concurrency();  // may be 0 when unknown
    return n == 0 ? 1 : n;
}

}  // namespace mnist
