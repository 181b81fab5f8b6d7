// `mnist train` (the default): the report's whole experiment, from the raw files to Tables 1 and 2 and
// the files in --out. Every option's default is the report's recipe.
#include <cstdio>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/run_common.h"
#include "data/dataset.h"
#include "nn/model_file.h"
#include "report/run_files.h"
#include "train/evaluate.h"
#include "train/trainer.h"
#include "util/check.h"
#include "util/json.h"
#include "util/output_file.h"
#include "util/rng.h"

namespace mnist {

namespace {

const std::vector<OptionSpec>& train_options() {
    static const std::vector<OptionSpec> specs = {
        {"data", "DIR", "data", "folder with the four MNIST files (raw or .gz)"},
        {"out", "DIR", "out", "folder for model.bin, metrics.json and history.csv"},
        {"hidden", "LIST", "512,256,128", "hidden layer sizes, comma-separated (\"\" for none)"},
        {"dropout", "RATE", "0.3", "dropout rate of the hidden layers during training, in [0, 0.95]"},
        {"l2", "LAMBDA", "1e-4", "L2 weight penalty lambda/2 * ||W||^2 (biases not decayed)"},
        {"lr", "RATE", "0.001", "Adam learning rate"},
        {"batch", "N", "128", "mini-batch size"},
        {"epochs", "N", "100", "the most epochs to train"},
        {"patience", "N", "10", "stop after N epochs without a better validation accuracy"},
        {"val-size", "N", "6000", "training images held out for validation (seeded shuffle)"},
        {"limit", "N", "0", "train on only the first N training images (0 = all)"},
        {"seed", "N", "42", "seed for the split, initial weights, batch order and dropout"},
        {"threads", "N", "all", "threads to compute with (1 = no extra threads)"},
        {"quiet", "", "", "print only the final summary"},
        {"help", "", "", "show this help"},
    };
    return specs;
}

const char* kTrainUsage =
    "usage: mnist [train] [options]\n"
    "Trains the MLP on the MNIST training set (minus the validation split) with Adam, dropout, L2 and early\n"
    "stopping, restores the best epoch, evaluates on the test set, and writes model.bin, metrics.json and\n"
    "history.csv to --out.\n\noptions:\n";

// Random-stream numbers for the seed's uses.
constexpr uint64_t kInitStream = 0x1217ull;

}  // namespace

int train_command(const std::vector<std::string>& args) {
    const ParsedOptions options = parse_options("train", args, train_options());
    if (option_flag(options, "help")) {
        std::printf("%s%s", kTrainUsage, options_help(train_options()).c_str());
        return kExitOk;
    }
    // Read and check every option before doing any work.
    const std::string data_dir = option_string(options, "data");
    const std::string out_dir = option_string(options, "out");
    const std::vector<size_t> hidden = option_size_list(options, "hidden", 65536, true);
    TrainSettings settings;
    settings.dropout_rate = static_cast<float>(option_real(options, "dropout", 0.0, 0.95));
    settings.l2_lambda = static_cast<float>(option_real(options, "l2", 0.0, 1.0));
    settings.adam.learning_rate = static_cast<float>(option_real(options, "lr", 1e-7, 10.0));
    settings.batch_size = option_unsigned(options, "batch", 1, 65536);
    settings.max_epochs = option_unsigned(options, "epochs", 1, 1000000);
    settings.patience = option_unsigned(options, "patience", 1, 1000000);
    settings.seed = option_unsigned(options, "seed", 0, UINT64_MAX);
    const size_t validation_size = option_unsigned(options, "val-size", 1, UINT32_MAX);
    const size_t limit = option_unsigned(options, "limit", 0, UINT32_MAX);
    const size_t threads = threads_option(options);
    const bool quiet = option_flag(options, "quiet");

    // Fail now, not after an hour of training, if the outputs cannot be written.
    make_directories(out_dir);
    write_file_atomic(out_dir + "/.write-test", std::string("ok\n"));
    std::remove((out_dir + "/.write-test").c_str());

    const MnistData data = load_data_verbose(data_dir, quiet);
    if (validation_size >= data.train.count)
        throw UsageError("--val-size " + std::to_string(validation_size) + ": must be smaller than the " +
                         std::to_string(data.train.count) + " training images");
    Split split = split_train_validation(data.train.count, validation_size, settings.seed);
    if (limit > 0 && limit < split.train.size()) split.train.resize(limit);

    std::vector<size_t> sizes = {data.train.rows * data.train.cols};
    sizes.insert(sizes.end(), hidden.begin(), hidden.end());
    sizes.push_back(data.num_classes);
    Mlp mlp = make_mlp(sizes, mix64(settings.seed ^ kInitStream));
    Compute compute(threads);

    if (!quiet) {
        std::string shape;
        for (size_t i = 0; i < sizes.size(); ++i) shape += (i ? " -> " : "") + std::to_string(sizes[i]);
        std::printf("model: %s (%zu parameters); %zu train / %zu validation / %zu test images; %zu thread%s\n",
                    shape.c_str(), mlp.layout.total, split.train.size(), split.validation.size(), data.test.count,
                    threads, threads == 1 ? "" : "s");
        std::printf("training: Adam lr %g, batch %zu, dropout %g, L2 %g, up to %zu epochs, patience %zu, seed %llu\n\n",
                    static_cast<double>(settings.adam.learning_rate), settings.batch_size,
                    static_cast<double>(settings.dropout_rate), static_cast<double>(settings.l2_lambda),
                    settings.max_epochs, settings.patience, static_cast<unsigned long long>(settings.seed));
        std::fputs(epoch_table_header().c_str(), stdout);
    }
    TrainCallbacks callbacks;
    callbacks.on_epoch = [&](const EpochRecord& r, bool improved) {
        if (quiet) return;
        std::fputs(epoch_table_row(r, improved).c_str(), stdout);
        std::fflush(stdout);
    };
    const TrainResult result = train(compute, mlp, data.train, split, settings, callbacks);

    MlpWorkspace ws = make_mlp_workspace(mlp, 256);
    const Evaluation test = evaluate(compute, mlp, ws, data.test, {});
    const Metrics metrics = compute_metrics(test.confusion);
    std::printf("%sepochs run %zu, best epoch %zu (validation accuracy %.4f), training took %.1f s\n",
                quiet ? "" : "\n", result.epochs_run, result.best_epoch, result.best_validation_accuracy,
                result.train_seconds);
    if (quiet) {
        std::printf("test accuracy %.4f, test loss %.4f\n", test.accuracy, test.loss);
    } else {
        print_test_report(test, metrics);
    }

    JsonWriter config;
    config.begin_object();
    config.key("data").value(data_dir).key("out").value(out_dir);
    config.key("hidden").begin_array();
    for (const size_t h : hidden) config.value(static_cast<uint64_t>(h));
    config.end_array();
    config.key("layer_sizes").begin_array();
    for (const size_t s : sizes) config.value(static_cast<uint64_t>(s));
    config.end_array();
    config.key("dropout").value(static_cast<double>(settings.dropout_rate));
    config.key("l2").value(static_cast<double>(settings.l2_lambda));
    config.key("lr").value(static_cast<double>(settings.adam.learning_rate));
    config.key("beta1").value(static_cast<double>(settings.adam.beta1));
    config.key("beta2").value(static_cast<double>(settings.adam.beta2));
    config.key("epsilon").value(static_cast<double>(settings.adam.epsilon));
    config.key("batch").value(static_cast<uint64_t>(settings.batch_size));
    config.key("epochs").value(static_cast<uint64_t>(settings.max_epochs));
    config.key("patience").value(static_cast<uint64_t>(settings.patience));
    config.key("val_size").value(static_cast<uint64_t>(validation_size));
    config.key("limit").value(static_cast<uint64_t>(limit));
    config.key("train_size").value(static_cast<uint64_t>(split.train.size()));
    config.key("seed").value(static_cast<uint64_t>(settings.seed));
    config.key("threads").value(static_cast<uint64_t>(threads));
    config.end_object();

    save_model(out_dir + "/model.bin", mlp, data.train.rows, data.train.cols);
    write_file_atomic(out_dir + "/metrics.json",
                      metrics_json(&result, test.accuracy, test.loss, metrics, test.confusion, config.text()));
    write_file_atomic(out_dir + "/history.csv", history_csv(result));
    if (!quiet) std::printf("\nwrote %s/model.bin, %s/metrics.json, %s/history.csv\n", out_dir.c_str(), out_dir.c_str(),
                            out_dir.c_str());
    return kExitOk;
}

}  // namespace mnist
