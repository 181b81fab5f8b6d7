// `mnist eval`: reload a saved model and print the same test metrics that training printed. An int8 model
// (mnist quantize) goes to cli/eval_int8.cpp.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "cli/any_model.h"
#include "cli/commands.h"
#include "cli/eval_int8.h"
#include "cli/options.h"
#include "cli/run_common.h"
#include "nn/model_file.h"
#include "report/run_files.h"
#include "train/evaluate.h"
#include "util/check.h"
#include "util/json.h"

namespace mnist {

namespace {

const std::vector<OptionSpec>& eval_options() {
    static const std::vector<OptionSpec> specs = {
        {"model", "FILE", "out/model.bin", "the model to evaluate (mnist train's, or mnist quantize's int8 one)"},
        {"float-model", "FILE", "", "int8 models: the float model to compare with (default: model.bin beside it)"},
        {"data", "DIR", "data", "folder with the MNIST files; the test set is used"},
        {"threads", "N", "all", "threads to compute with"},
        {"json", "", "", "print the metrics as one JSON object on stdout (nothing else)"},
        {"help", "", "", "show this help"},
    };
    return specs;
}

// What --help prints above the options.
const char* kUsage =
    "usage: mnist eval [--model FILE] [--data DIR] [--json]\nEvaluates a saved model on the test set; "
    "--json prints test_accuracy, test_loss, per_class and confusion\nas one JSON object, so results "
    "can be compared across machines.\n";

}  // namespace

int eval_command(const std::vector<std::string>& args) {
    const ParsedOptions options = parse_options("eval", args, eval_options());
    if (print_help_if_asked(options, kUsage)) return kExitOk;
    const std::string model_path = option_string(options, "model");
    const std::string data_dir = option_string(options, "data");
    const size_t threads = threads_option(options);
    const bool json = option_flag(options, "json");

    const AnyModel any = load_any_model(model_path);
    if (any.is_int8) return eval_int8_model(options, any.int8_model, model_path);
    if (option_given(options, "float-model")) throw UsageError("--float-model is used only with an int8 --model");
    const SavedModel& model = any.float_model;
    Compute compute(threads);
    check_model_outputs(compute, model, model_path);
    const MnistData data = load_data_verbose(data_dir, json, model.mlp.classes());  // the model's classes
    check_model_fits_data(model, model_path, data, data_dir);

    MlpWorkspace ws = make_mlp_workspace(model.mlp, 256);
    const auto start = std::chrono::steady_clock::now();
    const Evaluation test = evaluate(compute, model.mlp, ws, data.test, {});
    if (!std::isfinite(test.loss))
        throw InputError(model_path + ": its outputs on the test images are not finite numbers (its weights are too "
                         "large to compute with)");
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const Metrics metrics = compute_metrics(test.confusion);
    if (json) {
        JsonWriter config;
        config.begin_object().key("model").value(model_path).key("data").value(data_dir).end_object();
        std::fputs(metrics_json(nullptr, test.accuracy, test.loss, metrics, test.confusion, config.text()).c_str(), stdout);
    } else {
        print_test_report(test, metrics);
        std::printf("\ninference: %zu test images in %.3f s on %zu thread%s (%.0f images per second)\n", data.test.count,
                    seconds, threads, threads == 1 ? "" : "s", seconds > 0 ? static_cast<double>(data.test.count) / seconds : 0.0);
    }
    return kExitOk;
}

}  // namespace mnist
