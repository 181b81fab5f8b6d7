// `mnist bench`: how fast our GEMM and training step are on this machine. Prints, for the MLP's twelve GEMM
// shapes at batch 128 (forward, weight gradient and input gradient of each layer) and for square matrices,
// the GFLOP/s of the naive triple loop and of our blocked GEMM on 1 and on N threads; then the whole
// training step in samples per second and the projected seconds per epoch, where the step's time goes (each
// GEMM, L2, Adam, the rest, the thread pool's hand-offs) on 1 and N threads, what filling a batch costs with
// and without augmentation, and what this CPU charges for subnormal floats. Timing lives here, never in
// tests. See docs/09-gemm.md, docs/12-augmentation.md and docs/06-adam.md.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/run_common.h"
#include "nn/adam.h"
#include "nn/l2.h"
#include "nn/mlp.h"
#include "tensor/gemm.h"
#include "tensor/gemm_stages.h"
#include "train/parallel_batch.h"
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

// A freshly initialised network with a batch of random pixels and labels: what a training step needs.
struct StepSetup {
    Mlp mlp;
    MlpWorkspace ws;
    AdamState adam;
    TrainSettings settings;  // the report's recipe
    uint64_t step = 0;
};

StepSetup make_step_setup(const std::vector<size_t>& sizes, size_t batch) {
    StepSetup s{make_mlp(sizes, 1), MlpWorkspace(), AdamState(), TrainSettings(), 0};
    s.ws = make_mlp_workspace(s.mlp, batch);
    Rng rng = make_rng(3, 0);
    for (float& v : s.ws.input.values) v = static_cast<float>(uniform_double(rng));
    for (uint8_t& y : s.ws.labels) y = static_cast<uint8_t>(uniform_below(rng, sizes.back()));
    s.adam = make_adam_state(s.mlp.layout.total);
    return s;
}

void run_step(Compute& compute, StepSetup& s) {
    train_step(compute, s.mlp, s.ws, s.adam, s.settings, s.ws.max_batch, s.step++, s.settings.adam.learning_rate);
}

// One training step (forward, backward, L2, Adam) on random data; seconds per step.
double time_training_step(Compute& compute, const std::vector<size_t>& sizes, size_t batch, double seconds) {
    StepSetup s = make_step_setup(sizes, batch);
    return time_per_call(seconds, [&] { run_step(compute, s); });
}

// Where a training step's time goes on `compute`: each GEMM shape and the pool's hand-offs, measured inside
// real steps; L2 and Adam timed on their own (the same calls the step makes); the rest is element-wise work
// (batch, bias gradients, dropout, softmax) and everything between the calls.
struct StepBreakdown {
    double step = 0, l2 = 0, adam = 0;  // seconds per step
    GemmProfile gemms;                  // seconds summed over `steps`
    PoolStats pool;                     // likewise
    size_t steps = 0;
};

StepBreakdown profile_training_step(Compute& compute, const std::vector<size_t>& sizes, size_t batch, double seconds) {
    StepSetup s = make_step_setup(sizes, batch);
    StepBreakdown b;
    run_step(compute, s);  // warm-up
    compute.profile = &b.gemms;
    compute.pool.set_stats(&b.pool);
    const auto start = Clock::now();
    do {
        run_step(compute, s);
        ++b.steps;
    } while (std::chrono::duration<double>(Clock::now() - start).count() < seconds);
    b.step = std::chrono::duration<double>(Clock::now() - start).count() / static_cast<double>(b.steps);
    compute.profile = nullptr;
    compute.pool.set_stats(nullptr);
    b.l2 = time_per_call(seconds / 4, [&] {
        l2_penalty_backward(compute, s.mlp.layout, s.ws.gradients, s.mlp.parameters, s.settings.l2_lambda);
    });
    b.adam = time_per_call(seconds / 4, [&] { adam_step(compute, s.mlp.parameters, s.ws.gradients, s.adam, s.settings.adam); });
    return b;
}

// What one GEMM of a training step is, from its transposes: forward X W^T, weight gradient dZ^T X, input
// gradient dZ W (docs/05-backprop.md).
const char* gemm_role(const GemmTiming& t) {
    if (t.op_b == Op::transpose) return "forward      X W^T";
    if (t.op_a == Op::transpose) return "weight grad  dZ^T X";
    return "input grad   dZ W";
}

void print_step_breakdown(const StepBreakdown& one, const StepBreakdown& many, size_t threads) {
    std::printf("\nwhere a training step's time goes (ms per step; the GEMMs and the pool measured inside %zu and %zu "
                "steps, L2 and Adam timed alone):\n", one.steps, many.steps);
    std::printf("  %-40s %14s %10s %10s %8s\n", "", "m x n x k", "1 thread", "N threads", "speed-up");
    const auto row = [](const char* name, const std::string& dims, double a, double b) {
        std::printf("  %-40s %14s %10.3f %10.3f %7.2fx\n", name, dims.c_str(), a * 1e3, b * 1e3, b > 0 ? a / b : 0.0);
    };
    double gemm_one = 0, gemm_many = 0;
    for (size_t i = 0; i < one.gemms.shapes.size() && i < many.gemms.shapes.size(); ++i) {
        const GemmTiming &a = one.gemms.shapes[i], &b = many.gemms.shapes[i];
        const double per_step_a = a.seconds / static_cast<double>(one.steps);
        const double per_step_b = b.seconds / static_cast<double>(many.steps);
        gemm_one += per_step_a;
        gemm_many += per_step_b;
        row(gemm_role(a), std::to_string(a.m) + "x" + std::to_string(a.n) + "x" + std::to_string(a.k), per_step_a,
            per_step_b);
    }
    row("all GEMMs", "", gemm_one, gemm_many);
    row("L2 gradient (Eq. (16))", "", one.l2, many.l2);
    row("Adam (Eq. (17)-(20))", "", one.adam, many.adam);
    row("the rest: batch, bias, dropout, softmax", "", one.step - gemm_one - one.l2 - one.adam,
        many.step - gemm_many - many.l2 - many.adam);
    row("whole step", "", one.step, many.step);
    const double steps = static_cast<double>(many.steps);
    std::printf("  the pool on %zu threads, per step: %.1f jobs handed out, a worker joined %.1f of them after %.1f us on "
                "average (%.3f ms in all); the calling thread then waited %.3f ms for the workers' tasks\n",
                threads, static_cast<double>(many.pool.jobs) / steps, static_cast<double>(many.pool.jobs_joined) / steps,
                many.pool.jobs_joined ? many.pool.wake_seconds / static_cast<double>(many.pool.jobs_joined) * 1e6 : 0.0,
                many.pool.wake_seconds / steps * 1e3, many.pool.wait_seconds / steps * 1e3);
}

// The subnormal penalty of this CPU: one training step with `fraction` of the first layer's weights set to a
// subnormal value (deliberately: the program itself never makes one), against the same step without. Each
// timed step starts from the same parameters and Adam state (the step's own flushing would otherwise clear
// them); the median of many steps. Returns {seconds without, seconds with}.
std::pair<double, double> time_subnormal_penalty(Compute& compute, const std::vector<size_t>& sizes, size_t batch,
                                                 double fraction, double seconds) {
    StepSetup s = make_step_setup(sizes, batch);
    run_step(compute, s);  // Adam's moments as in training, not all zero
    const std::vector<float> clean = s.mlp.parameters;
    std::vector<float> tainted = clean;
    const MatrixView first = weights_of(s.mlp.layout, tainted, 0);
    const size_t every = static_cast<size_t>(1.0 / fraction + 0.5);
    for (size_t i = 0; i < first.size(); i += every) first.data[i] = first.data[i] < 0 ? -1e-40f : 1e-40f;
    const AdamState adam = s.adam;
    const auto median_step = [&](const std::vector<float>& parameters) {
        std::vector<double> times;
        const auto start = Clock::now();
        while (times.size() < 5 || std::chrono::duration<double>(Clock::now() - start).count() < seconds) {
            s.mlp.parameters = parameters;  // same size: copies, no allocation
            s.adam.first_moment = adam.first_moment;
            s.adam.second_moment = adam.second_moment;
            s.adam.step = adam.step;
            const auto step_start = Clock::now();
            run_step(compute, s);
            times.push_back(std::chrono::duration<double>(Clock::now() - step_start).count());
        }
        std::sort(times.begin(), times.end());
        return times[times.size() / 2];
    };
    const double without = median_step(clean), with = median_step(tainted);
    return {without, with};
}

// Filling one batch of `batch` 28 x 28 images (random bytes: the cost does not depend on the content), plain
// (Eq. (1)) or augmented; seconds per batch.
double time_batch_filling(Compute& compute, size_t batch, AugmentKind kind, double seconds) {
    ImageSet images;
    images.count = batch;
    images.rows = images.cols = 28;
    Rng rng = make_rng(4, 0);
    for (size_t i = 0; i < batch * 784; ++i) images.pixels.push_back(static_cast<uint8_t>(uniform_below(rng, 256)));
    images.labels.assign(batch, 0);
    std::vector<uint32_t> indices(batch);
    for (size_t i = 0; i < batch; ++i) indices[i] = static_cast<uint32_t>(i);
    Matrix x(batch, 784);
    std::vector<uint8_t> labels(batch);
    AugmentSettings settings;
    settings.kind = kind;
    BatchAugmentation augmentation = make_batch_augmentation(settings, 28, 28, compute.pool.size());
    uint64_t step = 0;
    return time_per_call(seconds, [&] {
        if (kind == AugmentKind::none)
            load_batch_parallel(compute, x.view(), labels.data(), images, indices.data(), batch);
        else
            load_augmented_batch_parallel(compute, x.view(), labels.data(), images, indices.data(), batch,
                                          augmentation, step++);
    });
}

// The GEMM table: the three products of every layer's forward and backward pass at this batch size (the
// first layer's input gradient is timed but not needed in training), then square products.
void print_gemm_table(const std::vector<size_t>& sizes, size_t batch, Compute& compute_one, Compute& compute_many,
                      double seconds, bool naive, Rng& rng) {
    const size_t threads = compute_many.pool.size();
    std::vector<Shape> shapes;
    for (size_t l = 0; l + 1 < sizes.size(); ++l) {
        const size_t in = sizes[l], out = sizes[l + 1];
        const std::string layer = std::to_string(in) + "->" + std::to_string(out);
        shapes.push_back({layer + " forward  X W^T", Op::none, Op::transpose, batch, out, in});
        shapes.push_back({layer + " weight grad dZ^T X", Op::transpose, Op::none, out, in, batch});
        shapes.push_back({layer + " input grad  dZ W", Op::none, Op::none, batch, in, out});
    }
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

}

// The steps of docs/09-gemm.md on one square product, each adding one idea to the previous.
void print_gemm_steps(Compute& compute_one, Compute& compute_many, double seconds, bool naive, Rng& rng) {
    const size_t threads = compute_many.pool.size();
    const size_t n = 512;
    const double flops = 2.0 * n * n * n;
    const Matrix a = random_matrix(n, n, rng), b = random_matrix(n, n, rng);
    Matrix c(n, n);
    std::printf("\nthe steps of docs/09-gemm.md on %zu x %zu x %zu (GFLOP/s):\n", n, n, n);
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

// What --help prints above the options.
const char* kUsage =
    "usage: mnist bench [options]\nGEMM and training-step speed on this machine.\n";

}  // namespace

int bench_command(const std::vector<std::string>& args) {
    const ParsedOptions options = parse_options("bench", args, bench_options());
    if (print_help_if_asked(options, kUsage)) return kExitOk;
    const size_t threads = threads_option(options);
    const size_t batch = option_unsigned(options, "batch", 1, 65536);
    const std::vector<size_t> hidden = option_size_list(options, "hidden", 65536, true);
    const double seconds = option_real(options, "seconds", 0.001, 60);
    const bool naive = !option_flag(options, "no-naive");

    std::vector<size_t> sizes = {784};
    sizes.insert(sizes.end(), hidden.begin(), hidden.end());
    sizes.push_back(10);
    Compute compute_one(1), compute_many(threads);
    Rng rng = make_rng(2, 0);
    print_gemm_table(sizes, batch, compute_one, compute_many, seconds, naive, rng);
    print_gemm_steps(compute_one, compute_many, seconds, naive, rng);

    const double step_one = time_training_step(compute_one, sizes, batch, 2 * seconds);
    const double step_many = time_training_step(compute_many, sizes, batch, 2 * seconds);
    print_step_breakdown(profile_training_step(compute_one, sizes, batch, 2 * seconds),
                         profile_training_step(compute_many, sizes, batch, 2 * seconds), threads);
    const double steps_per_epoch = (54000.0 + batch - 1) / batch;
    std::printf("\ntraining step (forward, backward, L2, Adam) at batch %zu:\n", batch);
    std::printf("  1 thread : %7.3f ms/step, %8.0f samples/s, %.2f s per 54,000-image epoch\n", step_one * 1e3,
                batch / step_one, step_one * steps_per_epoch);
    std::printf("  %zu threads: %7.3f ms/step, %8.0f samples/s, %.2f s per 54,000-image epoch (%.2fx)\n", threads,
                step_many * 1e3, batch / step_many, step_many * steps_per_epoch, step_one / step_many);

    std::printf("\nfilling a batch of %zu 28x28 images (ms; %% of a training step), the default ranges of "
                "docs/12-augmentation.md:\n", batch);
    for (const AugmentKind kind : {AugmentKind::none, AugmentKind::affine, AugmentKind::elastic, AugmentKind::both}) {
        const double one = time_batch_filling(compute_one, batch, kind, seconds);
        const double many = time_batch_filling(compute_many, batch, kind, seconds);
        std::printf("  %-8s  1 thread: %6.3f ms (%4.1f %%)   %zu threads: %6.3f ms (%4.1f %%)\n",
                    augment_kind_name(kind), one * 1e3, 100 * one / step_one, threads, many * 1e3,
                    100 * many / step_many);
    }

    // docs/06-adam.md, "Subnormal numbers": what this CPU charges for them.
    const auto [clean, tainted] = time_subnormal_penalty(compute_one, sizes, batch, 0.1, 2 * seconds);
    std::printf("\nsubnormal penalty: a training step (1 thread) with 10%% of the first layer's weights subnormal "
                "takes %.3f ms, without %.3f ms: %.2fx\n", tainted * 1e3, clean * 1e3, tainted / clean);
    return kExitOk;
}

}  // namespace mnist
