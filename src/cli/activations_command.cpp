// `mnist activations`: the hidden layers' activation statistics (nn/activation_stats.h) on the first 10,000
// training images: the mean and variance of each layer's Z and A and its dead units, for a freshly
// initialised network (--init, --hidden, --seed: exactly the initial weights `mnist train` starts from with
// the same options) or for a saved model (--model). See docs/04-init-dropout-l2.md ("Measuring it").
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/run_common.h"
#include "cli/settings_options.h"
#include "report/run_files.h"
#include "run/experiment.h"
#include "train/evaluate.h"
#include "util/check.h"
#include "util/printable.h"
#include "util/rng.h"

namespace mnist {

namespace {

const std::vector<OptionSpec>& activations_options() {
    static const std::vector<OptionSpec> specs = [] {
        std::vector<OptionSpec> all = setting_option_specs({"data", "hidden", "init", "seed", "threads"});
        all.push_back({"model", "FILE", "", "a saved model (mnist train's model.bin) instead of a new network"});
        all.push_back({"images", "N", "10000", "how many of the first training images to measure on"});
        all.push_back({"help", "", "", "show this help"});
        return all;
    }();
    return specs;
}

// What --help prints above the options.
const char* kUsage =
    "usage: mnist activations [--init KIND] [--hidden LIST] [--seed N] [--model FILE] [--images N]\n"
    "For each hidden layer: the mean and variance of its pre-activation Z and of its output A = ReLU(Z),\n"
    "and the share of dead units (A = 0 for every image), on the first N training images, without\n"
    "dropout. Without --model, of the network as --init, --hidden and --seed initialise it (the weights\n"
    "`mnist train` starts from with the same options); with --model, of that model. `mnist train`\n"
    "writes both, after initialisation and after training, into metrics.json (\"activations\").\n";

}  // namespace

int activations_command(const std::vector<std::string>& args) {
    const ParsedOptions options = parse_options("activations", args, activations_options());
    if (print_help_if_asked(options, kUsage)) return kExitOk;
    RunSettings settings;
    read_settings(options, settings);
    const size_t images = option_unsigned(options, "images", 1, 60000);
    const std::string model_path = option_given(options, "model") ? option_string(options, "model") : "";
    if (!model_path.empty())
        for (const char* name : {"hidden", "init", "seed"})
            if (option_given(options, name))
                throw UsageError(std::string("--") + name + " describes a new network; it cannot be combined with --model");
    Compute compute(threads_option(options));

    SavedModel model;
    if (!model_path.empty()) model = load_model(model_path);
    const MnistData data = load_data_verbose(settings.data_dir, false, model_path.empty() ? 0 : model.mlp.classes());
    std::string what;
    if (model_path.empty()) {
        std::vector<size_t> sizes = {data.train.rows * data.train.cols};
        sizes.insert(sizes.end(), settings.hidden.begin(), settings.hidden.end());
        sizes.push_back(data.num_classes);
        model.mlp = initial_network(sizes, settings);
        what = "--init " + setting_text(*find_setting("init"), settings) + " --seed " +
               std::to_string(settings.train.seed) + ", as initialised";
    } else {
        check_model_outputs(compute, model, model_path);
        check_model_fits_data(model, model_path, data, settings.data_dir);
        what = printable(model_path);
    }
    if (model.mlp.layers() < 2) throw UsageError("the network has no hidden layer to measure");
    std::string shape;
    for (const size_t size : model.mlp.layout.sizes) shape += (shape.empty() ? "" : " -> ") + std::to_string(size);
    const size_t measured = std::min(images, data.train.count);
    std::printf("activations of %s (%s) on the first %zu training images, no dropout:\n\n%s", shape.c_str(),
                what.c_str(), measured, activation_table(measure_activations(compute, model.mlp, data.train, measured)).c_str());
    return kExitOk;
}

}  // namespace mnist
