// A persistent pool of std::threads that runs "task i for i in [0, count)" and waits for all of them.
// Created once per run; workers sleep on a condition variable between jobs (no spin-waiting). Tasks must
// write disjoint outputs: that, not the pool, is what makes results identical for any thread count.
// See docs/08-gemm.md ("Threads").
#pragma once

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>
#include <vector>

namespace mnist {

class ThreadPool {
public:
    // `threads` counts the calling thread: 1 means no extra threads at all. 0 is treated as 1.
    explicit ThreadPool(size_t threads);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    size_t size() const { return worker_count_ + 1; }

    // Calls task(index, thread) for every index in [0, count), spread over the threads; `thread` is in
    // [0, size()) and lets a task use per-thread scratch space. Returns when every task has finished.
    // The calling thread works too. No allocation: the task is passed by reference, not copied.
    template <class Task>
    void parallel_for(size_t count, const Task& task) {
        run(count, [](const void* context, size_t index, size_t thread) {
                (*static_cast<const Task*>(context))(index, thread);
            }, &task);
    }

private:
    using TaskFunction = void (*)(const void* context, size_t index, size_t thread);
    void run(size_t count, TaskFunction function, const void* context);
    void work(size_t thread);          // the body shared by workers and the caller
    void worker_loop(size_t thread);

    size_t worker_count_ = 0;
    std::vector<std::thread> workers_;
    std::mutex mutex_;
    std::condition_variable job_ready_, job_done_;
    // The current job, guarded by mutex_.
    TaskFunction function_ = nullptr;
    const void* context_ = nullptr;
    size_t task_count_ = 0, next_task_ = 0, tasks_finished_ = 0;
    unsigned long long generation_ = 0;  // bumped for each job, so a worker runs each job once
    bool stopping_ = false;
};

// The thread count to use when the user gives none: every hardware thread, at least 1.
size_t default_thread_count();

}  // namespace mnist
