// Tests for run/experiment: the whole run (data, split, model, training, test, files) called as a function,
// without the command line, on a small synthetic data set. What it returns agrees with what it wrote, the
// saved model gives the returned test accuracy again, the thread count changes no bit, and a run that fails
// before training leaves the output folder as it was. The command-line side is test_cli's.
#include <chrono>
#include <filesystem>
#include <string>

#include "check.h"
#include "data/mnist_files.h"
#include "nn/model_file.h"
#include "run/experiment.h"
#include "synthetic_data.h"
#include "tensor/thread_pool.h"
#include "test_files.h"
#include "train/evaluate.h"
#include "util/check.h"

using namespace mnist;
namespace fs = std::filesystem;

int main() {
    start_watchdog("test_experiment", 120);
    const std::string stamp = std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
    const fs::path tmp = fs::temp_directory_path() / ("mnist_test_experiment_" + stamp);
    const fs::path data = tmp / "data";
    synthetic::write_quadrant_data_set(data, 400, 90);

    RunSettings settings = default_run_settings();
    settings.data_dir = data.string();
    settings.hidden = {16};
    settings.validation_size = 80;
    settings.train.max_epochs = 4;
    settings.train.batch_size = 32;
    settings.quiet = true;
    settings.no_eda = true;
    settings.threads = 1;
    settings.out_dir = (tmp / "one").string();
    const ExperimentResult one = run_experiment(settings);

    CHECK(one.kind == ExperimentResult::finished);
    CHECK(one.signal == 0);
    CHECK(one.training.epochs_run == 4);
    CHECK(one.training.history.size() == 4);
    CHECK(one.test_accuracy > 0.9);  // three quadrant classes: learnt in a few epochs
    for (const char* file : {"model.bin", "metrics.json", "history.csv", "report.html", "report.md", "demo.html"})
        CHECK_MSG(fs::exists(tmp / "one" / file), file);

    // The saved model is the one that was tested: the same accuracy and loss again.
    const SavedModel saved = load_model((tmp / "one" / "model.bin").string());
    const MnistData files = load_mnist(data.string());
    Compute compute(1);
    MlpWorkspace ws = make_mlp_workspace(saved.mlp, 256)  /* the batch the run evaluates with: the loss sums in the same order */;
    const Evaluation again = evaluate(compute, saved.mlp, ws, files.test, {});
    CHECK(again.accuracy == one.test_accuracy);
    CHECK(again.loss == one.test_loss);
    const std::string metrics = test_files::read_text(tmp / "one" / "metrics.json");
    CHECK_MSG(metrics.find("\"init\":\"he\"") != std::string::npos, metrics.substr(0, 400));

    // Two threads: the same bits (a build without threads, THREADS=0, refuses --threads 2: one thread again).
    settings.threads = ThreadPool::kThreadsAvailable ? 2 : 1;
    settings.out_dir = (tmp / "two").string();
    const ExperimentResult two = run_experiment(settings);
    CHECK(two.test_accuracy == one.test_accuracy);
    CHECK(test_files::read_bytes(tmp / "one" / "model.bin") == test_files::read_bytes(tmp / "two" / "model.bin"));

    // Another --init is another model.
    settings.init = InitKind::xavier;
    settings.out_dir = (tmp / "xavier").string();
    (void)run_experiment(settings);
    CHECK(test_files::read_bytes(tmp / "one" / "model.bin") != test_files::read_bytes(tmp / "xavier" / "model.bin"));

    // A run that cannot start (no data there) throws InputError and writes nothing into its folder: the
    // previous run's files stay as they were.
    const std::vector<uint8_t> before = test_files::read_bytes(tmp / "one" / "model.bin");
    settings.data_dir = (tmp / "no-such-folder").string();
    settings.out_dir = (tmp / "one").string();
    bool refused = false;
    try {
        (void)run_experiment(settings);
    } catch (const InputError&) {
        refused = true;
    }
    CHECK(refused);
    CHECK(test_files::read_bytes(tmp / "one" / "model.bin") == before);

    // Settings that disagree with each other are refused before any work, naming the option.
    settings.data_dir = data.string();
    settings.train.schedule.warmup_epochs = 10;
    refused = false;
    try {
        (void)run_experiment(settings);
    } catch (const UsageError& e) {
        refused = std::string(e.what()).find("--warmup") != std::string::npos;
    }
    CHECK(refused);
    settings.train.schedule.warmup_epochs = 0;
    settings.train.dropout_rate = 0.99f;  // out of --dropout's range
    refused = false;
    try {
        (void)run_experiment(settings);
    } catch (const UsageError& e) {
        refused = std::string(e.what()).find("--dropout") != std::string::npos;
    }
    CHECK(refused);

    fs::remove_all(tmp);
    return check_exit("test_experiment");
}
