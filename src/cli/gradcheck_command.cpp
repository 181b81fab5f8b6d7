// `mnist gradcheck`: checks the backward pass of the real network against central differences, as llm.c
// checks its kernels: for every parameter tensor (W1, b1, ... of the report's 784-512-256-128-10 net, or
// --hidden's) a sample of entries, the largest relative error between the float analytic gradient and the
// double-precision numeric one; then, for one weight, how the float estimate's error depends on the step h.
// Exit status 1 when a tensor exceeds --tolerance. See docs/05-backprop.md ("gradcheck") and nn/gradcheck.h.
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/run_common.h"
#include "data/dataset.h"
#include "nn/gradcheck.h"
#include "util/check.h"
#include "util/rng.h"

namespace mnist {

namespace {

const std::vector<OptionSpec>& gradcheck_options() {
    static const std::vector<OptionSpec> specs = {
        {"data", "DIR", "data", "the batch is the first training images of the MNIST files in DIR"},
        {"random", "", "", "random pixels and labels instead (no data files needed)"},
        {"hidden", "LIST", "512,256,128", "hidden layer sizes"},
        {"batch", "N", "8", "examples in the batch whose objective is differentiated"},
        {"samples", "N", "24", "entries checked per tensor (0 = every entry: slow for the big matrices)"},
        {"step", "H", "1e-5", "h of the double-precision central difference"},
        {"dropout", "RATE", "0.3", "dropout rate (masks fixed by the seed; 0 = off)"},
        {"l2", "LAMBDA", "1e-4", "L2 strength in the objective"},
        {"seed", "N", "42", "seed of the initial weights, the random pixels and labels, and the masks"},
        {"tolerance", "T", "1e-3", "largest relative error accepted (exit status 1 above it)"},
        {"help", "", "", "show this help"},
    };
    return specs;
}

// What --help prints above the options.
const char* kUsage =
    "usage: mnist gradcheck [options]\nThe backward pass against central differences, per parameter "
    "tensor.\n";

}  // namespace

int gradcheck_command(const std::vector<std::string>& args) {
    const ParsedOptions options = parse_options("gradcheck", args, gradcheck_options());
    if (print_help_if_asked(options, kUsage)) return kExitOk;
    const std::vector<size_t> hidden = option_size_list(options, "hidden", 65536, true);
    const size_t batch = option_unsigned(options, "batch", 1, 4096);
    GradcheckSettings settings;
    settings.samples_per_tensor = option_unsigned(options, "samples", 0, 1u << 30);
    settings.step = option_real(options, "step", 1e-12, 1.0);
    settings.dropout_rate = static_cast<float>(option_real(options, "dropout", 0.0, 0.95));
    settings.l2_lambda = static_cast<float>(option_real(options, "l2", 0.0, 1.0));
    const uint64_t seed = option_unsigned(options, "seed", 0, UINT64_MAX);
    settings.dropout_seed = stream_seed(seed, RandomStream::gradcheck_dropout);
    const double tolerance = option_real(options, "tolerance", 0.0, 1.0);

    std::vector<size_t> sizes = {784};
    size_t classes = 10;
    MnistData data;
    const std::string data_dir = option_flag(options, "random") ? "" : option_string(options, "data");
    if (!data_dir.empty()) {
        data = load_data_verbose(data_dir, false);
        if (data.train.count < batch)
            throw UsageError("--batch " + std::to_string(batch) + " is more than the " +
                             std::to_string(data.train.count) + " training images");
        sizes[0] = data.train.rows * data.train.cols;
        classes = data.num_classes;
    }
    sizes.insert(sizes.end(), hidden.begin(), hidden.end());
    sizes.push_back(classes);
    Mlp mlp = make_mlp(sizes, seed);
    MlpWorkspace ws = make_mlp_workspace(mlp, batch);
    if (!data_dir.empty()) {
        std::vector<uint32_t> first(batch);
        for (size_t i = 0; i < batch; ++i) first[i] = static_cast<uint32_t>(i);
        load_batch(ws.input.view(), ws.labels.data(), data.train, first.data(), batch);
    } else {
        Rng rng = make_rng(seed, RandomStream::gradcheck_data);
        for (float& v : ws.input.values) v = static_cast<float>(uniform_double(rng));
        for (uint8_t& y : ws.labels) y = static_cast<uint8_t>(uniform_below(rng, classes));
    }

    std::printf("gradcheck: %s, batch %zu (%s), dropout %g, L2 %g; %s entries per tensor, h = %g in double\n",
                [&] {
                    std::string s;
                    for (size_t i = 0; i < sizes.size(); ++i) s += (i ? "-" : "") + std::to_string(sizes[i]);
                    return s;
                }().c_str(),
                batch, data_dir.empty() ? "random pixels and labels" : "the first training images",
                static_cast<double>(settings.dropout_rate), static_cast<double>(settings.l2_lambda),
                settings.samples_per_tensor ? std::to_string(settings.samples_per_tensor).c_str() : "all", settings.step);
    Compute compute(1);
    const std::vector<TensorCheck> checks = gradient_check(compute, mlp, ws, batch, settings);
    std::printf("\ntensor  shape         checked  kinks   max |grad|   max abs err   max rel err\n");
    bool ok = true;
    for (size_t t = 0; t < checks.size(); ++t) {
        const TensorCheck& c = checks[t];
        char shape[32];
        if (c.cols == 1) std::snprintf(shape, sizeof shape, "[%zu]", c.rows);
        else std::snprintf(shape, sizeof shape, "[%zu x %zu]", c.rows, c.cols);
        const bool pass = c.max_relative_error <= tolerance && c.max_gradient > 0 && c.checked > 0;
        ok = ok && pass;
        std::printf("%-6s  %-12s  %7zu  %5zu  %11.3e  %12.3e  %12.3e  %s\n", c.name.c_str(), shape, c.checked, c.kinks,
                    c.max_gradient, c.max_absolute_error, c.max_relative_error, pass ? "ok" : "FAILED");
    }

    // The step size, for the first layer's sampled weight of largest gradient: its objective curves the most
    // (every later layer and the softmax lie between it and the loss), so truncation error shows first.
    const size_t index = checks[0].largest_index;
    const std::vector<double> steps = {1e-1, 3e-2, 1e-2, 3e-3, 1e-3, 3e-4, 1e-4, 3e-5, 1e-5, 1e-6};
    const std::vector<StepSizeRow> table = step_size_table(compute, mlp, ws, batch, settings, index, steps);
    std::printf("\nthe float objective's central difference for one entry of %s (reference %.9g):\n",
                checks[0].name.c_str(), table.empty() ? 0.0 : table[0].reference);
    std::printf("       h    estimate         rel. error\n");
    for (const StepSizeRow& row : table)
        std::printf("%8.0e    %-15.9g  %.2e\n", row.h, row.float_estimate, row.relative_error);
    std::printf("\n%s: largest relative error %s the tolerance %g\n", ok ? "ok" : "FAILED", ok ? "within" : "above",
                tolerance);
    return ok ? kExitOk : kExitFailure;
}

}  // namespace mnist
