// `mnist bench`: how fast our GEMM and training step are on this machine. Prints, for the MLP's twelve GEMM
// shapes at batch 128 (forward, weight gradient and input gradient of each layer) and for square matrices,
// the GFLOP/s of the naive triple loop and of our blocked GEMM on 1 and on N threads; then the whole
// training step in samples per second and the projected seconds per epoch. Timing lives here, never in
// tests. See docs/08-gemm.md.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/run_common.h"
#include "nn/mlp.h"
#include "tensor/gemm.h"
#include "tensor/gemm_stages.h"
#include "train/trainer.h"
#include "util/rng.h"

namespace mnist {

namespace {

const std::vector<OptionSpec>& bench_options() {
    static const std::vector<OptionSpec> specs = {
        {"threads", "N", "all", "threads for the parallel columns (the 1-thread column is always run)"},
        {"batch", "N", "128", "batch size of the MLP shapes and the training step"},
        {"hidden", "LIST", "512,256,128", "hidden layer sizes of the benchmarked MLP"},
        {"seconds", "S", "0.3", "minimum measuring time per figure"},
        {"no-naive", "", "", "skip the naive triple loop (slow)"},
        {"help", "", "", "show this help"},
    };
    return specs;
}

struct Shape {
    std::string name;
    Op op_a, op_b;
    size_t m, n, k;
};

using Clock = std::chrono::steady_clock;

// Runs `work` until at least `min_seconds` have passed (after one warm-up call); returns seconds per call.
template <class Work>
double time_per_call(double min_seconds, const Work& work) {
    work();
    size_t calls = 0;
    const auto start = Clock::now();
    double elapsed = 0;
    do {
        work();
        ++calls;
        elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    } while (elapsed < min_seconds);
    return elapsed / static_cast<double>(calls);
}

Matrix random_matrix(size_t rows, size_t cols, Rng& rng) {
    Matrix m(rows, cols);
    for (float& v : m.values) v = static_cast<float>(uniform_double(rng) - 0.5);
    return m;
}

// Seconds per call of one shape: naive (if asked), blocked on compute_one, blocked on compute_many.
struct ShapeTimes {
    double naive = 0, one = 0, many = 0;
};

ShapeTimes time_shape(const Shape& s, Compute& compute_one, Compute& compute_many, double seconds, bool naive, Rng& rng) {
    const Matrix a = s.op_a == Op::none ? random_matrix(s.m, s.k, rng) : random_matrix(s.k, s.m, rng);
    const Matrix b = s.op_b == Op::none ? random_matrix(s.k, s.n, rng) : random_matrix(s.n, s.k, rng);
    Matrix c(s.m, s.n);
    ShapeTimes t;
    if (naive)
        t.naive = time_per_call(seconds / 3, [&] { gemm_naive(s.op_a, s.op_b, 1.0f, a.view(), b.view(), 0.0f, c.view()); });
    t.one = time_per_call(seconds, [&] { gemm(compute_one, s.op_a, s.op_b, 1.0f, a.view(), b.view(), 0.0f, c.view()); });
    t.many = time_per_call(seconds, [&] { gemm(compute_many, s.op_a, s.op_b, 1.0f, a.view(), b.view(), 0.0f, c.view()); });
    return t;
}

double gflops(double flops, double seconds) { return seconds > 0 ? flops / seconds * 1e-9 : 0.0; }

// A GFLOP/s column entry; "-" for a figure that was not measured.
std::string column(double flops, double seconds, int width) {
    char text[32];
    if (seconds > 0)
        std::snprintf(text, sizeof text, "%*.1f", width, gflops(flops, seconds));
    else
        std::snprintf(text, sizeof text, "%*s", width, "-");
    return text;
}

// One training step (forward, backward, L2, Adam) on random data; seconds per step.
double time_training_step(Compute& compute, const std::vector<size_t>& sizes, size_t batch, double seconds) {
    Mlp mlp = make_mlp(sizes, 1);
    MlpWorkspace ws = make_mlp_workspace(mlp, batch);
    Rng rng = make_rng(3, 0);
    for (float& v : ws.input.values) v = static_cast<float>(uniform_double(rng));
    for (uint8_t& y : ws.labels) y = static_cast<uint8_t>(uniform_below(rng, sizes.back()));
    AdamState adam = make_adam_state(mlp.layout.total);
    const TrainSettings settings;  // the report's recipe
    uint64_t step = 0;
    return time_per_call(seconds, [&] { train_step(compute, mlp, ws, adam, settings, batch, step++); });
}

}  // namespace

int bench_command(const std::vector<std::string>& args) {
    const ParsedOptions options = parse_options("bench", args, bench_options());
    if (option_flag(options, "help")) {
        std::printf("usage: mnist bench [options]\nGEMM and training-step speed on this machine.\n\noptions:\n%s",
                    options_help(bench_options()).c_str());
        return kExitOk;
    }
    const size_t threads = threads_option(options);
    const size_t batch = option_unsigned(options, "batch", 1, 65536);
    const std::vector<size_t> hidden = option_size_list(options, "hidden", 65536, true);
    const double seconds = option_real(options, "seconds", 0.001, 60);
    const bool naive = !option_flag(options, "no-naive");

    std::vector<size_t> sizes = {784};
    sizes.insert(sizes.end(), hidden.begin(), hidden.end());
    sizes.push_back(10);
    std::vector<Shape> shapes;
    for (size_t l = 0; l + 1 < sizes.size(); ++l) {
        const size_t in = sizes[l], out = sizes[l + 1];
        const std::string layer = std::to_string(in) + "->" + std::to_string(out);
        shapes.push_back({layer + " forward  X W^T", Op::none, Op::transpose, batch, out, in});
        shapes.push_back({layer + " weight grad dZ^T X", Op::transpose, Op::none, out, in, batch});
        shapes.push_back({layer + " input grad  dZ W", Op::none, Op::none, batch, in, out});
    }
    Compute compute_one(1), compute_many(threads);
    Rng rng = make_rng(2, 0);
    std::printf("GEMM GFLOP/s (C = op(A) op(B), m x n x k), %zu hardware threads, %zu used for the last column\n",
                default_thread_count(), threads);
    std::printf("%-32s %16s %8s %10s %10s\n", "shape", "m x n x k", "naive", "1 thread", "N threads");
    double total_flops = 0, total_naive = 0, total_one = 0, total_many = 0;
    double step_flops = 0, step_one_gemm = 0, step_many_gemm = 0;  // the eleven a training step computes
    for (size_t i = 0; i < shapes.size(); ++i) {
        const Shape& s = shapes[i];
        const double flops = 2.0 * s.m * s.n * s.k;
        const ShapeTimes t = time_shape(s, compute_one, compute_many, seconds, naive, rng);
        char dims[48];
        std::snprintf(dims, sizeof dims, "%zux%zux%zu", s.m, s.n, s.k);
        const bool skipped_in_training = i == 2;  // the first layer's input gradient
        std::printf("%-32s %16s %s %s %s%s\n", s.name.c_str(), dims, column(flops, t.naive, 8).c_str(),
                    column(flops, t.one, 10).c_str(), column(flops, t.many, 10).c_str(),
                    skipped_in_training ? "   (not needed in training)" : "");
        total_flops += flops;
        total_naive += t.naive;
        total_one += t.one;
        total_many += t.many;
        if (!skipped_in_training) {
            step_flops += flops;
            step_one_gemm += t.one;
            step_many_gemm += t.many;
        }
    }
    std::printf("%-32s %16s %s %s %s\n", "all twelve together", "", column(total_flops, total_naive, 8).c_str(),
                column(total_flops, total_one, 10).c_str(), column(total_flops, total_many, 10).c_str());
    std::printf("%-32s %16s %8s %s %s   (%.2f / %.2f ms per step)\n", "the eleven a training step runs", "", "",
                column(step_flops, step_one_gemm, 10).c_str(), column(step_flops, step_many_gemm, 10).c_str(),
                step_one_gemm * 1e3, step_many_gemm * 1e3);
    for (size_t n : {256, 512, 1024}) {
        const Shape s = {"square " + std::to_string(n), Op::none, Op::none, n, n, n};
        const ShapeTimes t = time_shape(s, compute_one, compute_many, seconds, naive && n <= 512, rng);
        char dims[48];
        std::snprintf(dims, sizeof dims, "%zux%zux%zu", n, n, n);
        const double flops = 2.0 * n * n * n;
        std::printf("%-32s %16s %s %s %s\n", s.name.c_str(), dims, column(flops, t.naive, 8).c_str(),
                    column(flops, t.one, 10).c_str(), column(flops, t.many, 10).c_str());
    }

    // The steps of docs/08-gemm.md on one square product, each adding one idea to the previous.
    {
        const size_t n = 512;
        const double flops = 2.0 * n * n * n;
        const Matrix a = random_matrix(n, n, rng), b = random_matrix(n, n, rng);
        Matrix c(n, n);
        std::printf("\nthe steps of docs/08-gemm.md on %zu x %zu x %zu (GFLOP/s):\n", n, n, n);
        const auto stage = [&](const char* name, auto&& run) {
            std::printf("  %-52s %7.1f\n", name, gflops(flops, time_per_call(seconds, run)));
        };
        if (naive) stage("1. naive triple loop (i, j, p)", [&] { gemm_stage_naive(a.view(), b.view(), c.view()); });
        stage("2. loop order (i, p, j): unit stride, vectorised", [&] { gemm_stage_loop_order(a.view(), b.view(), c.view()); });
        stage("3. + cache blocking (KC, MC, NC)", [&] { gemm_stage_blocked(a.view(), b.view(), c.view()); });
        stage("4. + packing the blocks", [&] { gemm_stage_packed(a.view(), b.view(), c.view()); });
        stage("5. + register-tile micro-kernel (gemm, 1 thread)",
              [&] { gemm(compute_one, Op::none, Op::none, 1.0f, a.view(), b.view(), 0.0f, c.view()); });
        char name[64];
        std::snprintf(name, sizeof name, "6. + threads (gemm, %zu threads)", threads);
        stage(name, [&] { gemm(compute_many, Op::none, Op::none, 1.0f, a.view(), b.view(), 0.0f, c.view()); });
    }

    const double step_one = time_training_step(compute_one, sizes, batch, 2 * seconds);
    const double step_many = time_training_step(compute_many, sizes, batch, 2 * seconds);
    const double steps_per_epoch = (54000.0 + batch - 1) / batch;
    std::printf("\ntraining step (forward, backward, L2, Adam) at batch %zu:\n", batch);
    std::printf("  1 thread : %7.3f ms/step, %8.0f samples/s, %.2f s per 54,000-image epoch\n", step_one * 1e3,
                batch / step_one, step_one * steps_per_epoch);
    std::printf("  %zu threads: %7.3f ms/step, %8.0f samples/s, %.2f s per 54,000-image epoch (%.2fx)\n", threads,
                step_many * 1e3, batch / step_many, step_many * steps_per_epoch, step_one / step_many);
    return kExitOk;
}

}  // namespace mnist
