// The experiment, step by step. run_experiment at the bottom reads like the report's sections; the steps
// above it each do one thing. See experiment.h and docs/07-training.md.
#include "run/experiment.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <new>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "nn/model_file.h"
#include "report/demo_page.h"
#include "report/eda.h"
#include "report/figures.h"
#include "report/html_report.h"
#include "report/run_files.h"
#include "report/run_report.h"
#include "run/console.h"
#include "run/progress.h"
#include "train/checkpoint.h"
#include "train/evaluate.h"
#include "train/trainer.h"
#include "util/check.h"
#include "codec/checksum.h"
#include "util/file.h"
#include "util/folder_lock.h"
#include "util/interrupt.h"
#include "util/json.h"
#include "util/output_file.h"
#include "util/printable.h"
#include "util/rng.h"
#include "util/system_memory.h"
#include "util/terminal.h"

namespace mnist {

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// --hidden as typed: "512,256,128" ("" for none).
std::string hidden_text(const RunSettings& s) { return setting_text(*find_setting("hidden"), s); }

// Everything the steps share, filled in as the run goes.
struct Run {
    RunSettings settings;      // what was asked for; with --resume, the checkpoint's identifying settings
    bool resuming = false;
    Checkpoint resumed;        // with --resume
    size_t threads = 1;
    uint64_t checkpoint_every = 0;
    std::string figures_dir, checkpoint_path;
    MnistData data;
    Split split;
    std::vector<size_t> sizes;  // the network: inputs, hidden..., classes
    std::string shape;          // "784 -> 512 -> 256 -> 128 -> 10"
    std::string memory_text;    // what the estimate says, for an out-of-memory message
    EdaSummary eda;
    std::vector<Figure> eda_figures;
    double report_seconds = 0;  // EDA, figures and pages: the cost of looking, said at the end
    RunIdentity identity;
    Mlp mlp;
    TrainState state;
};

// 0. Before any work: the settings resolved (a checkpoint's when resuming), the network's shape within what
// a model file can hold, the thread count, and the output folder made, locked and checked, so that nothing
// fails after an hour of training that could have failed now.
void prepare(Run& run) {
    RunSettings& s = run.settings;
    run.resuming = !s.resume.empty();
    if (!run.resuming) {
        // Each value in its range and the values agreeing with each other, as the command line checks them
        // (the experiment is also called without it, from tests).
        for (const Setting& setting : run_settings_table()) {
            const std::string reason = setting_value_problem(setting, setting.get(s));
            if (!reason.empty())
                throw UsageError("--" + std::string(setting.name) + " " + setting_text(setting, s) + ": " + reason);
        }
        const SettingsProblem disagreement = run_settings_problem(s);
        if (!disagreement.name.empty())
            throw UsageError("--" + disagreement.name + " " + setting_text(*find_setting(disagreement.name), s) +
                             ": " + disagreement.reason);
        // With the fewest inputs and classes any data can have (1 and 2); again below with the data's.
        std::vector<size_t> least = {1};
        least.insert(least.end(), s.hidden.begin(), s.hidden.end());
        least.push_back(2);
        const std::string problem = model_size_problem(least);
        if (!problem.empty()) throw UsageError("--hidden " + hidden_text(s) + ": " + problem);
    }
    run.threads = thread_count_to_use(s.threads);
    if (run.resuming) {  // the checkpoint's settings decide the result; where and how it runs stays ours
        run.resumed = load_checkpoint(s.resume);
        RunSettings kept = run.resumed.identity.settings;
        for (const Setting& setting : run_settings_table())
            if (!setting.identifies_run) setting.set(kept, setting.get(s));
        kept.recipe = "";
        s = kept;
    }
    run.checkpoint_every = s.checkpoint_every != RunSettings::kAutomatic ? s.checkpoint_every
                           : s.train.max_epochs >= 5                      ? 1
                                                                          : 0;
    // The folder is made and locked against a second run into it (util/folder_lock.h; taking the lock also
    // shows that files can be created there), and nothing but a file may stand where the run writes one.
    // Before the end, nothing is written into it but checkpoint.bin: the run's files are written together
    // when it has them all, so a run that fails leaves the last run's files as they were.
    make_directories(s.out_dir);
    run.figures_dir = s.out_dir + "/figures";
    run.checkpoint_path = s.out_dir + "/checkpoint.bin";
    for (const char* name : {"model.bin", "metrics.json", "history.csv", "report.html", "report.md", "demo.html",
                             "checkpoint.bin"})
        check_can_replace(s.out_dir + "/" + name);
    if (file_exists(run.figures_dir) && !std::filesystem::is_directory(run.figures_dir))
        throw SystemError(run.figures_dir + ": something other than a folder is in the way of the run's figures");
}

// 1. The data (section 2 of the report): the files, the split into training and validation images, and the
// network's shape from the data's image size and classes, checked against this machine's memory.
void load_data_and_split(Run& run) {
    const RunSettings& s = run.settings;
    run.data = load_data_verbose(s.data_dir, s.quiet, run.resuming ? run.resumed.mlp.classes() : s.classes);
    if (s.validation_size >= run.data.train.count)
        throw UsageError("--val-size " + std::to_string(s.validation_size) + ": must be smaller than the " +
                         std::to_string(run.data.train.count) + " training images");
    run.split = split_train_validation(run.data.train.count, s.validation_size, s.train.seed);
    if (s.limit > 0 && s.limit < run.split.train.size()) run.split.train.resize(s.limit);

    run.sizes = {run.data.train.rows * run.data.train.cols};
    run.sizes.insert(run.sizes.end(), s.hidden.begin(), s.hidden.end());
    run.sizes.push_back(run.data.num_classes);
    if (run.resuming) run.sizes = run.resumed.mlp.layout.sizes;
    const std::string problem = model_size_problem(run.sizes);
    if (!problem.empty())
        throw UsageError("--hidden " + hidden_text(s) + ": " + problem + " (with the data's " +
                         std::to_string(run.sizes.front()) + " inputs and " + std::to_string(run.sizes.back()) + " classes)");
    for (size_t i = 0; i < run.sizes.size(); ++i) run.shape += (i ? " -> " : "") + std::to_string(run.sizes[i]);
    // An impossible --hidden or --batch is named now, not by "out of memory" later.
    const size_t batch_rows = training_batch_rows(s.train, run.split.train.size());
    const uint64_t memory = training_memory_bytes(run.sizes, batch_rows, run.split.train.size()) +
                            run.data.train.pixels.size() + run.data.test.pixels.size();
    run.memory_text = (run.resuming ? "the checkpoint's network " : "the network ") + run.shape + " with " +
                      (run.resuming ? "its" : "--batch " + std::to_string(s.train.batch_size) + ": a") + " batch of " +
                      std::to_string(batch_rows) + " rows needs about " + std::to_string(memory >> 20) +
                      " MB with the data";
    const uint64_t machine = system_memory_bytes();
    if (machine > 0 && memory > machine)
        throw UsageError((run.resuming ? "" : "--hidden " + hidden_text(s) + ", --batch " +
                                                  std::to_string(s.train.batch_size) + ": ") +
                         run.memory_text + ", more than this machine's " + std::to_string(machine >> 20) +
                         " MB of memory and swap");
}

// 2. A look at the data (the report's EDA): numbers printed now, figures written with the rest.
void look_at_the_data(Run& run) {
    if (run.settings.no_eda) return;
    const auto start = std::chrono::steady_clock::now();
    run.eda = compute_eda(run.data, run.split, 3);
    run.eda_figures = eda_figures(run.eda, run.data.train);
    run.report_seconds += seconds_since(start);
    if (!run.settings.quiet)
        for (const std::string& line : eda_observations(run.eda)) std::printf("eda: %s\n", line.c_str());
}

// 3. The model (section 4): freshly initialised from the seed, or the checkpoint's with its training state.
// The run's identity is what a checkpoint keeps so that it resumes only into the same run.
void make_or_resume_model(Run& run) {
    const RunSettings& s = run.settings;
    RunIdentity& id = run.identity;
    id.image_rows = run.data.train.rows;
    id.image_cols = run.data.train.cols;
    id.train_images = run.data.train.count;
    id.train_labels_crc = crc32(run.data.train.labels.data(), run.data.train.labels.size());
    // The images too: a checkpoint once resumed into a folder with the same labels and other pixels. A CRC
    // of 47 MB takes about 0.1 s, a quarter of what reading and inflating them did.
    id.train_pixels_crc = crc32(run.data.train.pixels.data(), run.data.train.pixels.size());
    id.settings = s;
    if (run.resuming) {
        const std::string mismatch = identity_mismatch(run.resumed.identity, id);
        if (!mismatch.empty()) throw InputError(s.resume + ": " + mismatch);
        if (run.resumed.mlp.classes() < run.data.num_classes || run.resumed.state.order.size() != run.split.train.size())
            throw InputError(s.resume + ": it does not fit the data in " + s.data_dir);
        run.mlp = std::move(run.resumed.mlp);
        run.state = std::move(run.resumed.state);
        return;
    }
    try {  // running out of memory all the same is reported with the estimate
        run.mlp = initial_network(run.sizes, s);
        run.state = make_train_state(run.mlp, run.split, s.train);
    } catch (const std::bad_alloc&) {
        throw SystemError("not enough memory: " + run.memory_text);
    }
}

void print_header(const Run& run) {
    const RunSettings& s = run.settings;
    std::printf("model: %s (%zu parameters); %zu train / %zu validation / %zu test images; %zu thread%s\n",
                run.shape.c_str(), run.mlp.layout.total, run.split.train.size(), run.split.validation.size(),
                run.data.test.count, run.threads, run.threads == 1 ? "" : "s");
    std::fputs(settings_command_line(s).c_str(), stdout);
    if (run.resuming && run.state.finished)
        std::printf("resuming %s: its run finished after %zu epochs; evaluating its model and writing the files\n",
                    printable(s.resume).c_str(), run.state.result.epochs_run);
    else if (run.resuming)
        std::printf("resuming %s at epoch %zu, batch %zu\n", printable(s.resume).c_str(), run.state.epoch,
                    run.state.next_row / s.train.batch_size + 1);
    std::printf("\n%s", epoch_table_header(s.train.train_metrics == TrainMetrics::after_epoch).c_str());
    if (run.resuming)
        for (const EpochRecord& r : run.state.result.history)
            std::fputs(epoch_table_row(r, r.epoch == run.state.result.best_epoch).c_str(), stdout);
}

// 4. Training (section 5): Table 1 as it grows, checkpoints, and Ctrl-C, which finishes the batch and saves
// the state to resume. A run whose loss explodes stops with its best epoch so far kept.
TrainOutcome train_model(Run& run, Compute& compute) {
    const RunSettings& s = run.settings;
    if (!s.quiet) print_header(run);
    Progress progress = make_progress(progress_mode(s.quiet, stdout_is_terminal()), s.train.batch_size,
                                      run.split.train.size());
    install_interrupt_handlers();
    TrainCallbacks callbacks;
    callbacks.on_batch = [&](size_t epoch, size_t done, size_t total, double mean_loss) {
        progress_batch(progress, epoch, done, total, mean_loss);
    };
    callbacks.on_epoch = [&](const EpochRecord& r, bool improved) {
        progress_epoch(progress, epoch_table_row(r, improved));
        // After the epoch, the state is "this epoch done": the checkpoint to resume from.
        if (run.checkpoint_every > 0 && (r.epoch % run.checkpoint_every == 0 || run.state.finished))
            save_checkpoint(run.checkpoint_path, run.identity, run.mlp, run.state);
    };
    callbacks.should_stop = [] { return interrupt_signal() != 0; };
    TrainOutcome outcome;
    try {
        outcome = train_from_state(compute, run.mlp, run.state, run.data.train, run.split, s.train, callbacks);
    } catch (const std::bad_alloc&) {
        throw SystemError("not enough memory: " + run.memory_text);
    }
    progress_clear(progress);  // a bar left by an interrupted or diverged epoch
    if (outcome.kind == TrainOutcome::interrupted) {
        save_checkpoint(run.checkpoint_path, run.identity, run.mlp, run.state);
        const size_t batches = (run.split.train.size() + s.train.batch_size - 1) / s.train.batch_size;
        const std::string where = outcome.batch == batches ? "after epoch " + std::to_string(outcome.epoch)
                                                           : "in epoch " + std::to_string(outcome.epoch) + " after batch " +
                                                                 std::to_string(outcome.batch) + " of " +
                                                                 std::to_string(batches);
        std::printf("\nstopped by signal %d %s; saved %s\nresume with: ./mnist train --resume %s --data %s --out %s\n",
                    interrupt_signal(), where.c_str(), run.checkpoint_path.c_str(), run.checkpoint_path.c_str(),
                    s.data_dir.c_str(), s.out_dir.c_str());
    }
    if (outcome.kind == TrainOutcome::diverged) {
        std::string kept;
        if (run.state.result.best_epoch > 0) {  // the best epoch so far is still good: keep it
            Mlp best = run.mlp;
            best.parameters = run.state.best_parameters;
            save_model(s.out_dir + "/model.bin", best, run.data.train.rows, run.data.train.cols);
            kept = "; " + s.out_dir + "/model.bin holds the best epoch so far (" +
                   std::to_string(run.state.result.best_epoch) + ")";
        }
        if (run.checkpoint_every > 0 && run.state.result.epochs_run > 0)
            kept += "; " + run.checkpoint_path + " holds the last checkpoint before it";
        throw TrainingError("training diverged at epoch " + std::to_string(outcome.epoch) + ", batch " +
                            std::to_string(outcome.batch) + ": " + outcome.reason + " (try a smaller --lr)" + kept);
    }
    return outcome;
}

// The settings as the files show them: counts resolved (the data's classes, the threads, the checkpoint
// interval), the recipe "" when they came from a checkpoint.
RunSettings shown_settings(const Run& run) {
    RunSettings shown = run.settings;
    shown.classes = run.data.num_classes;
    shown.threads = run.threads;
    shown.checkpoint_every = run.checkpoint_every;
    return shown;
}

// metrics.json's "config": every setting (train/settings.h), then what follows from them.
std::string config_json(const Run& run) {
    const RunSettings shown = shown_settings(run);
    JsonWriter config;
    config.begin_object();
    write_settings_json(config, shown);
    config.key("layer_sizes").begin_array();
    for (const size_t size : run.sizes) config.value(static_cast<uint64_t>(size));
    config.end_array();
    const AdamSettings& adam = shown.train.adam;
    config.key("beta1").value(static_cast<double>(adam.beta1));
    config.key("beta2").value(static_cast<double>(adam.beta2));
    config.key("epsilon").value(static_cast<double>(adam.epsilon));
    config.key("train_size").value(static_cast<uint64_t>(run.split.train.size()));
    config.key("resumed_from").value(shown.resume);
    config.end_object();
    return config.text();
}

// 5b. Inside the model (docs/04-init-dropout-l2.md): each hidden layer's Z and A statistics and dead units on
// the first training images, for the initial weights (drawn again from the seed) and the trained ones.
struct HiddenLayers {
    size_t images = 0;
    std::vector<LayerActivations> initial, trained;
    std::string json() const {  // metrics.json's "activations" ("" with no hidden layer)
        if (trained.empty()) return "";
        return "{\"sample_images\":" + std::to_string(images) + ",\"after_init\":" + activations_json(initial) +
               ",\"after_training\":" + activations_json(trained) + "}";
    }
};
HiddenLayers measure_hidden_layers(const Run& run, Compute& compute) {
    HiddenLayers hidden;
    if (run.mlp.layers() < 2) return hidden;
    hidden.images = std::min(kActivationSampleImages, run.data.train.count);
    const Mlp initial = initial_network(run.sizes, run.settings);
    hidden.initial = measure_activations(compute, initial, run.data.train, hidden.images);
    hidden.trained = measure_activations(compute, run.mlp, run.data.train, hidden.images);
    if (!run.settings.quiet)
        std::printf("\nhidden layers on the first %zu training images, after initialisation:\n%safter training:\n%s",
                    hidden.images, activation_table(hidden.initial).c_str(), activation_table(hidden.trained).c_str());
    return hidden;
}

// 6. The files (section 6 and beyond): model.bin, metrics.json, history.csv, the figures, report.html and
// report.md, and the draw-a-digit page, written all together, so that nothing of the last run's is replaced
// unless all of it is.
void write_the_files(Run& run, const Evaluation& test, const Metrics& metrics,
                     const std::vector<uint8_t>& predictions, const std::vector<float>& confidences,
                     const HiddenLayers& hidden) {
    const RunSettings& s = run.settings;
    const TrainResult& result = run.state.result;
    std::vector<OutputFile> files = {
        {s.out_dir + "/model.bin", encode_model(run.mlp, run.data.train.rows, run.data.train.cols)},
        output_file(s.out_dir + "/metrics.json",
                    metrics_json(&result, test.accuracy, test.loss, metrics, test.confusion, config_json(run),
                                 hidden.json())),
        output_file(s.out_dir + "/history.csv", history_csv(result)),
    };
    const auto start = std::chrono::steady_clock::now();
    RunReportInput report;
    for (const auto& row : settings_table_rows(shown_settings(run)))
        report.configuration.push_back({row.first, row.first == "resume" && row.second.empty() ? "(no)" : row.second});
    report.model_shape = run.shape;
    report.eda = s.no_eda ? nullptr : &run.eda;
    report.eda_figures = run.eda_figures;
    report.training = &result;
    report.test = &test;
    report.metrics = &metrics;
    report.activations_initial = hidden.initial;
    report.activations_trained = hidden.trained;
    report.figures = training_figures(result, test.confusion, metrics, run.data.test, predictions, confidences, run.mlp);
    for (const std::vector<Figure>* figures :
         {&run.eda_figures, &report.figures.curves, &report.figures.test, &report.figures.model})
        add_figure_files(files, run.figures_dir, *figures);
    const Report document = run_report(report);
    files.push_back(output_file(s.out_dir + "/report.html", report_html(document)));
    files.push_back(output_file(s.out_dir + "/report.md", report_markdown(document, "figures")));
    // The page where you draw a digit and this model answers (docs/14-draw-a-digit.md); report.html has no script.
    const std::vector<DemoDigit> digits = pick_demo_digits(run.data.test, run.mlp.classes());
    files.push_back(output_file(s.out_dir + "/demo.html",
                                demo_page(run.mlp, run.data.test.rows, run.data.test.cols, digits,
                                          default_weight_encoding(run.mlp), s.out_dir + "/model.bin")
                                    .html));
    write_files_atomic(files);
    run.report_seconds += seconds_since(start);
    if (!s.quiet)
        std::printf("\nwrote %s/model.bin, metrics.json, history.csv, report.html, report.md, demo.html and %s/ (figures "
                    "and pages took %.2f s)\n",
                    printable(s.out_dir).c_str(), printable(run.figures_dir).c_str(), run.report_seconds);
}

}  // namespace

Mlp initial_network(const std::vector<size_t>& sizes, const RunSettings& settings) {
    return make_mlp(sizes, stream_seed(settings.train.seed, RandomStream::init), settings.init);
}

ExperimentResult run_experiment(const RunSettings& settings) {
    Run run;
    run.settings = settings;
    prepare(run);
    const FolderLock lock(run.settings.out_dir);  // a second run into the same folder is refused
    load_data_and_split(run);
    look_at_the_data(run);
    make_or_resume_model(run);
    Compute compute(run.threads);

    ExperimentResult outcome;
    if (train_model(run, compute).kind == TrainOutcome::interrupted) {
        outcome.kind = ExperimentResult::interrupted;
        outcome.signal = interrupt_signal();
        outcome.training = run.state.result;
        return outcome;
    }

    // 5. The test set (section 6): the best epoch's model on the 10,000 images it has never seen.
    const TrainResult& result = run.state.result;
    MlpWorkspace ws = make_mlp_workspace(run.mlp, 256);
    std::vector<uint8_t> predictions;
    std::vector<float> confidences;
    const Evaluation test = evaluate(compute, run.mlp, ws, run.data.test, {}, &predictions, &confidences);
    const Metrics metrics = compute_metrics(test.confusion);
    std::printf("%sepochs run %zu, best epoch %zu (validation accuracy %.4f), training took %.1f s\n",
                run.settings.quiet ? "" : "\n", result.epochs_run, result.best_epoch, result.best_validation_accuracy,
                result.train_seconds);
    if (run.settings.quiet) std::printf("test accuracy %.4f, test loss %.4f\n", test.accuracy, test.loss);
    else print_test_report(test, metrics);

    const HiddenLayers hidden = measure_hidden_layers(run, compute);
    // Nothing below reads the training images or the optimiser's state: their memory (47 MB of pixels for
    // MNIST, three copies of the parameters) goes back before the files are made, so that making them does not
    // raise the run's peak. (The history, run.state.result, stays.)
    std::vector<uint8_t>().swap(run.data.train.pixels);
    std::vector<float>().swap(run.state.best_parameters);
    std::vector<float>().swap(run.state.adam.first_moment);
    std::vector<float>().swap(run.state.adam.second_moment);
    std::vector<uint32_t>().swap(run.state.order);
    write_the_files(run, test, metrics, predictions, confidences, hidden);

    // A signal after the last batch (during the test evaluation or the writing) was not acted on at once: the
    // files were finished, so they are complete and consistent. It still ends the run as a signal does.
    outcome.signal = interrupt_signal();
    if (outcome.signal != 0)
        std::printf("stopped by signal %d after training: the run's files were finished first and are complete\n",
                    outcome.signal);
    outcome.training = result;
    outcome.test_accuracy = test.accuracy;
    outcome.test_loss = test.loss;
    return outcome;
}

}  // namespace mnist
