// `mnist gemm-stages`: the GEMM chapter's experiment, as how-to-optimize-gemm runs it. Measures the FMA unit
// (latency of a dependent chain, throughput of independent ones, hence the peak and how many multiply-adds
// must be in flight), reads the cache sizes, times every stage of tensor/gemm_stages.h and gemm itself over a
// range of square sizes, sweeps KC, and draws the results as OUT/figures/gemm-stages.svg and gemm-kc.svg.
// Timing lives here, never in tests. See docs/09-gemm.md.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <functional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/run_common.h"
#include "report/svg_charts.h"
#include "tensor/gemm.h"
#include "tensor/gemm_stages.h"
#include "tensor/gemm_tile.h"
#include "util/check.h"
#include "util/output_file.h"
#include "util/rng.h"

namespace mnist {

namespace {

const std::vector<OptionSpec>& gemm_stages_options() {
    static const std::vector<OptionSpec> specs = {
        {"sizes", "LIST", "32,64,128,192,256,384,512,768,1024", "square sizes n (C = A B, all n x n)"},
        {"kc", "LIST", "16,32,64,96,128,192,256,320,384,512,768", "depths KC of the sweep"},
        {"naive-max", "N", "512", "largest n for the naive loop (it takes seconds at 1024)"},
        {"seconds", "S", "0.2", "measuring time per figure, split into 5 rounds (the best is kept)"},
        {"threads", "N", "all", "threads for the last stage (gemm on N threads)"},
        {"out", "DIR", "out", "the plots go to DIR/figures/"},
        {"from", "FILE", "", "draw the plots from the tables of an earlier run's output in FILE, measuring nothing"},
        {"help", "", "", "show this help"},
    };
    return specs;
}

using Clock = std::chrono::steady_clock;

// The best of 5 rounds, each repeating `work` for at least seconds / 5: on a shared machine the fastest
// round is the one least disturbed by others, and the closest to what the code itself can do.
double best_seconds_per_call(double seconds, const std::function<void()>& work) {
    work();  // warm-up: caches, page faults, the pool's threads
    double best = 1e30;
    for (int round = 0; round < 5; ++round) {
        size_t calls = 0;
        const auto start = Clock::now();
        double elapsed = 0;
        do {
            work();
            ++calls;
            elapsed = std::chrono::duration<double>(Clock::now() - start).count();
        } while (elapsed < seconds / 5);
        best = std::min(best, elapsed / static_cast<double>(calls));
    }
    return best;
}

// A cache's size in bytes from Linux's sysfs (level 1 data, 2, 3), or 0 where that is not available.
size_t cache_bytes(int level, const char* type) {
    for (int index = 0; index < 8; ++index) {
        const std::string dir = "/sys/devices/system/cpu/cpu0/cache/index" + std::to_string(index) + "/";
        std::ifstream level_file(dir + "level"), type_file(dir + "type"), size_file(dir + "size");
        int l = 0;
        std::string t, size;
        if (!(level_file >> l) || !(type_file >> t) || !(size_file >> size)) continue;
        if (l != level || t != type) continue;
        size_t value = 0, i = 0;
        while (i < size.size() && size[i] >= '0' && size[i] <= '9') value = value * 10 + size_t(size[i++] - '0');
        if (i < size.size() && (size[i] == 'K' || size[i] == 'k')) value <<= 10;
        if (i < size.size() && size[i] == 'M') value <<= 20;
        return value;
    }
    return 0;
}

std::string kb(size_t bytes) { return bytes ? std::to_string(bytes >> 10) + " KB" : std::string("unknown"); }

Matrix random_square(size_t n, Rng& rng) {
    Matrix m(n, n);
    for (float& v : m.values) v = static_cast<float>(uniform_double(rng) - 0.5);
    return m;
}


// One plotted line: a name and its points.
struct Curve {
    std::string name;
    std::vector<double> x, y;
};

// Both plots, from the stage table and the KC sweep (as measured, or as read back by --from).
void write_plots(const std::string& out_dir, const std::vector<Curve>& stages, const std::vector<Curve>& sweep) {
    LineChart chart;
    chart.title = "Each GEMM stage over the matrix size (C = A B, n x n)";
    chart.x_label = "n";
    chart.y_label = "GFLOP/s";
    chart.width = 1280;
    chart.height = 480;
    for (const Curve& c : stages) chart.series.push_back({c.name, c.x, c.y});
    LineChart kc;
    kc.title = "KC sweep: stage 6 (gemm's loops, 1 thread), MC " + std::to_string(MC) + ", NC " + std::to_string(NC);
    kc.x_label = "KC (depth of one rank-KC update)";
    kc.y_label = "GFLOP/s";
    kc.width = 960;
    for (const Curve& c : sweep) kc.series.push_back({c.name, c.x, c.y});
    const std::string dir = out_dir + "/figures";
    make_directories(dir);
    write_file_atomic(dir + "/gemm-stages.svg", svg_line_chart(chart));
    write_file_atomic(dir + "/gemm-kc.svg", svg_line_chart(kc));
    std::printf("\nwrote %s/gemm-stages.svg and %s/gemm-kc.svg\n", dir.c_str(), dir.c_str());
}

// Reads back a table this command printed: a header line containing `marker` whose numbers after the
// marker are the x values, then one row per curve, a name followed by one value per x ("-" for none).
std::vector<Curve> read_table(const std::vector<std::string>& lines, const std::string& marker) {
    std::vector<Curve> curves;
    std::vector<double> xs;
    size_t i = 0;
    while (i < lines.size() && lines[i].find(marker) == std::string::npos) ++i;
    if (i == lines.size()) throw InputError("--from: no table headed \"" + marker + "\"");
    std::istringstream header(lines[i].substr(lines[i].find(marker) + marker.size()));
    for (double x; header >> x;) xs.push_back(x);
    for (++i; i < lines.size() && !lines[i].empty(); ++i) {
        std::istringstream row(lines[i]);
        std::vector<std::string> words;
        for (std::string w; row >> w;) words.push_back(w);
        if (words.size() <= xs.size()) break;
        Curve c;
        for (size_t w = 0; w + xs.size() < words.size(); ++w) c.name += (w ? " " : "") + words[w];
        for (size_t j = 0; j < xs.size(); ++j) {
            const std::string& v = words[words.size() - xs.size() + j];
            if (v == "-") continue;
            c.x.push_back(xs[j]);
            c.y.push_back(std::stod(v));
        }
        curves.push_back(c);
    }
    return curves;
}

// Seconds of one round of kFmaChains independent vector multiply-add chains, `steps` / 16 long each.
double fma_round_seconds(size_t steps, double seconds) {
    volatile float sink = 0;
    const double t = best_seconds_per_call(seconds, [&] { sink = fma_independent_chains(steps / 16, 1.0f, 0.999999f, 1e-6f); });
    (void)sink;
    return t;
}

// 1. The FMA unit: latency (one dependent chain) and throughput (kFmaChains independent vector chains).
// Returns the peak in GFLOP/s.
double measure_fma_unit(size_t steps, double seconds) {
    volatile float sink = 0;
    const double chain = best_seconds_per_call(seconds, [&] { sink = fma_dependent_chain(steps, 1.0f, 0.999999f, 1e-6f); });
    (void)sink;
    const double rounds = fma_round_seconds(steps, seconds);
    const double latency_ns = chain / static_cast<double>(steps) * 1e9;
    const double vector_fmas_per_ns = static_cast<double>(steps / 16 * kFmaChains) / rounds * 1e-9;
    const double lanes = static_cast<double>(kFmaWidth);
    std::printf("FMA unit, 1 thread (best of 5 rounds):\n");
    std::printf("  latency: %.3f ns per dependent multiply-add; at the 4 cycles Intel and AMD document, %.2f GHz\n",
                latency_ns, 4.0 / latency_ns);
    std::printf("  throughput: %.2f vector (%zu-float) multiply-adds per ns: peak %.1f GFLOP/s\n", vector_fmas_per_ns,
                kFmaWidth, vector_fmas_per_ns * lanes * 2);
    std::printf("  in flight to keep it busy: latency x throughput = %.1f independent vector multiply-adds\n",
                latency_ns * vector_fmas_per_ns);
    std::printf("  our tile: MR x NR = %zu x %zu = %zu accumulators of %zu floats\n", MR, NR, MR * NR / kFmaWidth,
                kFmaWidth);
    return vector_fmas_per_ns * lanes * 2;
}

// 2. The caches, and the block sizes they allow.
void print_caches_and_blocks() {
    const size_t l1 = cache_bytes(1, "Data"), l2 = cache_bytes(2, "Unified"), l3 = cache_bytes(3, "Unified");
    std::printf("\ncaches (sysfs, per core for L1/L2): L1 data %s, L2 %s, L3 %s\n", kb(l1).c_str(), kb(l2).c_str(),
                kb(l3).c_str());
    if (l1)
        std::printf("  KC for an A sliver (MR x KC) and a B sliver (KC x NR) together in L1: KC <= %zu (ours: %zu)\n",
                    l1 / (sizeof(float) * (MR + NR)), KC);
    if (l2)
        std::printf("  A block (MC x KC) + B block (KC x NC) in L2: %zu KB of %s (ours: MC %zu, NC %zu)\n",
                    (MC * KC + KC * NC) * sizeof(float) >> 10, kb(l2).c_str(), MC, NC);
}

// 3. Every stage over the sizes (stage 1, the naive loops, only up to naive_max): a table and its curves.
std::vector<Curve> time_stages(const std::vector<size_t>& sizes, size_t naive_max, double seconds, size_t threads,
                               Rng& rng) {
    struct Stage {
        std::string name;
        std::function<void(const Matrix&, const Matrix&, Matrix&)> run;
        std::vector<double> x, gflops;
    };
    Compute one(1), many(threads);
    std::vector<float> scratch;
    std::vector<Stage> stages = {
        {"1 naive", [](const Matrix& a, const Matrix& b, Matrix& c) { gemm_stage_naive(a.view(), b.view(), c.view()); }, {}, {}},
        {"2 loop order", [](const Matrix& a, const Matrix& b, Matrix& c) { gemm_stage_loop_order(a.view(), b.view(), c.view()); }, {}, {}},
        {"3 blocked", [](const Matrix& a, const Matrix& b, Matrix& c) { gemm_stage_blocked(a.view(), b.view(), c.view()); }, {}, {}},
        {"4 packed", [](const Matrix& a, const Matrix& b, Matrix& c) { gemm_stage_packed(a.view(), b.view(), c.view()); }, {}, {}},
        {"5 register tile alone", [](const Matrix& a, const Matrix& b, Matrix& c) { gemm_stage_register_tile(a.view(), b.view(), c.view()); }, {}, {}},
        {"6 tile + packing + blocks", [&](const Matrix& a, const Matrix& b, Matrix& c) { gemm_stage_tiled(a.view(), b.view(), c.view(), StageBlocks{KC, MC, NC}, scratch); }, {}, {}},
        {"7 gemm, 1 thread", [&](const Matrix& a, const Matrix& b, Matrix& c) { gemm(one, Op::none, Op::none, 1.0f, a.view(), b.view(), 0.0f, c.view()); }, {}, {}},
        {"8 gemm, " + std::to_string(many.pool.size()) + " threads", [&](const Matrix& a, const Matrix& b, Matrix& c) { gemm(many, Op::none, Op::none, 1.0f, a.view(), b.view(), 0.0f, c.view()); }, {}, {}},
    };
    std::printf("\nGFLOP/s, C = A B with n x n matrices (best of 5 rounds):\n%-28s", "stage \\ n");
    for (const size_t n : sizes) std::printf("%7zu", n);
    std::printf("\n");
    std::vector<std::vector<double>> table(stages.size());
    for (const size_t n : sizes) {
        const Matrix a = random_square(n, rng), b = random_square(n, rng);
        Matrix c(n, n);
        const double flops = 2.0 * static_cast<double>(n) * static_cast<double>(n) * static_cast<double>(n);
        for (size_t s = 0; s < stages.size(); ++s) {
            if (s == 0 && n > naive_max) {
                table[s].push_back(0);
                continue;
            }
            const double t = best_seconds_per_call(seconds, [&] { stages[s].run(a, b, c); });
            table[s].push_back(flops / t * 1e-9);
            stages[s].x.push_back(static_cast<double>(n));
            stages[s].gflops.push_back(flops / t * 1e-9);
        }
    }
    for (size_t s = 0; s < stages.size(); ++s) {
        std::printf("%-28s", stages[s].name.c_str());
        for (const double g : table[s]) g > 0 ? std::printf("%7.1f", g) : std::printf("%7s", "-");
        std::printf("\n");
    }

    std::vector<Curve> curves;
    for (const Stage& st : stages) curves.push_back({st.name, st.x, st.gflops});
    return curves;
}

// 4. The KC sweep: stage 6 (gemm's loops, one thread) at each depth, on a square product and on the
// first layer's forward product (m = 128 rows of the batch, n = 512, k = 784).
std::vector<Curve> sweep_kc(const std::vector<size_t>& depths, double seconds, Rng& rng) {
    std::vector<float> scratch;
    struct Case {
        std::string name;
        size_t m, n, k;
        std::vector<double> x, gflops;
    };
    std::vector<Case> cases = {{"512 x 512 x 512", 512, 512, 512, {}, {}},
                               {"1024 x 1024 x 1024", 1024, 1024, 1024, {}, {}},
                               {"128 x 512 x 784 (layer 1 forward)", 128, 512, 784, {}, {}}};
    std::printf("\nKC sweep, stage 6 with MC %zu, NC %zu, 1 thread (GFLOP/s):\n%-36s", MC, NC, "m x n x k \\ KC");
    for (const size_t kc : depths) std::printf("%7zu", kc);
    std::printf("\n");
    for (Case& cs : cases) {
        Matrix a(cs.m, cs.k), b(cs.k, cs.n), c(cs.m, cs.n);
        for (float& v : a.values) v = static_cast<float>(uniform_double(rng) - 0.5);
        for (float& v : b.values) v = static_cast<float>(uniform_double(rng) - 0.5);
        const double flops = 2.0 * static_cast<double>(cs.m) * static_cast<double>(cs.n) * static_cast<double>(cs.k);
        std::printf("%-36s", cs.name.c_str());
        for (const size_t kc : depths) {
            const double t = best_seconds_per_call(seconds, [&] {
                gemm_stage_tiled(a.view(), b.view(), c.view(), StageBlocks{kc, MC, NC}, scratch);
            });
            cs.x.push_back(static_cast<double>(kc));
            cs.gflops.push_back(flops / t * 1e-9);
            std::printf("%7.1f", flops / t * 1e-9);
        }
        std::printf("\n");
    }

    std::vector<Curve> curves;
    for (const Case& cs : cases) curves.push_back({cs.name, cs.x, cs.gflops});
    return curves;
}

// What --help prints above the options.
const char* kUsage =
    "usage: mnist gemm-stages [options]\nEvery GEMM stage over a range of sizes, a KC sweep and "
    "the FMA unit, with plots.\n";

}  // namespace

int gemm_stages_command(const std::vector<std::string>& args) {
    const ParsedOptions options = parse_options("gemm-stages", args, gemm_stages_options());
    if (print_help_if_asked(options, kUsage)) return kExitOk;
    const std::vector<size_t> sizes = option_size_list(options, "sizes", 4096, false);
    const std::vector<size_t> depths = option_size_list(options, "kc", 4096, false);
    const size_t naive_max = option_unsigned(options, "naive-max", 0, 4096);
    const double seconds = option_real(options, "seconds", 0.001, 60);
    const size_t threads = threads_option(options);
    const std::string out_dir = option_string(options, "out");
    if (option_given(options, "from")) {
        std::ifstream in(option_string(options, "from"));
        if (!in) throw InputError("--from: cannot read " + option_string(options, "from"));
        std::vector<std::string> lines;
        for (std::string line; std::getline(in, line);) lines.push_back(line);
        write_plots(out_dir, read_table(lines, "stage \\ n"), read_table(lines, "m x n x k \\ KC"));
        return kExitOk;
    }

    const size_t steps = 1u << 22;
    const double peak = measure_fma_unit(steps, seconds);
    print_caches_and_blocks();
    Rng rng = make_rng(17, 0);
    const std::vector<Curve> stage_curves = time_stages(sizes, naive_max, seconds, threads, rng);
    const std::vector<Curve> sweep_curves = sweep_kc(depths, seconds, rng);
    write_plots(out_dir, stage_curves, sweep_curves);

    // The same FMA probe again: if the peak moved, something else had the core during the run, and the tables
    // above are low by up to that much (on a shared machine, run again when it is quiet).
    const double peak_again =
        static_cast<double>(steps / 16 * kFmaChains) / fma_round_seconds(steps, seconds) * 1e-9 * kFmaWidth * 2;
    const double change = peak_again / peak - 1.0;
    std::printf("FMA peak at the start %.1f GFLOP/s, at the end %.1f: %s\n", peak, peak_again,
                change > 0.05 || change < -0.05 ? "the core was shared during the run; measure again" : "steady");
    return kExitOk;
}

}  // namespace mnist
