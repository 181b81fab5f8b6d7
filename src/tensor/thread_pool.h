// A persistent pool of std::threads that runs "task i for i in [0, count)" and waits for all of them.
// Created once per run. Tasks must write disjoint outputs: that, not the pool, is what makes results
// identical for any thread count. See docs/09-gemm.md ("Threads").
//
// Waiting: after a job, a worker polls for the next one for up to kSpinMicroseconds (yielding the CPU on
// every poll), and only then sleeps on a condition variable. On the virtual machines we measured, waking a
// sleeping thread took 50-100 us, while a training step hands out a job every 20-200 us: a pool that always
// slept would spend more time waking up than computing (2 threads gave 1.5x; with the short poll, 1.9x).
// An idle pool costs nothing once the poll has timed out.
#pragma once

// Threads can be left out at compile time (`make THREADS=0`, i.e. -DMNIST_THREADS=0) for toolchains that
// lack them: the pool is then just the calling thread, and nothing of <thread> is in the program.
#ifndef MNIST_THREADS
#define MNIST_THREADS 1
#endif

#include <cstddef>
#include <cstdint>
#include <vector>
#if MNIST_THREADS
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#endif

namespace mnist {

// What a pool measured while its statistics were switched on (ThreadPool::set_stats; `mnist bench` does,
// to show where a training step's time goes). Jobs run inline (one thread, or one task) are not counted.
struct PoolStats {
    uint64_t jobs = 0;         // jobs handed to the workers
    uint64_t jobs_joined = 0;  // ... in which a worker ran at least one task (else the caller did them all)
    double wake_seconds = 0;   // from posting a job to the first worker task in it, summed over joined jobs
    double wait_seconds = 0;   // the calling thread, its own tasks done, waiting for the workers' to finish
};

class ThreadPool {
public:
    // Whether this build has threads at all (see MNIST_THREADS above).
    static constexpr bool kThreadsAvailable = MNIST_THREADS != 0;

    // `threads` counts the calling thread: 1 means no extra threads at all. 0 is treated as 1, and so is
    // any number in a build without threads.
    explicit ThreadPool(size_t threads);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    size_t size() const;

    // Calls task(index, thread) for every index in [0, count), spread over the threads; `thread` is in
    // [0, size()) and lets a task use per-thread scratch space. Returns when every task has finished.
    // The calling thread works too. No allocation: the task is passed by reference, not copied.
    template <class Task>
    void parallel_for(size_t count, const Task& task) {
        run(count, [](const void* context, size_t index, size_t thread) {
                (*static_cast<const Task*>(context))(index, thread);
            }, &task);
    }

    static constexpr double kSpinMicroseconds = 100.0;

    // Measure into *stats from now on (nullptr: stop; the default). Only between jobs. While off, the
    // pool reads no clock.
    void set_stats(PoolStats* stats);

private:
    using TaskFunction = void (*)(const void* context, size_t index, size_t thread);
    void run(size_t count, TaskFunction function, const void* context);
    void work(size_t thread);  // claim and run tasks until none is left unclaimed
    void worker_loop(size_t thread);

#if MNIST_THREADS
    std::vector<std::thread> workers_;
    // The current job and its progress, all guarded by mutex_: a task is claimed and its function read under
    // the lock, so a worker can never mix one job's function with another job's task numbers.
    std::mutex mutex_;
    TaskFunction function_ = nullptr;
    const void* context_ = nullptr;
    size_t task_count_ = 0, next_task_ = 0, tasks_finished_ = 0;
    bool stopping_ = false;
    PoolStats* stats_ = nullptr;
    bool worker_joined_ = false;                         // this job: has a worker run a task yet?
    std::chrono::steady_clock::time_point job_posted_;  // this job: when run() handed it out (stats only)
    // Copies of the job's generation and of "all tasks finished", readable without the lock while polling.
    std::atomic<uint64_t> generation_{0};
    std::atomic<bool> job_finished_{true};
    std::condition_variable job_ready_, job_done_;  // for sleeping once a poll has timed out
#endif
};

// The thread count to use when the user gives none: every hardware thread, at least 1 (1 without threads).
size_t default_thread_count();
// The thread count for a --threads value: 0 means default_thread_count(). Throws UsageError for more than one
// thread in a build without threads (THREADS=0).
size_t thread_count_to_use(uint64_t requested);

}  // namespace mnist
