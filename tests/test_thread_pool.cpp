// The thread pool runs every task of every job exactly once, with task and thread indices in range, across
// many short jobs of changing sizes (the hand-off between jobs is where a pool goes wrong), and
// parallel_for returns only when its job is done. A watchdog turns a hang into a failure.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "check.h"
#include "tensor/thread_pool.h"

using namespace mnist;

int main() {
    start_watchdog("test_thread_pool", 120);
    for (size_t threads : {1, 2, 3, 5}) {
        ThreadPool pool(threads);
        // Without threads (MNIST_THREADS=0) every pool is just the calling thread.
        CHECK(pool.size() == (ThreadPool::kThreadsAvailable ? threads : 1));
        std::vector<std::atomic<int>> runs(64);
        long wrong_runs = 0;
        std::atomic<long> bad_index{0};
        for (long job = 0; job < 20000; ++job) {
            const size_t count = job % 3 == 0 ? 2 : job % 3 == 1 ? 64 : 7;
            for (size_t i = 0; i < count; ++i) runs[i] = 0;
            pool.parallel_for(count, [&](size_t index, size_t thread) {
                if (index >= count) { ++bad_index; return; }
                if (thread >= threads) ++bad_index;
                runs[index].fetch_add(1);
            });
            // Every task has finished when parallel_for returns, each exactly once.
            for (size_t i = 0; i < count; ++i) wrong_runs += runs[i].load() != 1;
        }
        CHECK(bad_index.load() == 0);
        CHECK(wrong_runs == 0);
    }
    ThreadPool zero(0);  // 0 threads means "just the caller"
    CHECK(zero.size() == 1);
    CHECK(default_thread_count() >= 1);
    return check_exit("test_thread_pool");
}
