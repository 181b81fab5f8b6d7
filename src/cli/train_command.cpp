// `mnist train` (the default): the report's whole experiment, from the raw files to Tables 1 and 2, the
// figures and the files in --out. Every option's default is the report's recipe.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <new>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/progress.h"
#include "cli/recipe_options.h"
#include "cli/run_common.h"
#include "codec/checksum.h"
#include "data/dataset.h"
#include "nn/model_file.h"
#include "report/demo_page.h"
#include "report/eda.h"
#include "report/figures.h"
#include "report/html_report.h"
#include "report/run_files.h"
#include "report/run_report.h"
#include "train/evaluate.h"
#include "train/trainer.h"
#include "train/checkpoint.h"
#include "util/check.h"
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

const std::vector<OptionSpec>& train_options() {
    static const std::vector<OptionSpec> specs = insert_recipe_options({
        {"data", "DIR", "data", "folder with the four MNIST files (raw or .gz)"},
        {"out", "DIR", "out", "folder for model.bin, metrics.json, history.csv, report.html/.md, figures/"},
        {"hidden", "LIST", "512,256,128", "hidden layer sizes, comma-separated (\"\" for none)"},
        {"dropout", "RATE", "0.3", "dropout rate of the hidden layers during training, in [0, 0.95]"},
        {"l2", "LAMBDA", "1e-4", "L2 weight penalty lambda/2 * ||W||^2 (biases not decayed)"},
        {"lr", "RATE", "0.001", "Adam learning rate"},
        {"batch", "N", "128", "mini-batch size"},
        {"epochs", "N", "100", "the most epochs to train"},
        {"patience", "N", "10", "stop after N epochs without a better validation accuracy"},
        {"val-size", "N", "6000", "training images held out for validation (seeded shuffle)"},
        {"limit", "N", "0", "train on only the first N training images (0 = all)"},
        classes_option_spec(),
        {"seed", "N", "42", "seed for the split, initial weights, batch order, dropout and augmentation"},
        {"threads", "N", "all", "threads to compute with (1 = no extra threads)"},
        {"checkpoint-every", "N", "auto", "write OUT/checkpoint.bin every N epochs; 0 = never (auto: 1 if --epochs >= 5)"},
        {"resume", "FILE", "", "continue the run saved in checkpoint FILE (its settings are used)"},
        {"quiet", "", "", "print only the final summary"},
        {"no-eda", "", "", "skip the data figures (class balance, samples, means, pixel histogram)"},
        {"help", "", "", "show this help"},
    }, "seed", "report");  // then --recipe, the augmentation and the schedule options (cli/recipe_options.h)
    return specs;
}

const char* kTrainUsage =
    "usage: mnist [train] [options]\n"
    "       mnist train --resume OUT/checkpoint.bin [--data DIR] [--out DIR] [--threads N]\n"
    "Trains the MLP on the MNIST training set (minus the validation split) with Adam, dropout, L2 and early\n"
    "stopping, restores the best epoch, evaluates on the test set, and writes model.bin, metrics.json,\n"
    "history.csv, the figures (figures/*.svg, *.png) and report.html / report.md to --out. On a terminal each\n"
    "epoch shows a progress bar; in a log or pipe, one line per epoch. Ctrl-C (or SIGTERM) finishes the current\n"
    "batch, writes a checkpoint and says how to resume; the resumed run ends exactly as an uninterrupted one\n"
    "would.\n\noptions:\n";

// The options that decide the result: with --resume they come from the checkpoint and may not be given.
const char* const kRunOptions[] = {"hidden", "dropout", "l2", "lr", "batch", "epochs", "patience", "val-size",
                                   "limit", "seed", "classes"};

// Random-stream numbers for the seed's uses.
constexpr uint64_t kInitStream = 0x1217ull;

}  // namespace

int train_command(const std::vector<std::string>& args) {
    const ParsedOptions options = with_recipe(parse_options("train", args, train_options()));
    if (option_flag(options, "help")) {
        std::printf("%s%s", kTrainUsage, options_help(train_options()).c_str());
        return kExitOk;
    }
    // Read and check every option before doing any work.
    const std::string data_dir = option_string(options, "data");
    const std::string out_dir = option_string(options, "out");
    const bool resuming = option_given(options, "resume");
    if (resuming)
        for (const char* name : kRunOptions)
            if (option_given(options, name))
                throw UsageError(std::string("--") + name + " cannot be combined with --resume: a resumed run keeps the "
                                 "settings of the checkpoint");
    if (resuming) refuse_recipe_options_with_resume(options);
    const std::vector<size_t> hidden = option_size_list(options, "hidden", 65536, true);
    std::string hidden_text;
    for (const size_t units : hidden) hidden_text += (hidden_text.empty() ? "" : ",") + std::to_string(units);
    // A network a model file cannot hold (nn/model_file.h) is refused before any work: here with the
    // fewest inputs and classes any data can have (1 and 2), again below with the data's.
    if (!resuming) {
        std::vector<size_t> least = {1};
        least.insert(least.end(), hidden.begin(), hidden.end());
        least.push_back(2);
        const std::string problem = model_size_problem(least);
        if (!problem.empty()) throw UsageError("--hidden " + hidden_text + ": " + problem);
    }
    TrainSettings settings;
    settings.dropout_rate = static_cast<float>(option_real(options, "dropout", 0.0, 0.95));
    settings.l2_lambda = static_cast<float>(option_real(options, "l2", 0.0, 1.0));
    settings.adam.learning_rate = static_cast<float>(option_real(options, "lr", 1e-7, 10.0));
    settings.batch_size = option_unsigned(options, "batch", 1, 65536);
    settings.max_epochs = option_unsigned(options, "epochs", 1, 1000000);
    settings.patience = option_unsigned(options, "patience", 1, 1000000);
    settings.seed = option_unsigned(options, "seed", 0, UINT64_MAX);
    settings.augment = read_augmentation_options(options);
    read_schedule_options(options, settings);
    size_t validation_size = option_unsigned(options, "val-size", 1, UINT32_MAX);
    size_t limit = option_unsigned(options, "limit", 0, UINT32_MAX);
    const size_t threads = threads_option(options);
    const bool quiet = option_flag(options, "quiet");
    const bool eda_wanted = !option_flag(options, "no-eda");
    const std::string figures_dir = out_dir + "/figures";
    const bool every_given = option_given(options, "checkpoint-every");
    size_t checkpoint_every = every_given ? option_unsigned(options, "checkpoint-every", 0, 1000000) : 0;

    // A checkpoint to resume brings its own settings, model and training state.
    Checkpoint resumed;
    if (resuming) {
        resumed = load_checkpoint(option_string(options, "resume"));
        settings = resumed.identity.settings;
        validation_size = resumed.identity.validation_size;
        limit = resumed.identity.limit;
    }
    if (!every_given) checkpoint_every = settings.max_epochs >= 5 ? 1 : 0;

    // Fail now, not after an hour of training, if the outputs cannot be written: the folder is made and
    // locked against a second run into it (util/folder_lock.h; taking the lock also shows that files can
    // be created there), and nothing but a file may stand where the run writes one. Before the end,
    // nothing is written into the folder but checkpoint.bin: the run's files, figures included, are
    // written together when it has them all, so a run that fails leaves the last run's files as they were.
    make_directories(out_dir);
    const FolderLock lock(out_dir);
    const std::string checkpoint_path = out_dir + "/checkpoint.bin";
    for (const char* name : {"model.bin", "metrics.json", "history.csv", "report.html", "report.md", "demo.html",
                             "checkpoint.bin"})
        check_can_replace(out_dir + "/" + name);
    if (file_exists(figures_dir) && !std::filesystem::is_directory(figures_dir))
        throw SystemError(figures_dir + ": something other than a folder is in the way of the run's figures");

    // The classes: as --classes states, the checkpoint's, or else from the labels (data/mnist_files.h).
    const MnistData data = load_data_verbose(data_dir, quiet, resuming ? resumed.mlp.classes() : classes_option(options));
    if (validation_size >= data.train.count)
        throw UsageError("--val-size " + std::to_string(validation_size) + ": must be smaller than the " +
                         std::to_string(data.train.count) + " training images");
    Split split = split_train_validation(data.train.count, validation_size, settings.seed);
    if (limit > 0 && limit < split.train.size()) split.train.resize(limit);

    // The network: the checkpoint's, or the --hidden layers between the data's inputs and classes. Before
    // any work, it must be one a model file can hold, and its estimated memory must not exceed what the
    // machine has (when it says): an impossible --hidden or --batch is named now, not by "out of memory"
    // later.
    std::vector<size_t> sizes = {data.train.rows * data.train.cols};
    sizes.insert(sizes.end(), hidden.begin(), hidden.end());
    sizes.push_back(data.num_classes);
    if (resuming) sizes = resumed.mlp.layout.sizes;
    const std::string problem = model_size_problem(sizes);
    if (!problem.empty())
        throw UsageError("--hidden " + hidden_text + ": " + problem + " (with the data's " + std::to_string(sizes.front()) +
                         " inputs and " + std::to_string(sizes.back()) + " classes)");
    std::string shape;
    for (size_t i = 0; i < sizes.size(); ++i) shape += (i ? " -> " : "") + std::to_string(sizes[i]);
    const size_t batch_rows = training_batch_rows(settings, split.train.size());
    const uint64_t memory = training_memory_bytes(sizes, batch_rows, split.train.size()) + data.train.pixels.size() +
                            data.test.pixels.size();
    const std::string memory_text = (resuming ? "the checkpoint's network " : "the network ") + shape + " with " +
                                    (resuming ? "its" : "--batch " + std::to_string(settings.batch_size) + ": a") +
                                    " batch of " + std::to_string(batch_rows) + " rows needs about " +
                                    std::to_string(memory >> 20) + " MB with the data";
    const uint64_t machine = system_memory_bytes();
    if (machine > 0 && memory > machine)
        throw UsageError((resuming ? "" : "--hidden " + hidden_text + ", --batch " + std::to_string(settings.batch_size) +
                                              ": ") + memory_text + ", more than this machine's " +
                         std::to_string(machine >> 20) + " MB of memory and swap");

    // Look at the data before training on it: numbers printed, figures drawn (and written with the rest).
    EdaSummary eda;
    std::vector<Figure> eda_figs;
    double report_seconds = 0;  // EDA, figures and report: the cost of looking, reported at the end
    if (eda_wanted) {
        const auto start = std::chrono::steady_clock::now();
        eda = compute_eda(data, split, 3);
        eda_figs = eda_figures(eda, data.train);
        report_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (!quiet)
            for (const std::string& line : eda_observations(eda)) std::printf("eda: %s\n", line.c_str());
    }

    RunIdentity identity;
    identity.image_rows = data.train.rows;
    identity.image_cols = data.train.cols;
    identity.settings = settings;
    identity.validation_size = validation_size;
    identity.limit = limit;
    identity.train_images = data.train.count;
    identity.train_labels_crc = crc32(data.train.labels.data(), data.train.labels.size());
    // The images too: a checkpoint once resumed into a folder with the same labels and other pixels. A
    // CRC of 47 MB takes about 0.1 s, a quarter of what reading and inflating them did.
    identity.train_pixels_crc = crc32(data.train.pixels.data(), data.train.pixels.size());

    // Running out of memory all the same (the estimate is only that, and other programs use memory too)
    // is reported with the estimate and the options that decide it.
    const auto out_of_memory = [&] { return SystemError("not enough memory: " + memory_text); };
    Mlp mlp;
    TrainState state;
    if (resuming) {
        const std::string mismatch = identity_mismatch(resumed.identity, identity);
        if (!mismatch.empty()) throw InputError(option_string(options, "resume") + ": " + mismatch);
        if (resumed.mlp.classes() < data.num_classes || resumed.state.order.size() != split.train.size())
            throw InputError(option_string(options, "resume") + ": it does not fit the data in " + data_dir);
        mlp = std::move(resumed.mlp);
        state = std::move(resumed.state);
    } else {
        try {
            mlp = make_mlp(sizes, mix64(settings.seed ^ kInitStream));
            state = make_train_state(mlp, split, settings);
        } catch (const std::bad_alloc&) {
            throw out_of_memory();
        }
    }
    Compute compute(threads);

    if (!quiet) {
        std::printf("model: %s (%zu parameters); %zu train / %zu validation / %zu test images; %zu thread%s\n",
                    shape.c_str(), mlp.layout.total, split.train.size(), split.validation.size(), data.test.count,
                    threads, threads == 1 ? "" : "s");
        std::printf("training: Adam lr %g, batch %zu, dropout %g, L2 %g, up to %zu epochs, patience %zu, seed %llu\n",
                    static_cast<double>(settings.adam.learning_rate), settings.batch_size,
                    static_cast<double>(settings.dropout_rate), static_cast<double>(settings.l2_lambda),
                    settings.max_epochs, settings.patience, static_cast<unsigned long long>(settings.seed));
        std::fputs(describe_recipe_settings(settings).c_str(), stdout);
        if (resuming && state.finished)
            std::printf("resuming %s: its run finished after %zu epochs; evaluating its model and writing the files\n",
                        printable(option_string(options, "resume")).c_str(), state.result.epochs_run);
        else if (resuming)
            std::printf("resuming %s at epoch %zu, batch %zu\n", printable(option_string(options, "resume")).c_str(),
                        state.epoch, state.next_row / settings.batch_size + 1);
        std::printf("\n%s", epoch_table_header().c_str());
        if (resuming)
            for (const EpochRecord& r : state.result.history)
                std::fputs(epoch_table_row(r, r.epoch == state.result.best_epoch).c_str(), stdout);
    }
    Progress progress =
        make_progress(progress_mode(quiet, stdout_is_terminal()), settings.batch_size, split.train.size());
    install_interrupt_handlers();
    TrainCallbacks callbacks;
    callbacks.on_batch = [&](size_t epoch, size_t done, size_t total, double mean_loss) {
        progress_batch(progress, epoch, done, total, mean_loss);
    };
    callbacks.on_epoch = [&](const EpochRecord& r, bool improved) {
        progress_epoch(progress, epoch_table_row(r, improved));
        // After the epoch, the state is "this epoch done": the checkpoint to resume from.
        if (checkpoint_every > 0 && (r.epoch % checkpoint_every == 0 || state.finished))
            save_checkpoint(checkpoint_path, identity, mlp, state);
    };
    callbacks.should_stop = [] { return interrupt_signal() != 0; };
    TrainOutcome outcome;
    try {
        outcome = train_from_state(compute, mlp, state, data.train, split, settings, callbacks);
    } catch (const std::bad_alloc&) {
        throw out_of_memory();
    }

    progress_clear(progress);  // a bar left by an interrupted or diverged epoch
    if (outcome.kind == TrainOutcome::interrupted) {
        save_checkpoint(checkpoint_path, identity, mlp, state);
        const size_t batches = (split.train.size() + settings.batch_size - 1) / settings.batch_size;
        const std::string where = outcome.batch == batches ? "after epoch " + std::to_string(outcome.epoch)
                                                           : "in epoch " + std::to_string(outcome.epoch) + " after batch " +
                                                                 std::to_string(outcome.batch) + " of " +
                                                                 std::to_string(batches);
        std::printf("\nstopped by signal %d %s; saved %s\nresume with: ./mnist train --resume %s --data %s --out %s\n",
                    interrupt_signal(), where.c_str(), checkpoint_path.c_str(), checkpoint_path.c_str(),
                    data_dir.c_str(), out_dir.c_str());
        return interrupt_exit_status();
    }
    if (outcome.kind == TrainOutcome::diverged) {
        std::string kept;
        if (state.result.best_epoch > 0) {  // the best epoch so far is still good: keep it
            Mlp best = mlp;
            best.parameters = state.best_parameters;
            save_model(out_dir + "/model.bin", best, data.train.rows, data.train.cols);
            kept = "; " + out_dir + "/model.bin holds the best epoch so far (" +
                   std::to_string(state.result.best_epoch) + ")";
        }
        if (checkpoint_every > 0 && state.result.epochs_run > 0)
            kept += "; " + checkpoint_path + " holds the last checkpoint before it";
        throw TrainingError("training diverged at epoch " + std::to_string(outcome.epoch) + ", batch " +
                            std::to_string(outcome.batch) + ": " + outcome.reason + " (try a smaller --lr)" + kept);
    }
    const TrainResult& result = state.result;

    MlpWorkspace ws = make_mlp_workspace(mlp, 256);
    std::vector<uint8_t> predictions;
    std::vector<float> confidences;
    const Evaluation test = evaluate(compute, mlp, ws, data.test, {}, &predictions, &confidences);
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
    for (size_t i = 1; i + 1 < sizes.size(); ++i) config.value(static_cast<uint64_t>(sizes[i]));
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
    config.key("classes").value(static_cast<uint64_t>(data.num_classes));
    config.key("train_size").value(static_cast<uint64_t>(split.train.size()));
    config.key("seed").value(static_cast<uint64_t>(settings.seed));
    config.key("threads").value(static_cast<uint64_t>(threads));
    config.key("checkpoint_every").value(static_cast<uint64_t>(checkpoint_every));
    config.key("resumed_from").value(resuming ? option_string(options, "resume") : std::string());
    write_recipe_config(config, settings, resuming ? std::string() : option_string(options, "recipe"));
    config.end_object();

    std::vector<OutputFile> files = {
        {out_dir + "/model.bin", encode_model(mlp, data.train.rows, data.train.cols)},
        output_file(out_dir + "/metrics.json",
                    metrics_json(&result, test.accuracy, test.loss, metrics, test.confusion, config.text())),
        output_file(out_dir + "/history.csv", history_csv(result)),
    };

    // The figures of the run and the report that holds them all.
    const auto report_start = std::chrono::steady_clock::now();
    RunReportInput report;
    // The values the run used (with --resume, the checkpoint's), as metrics.json's "config" holds them.
    std::string hidden_list;
    for (size_t i = 1; i + 1 < sizes.size(); ++i) hidden_list += (i > 1 ? "," : "") + std::to_string(sizes[i]);
    const auto number = [](double value) {
        char text[32];
        std::snprintf(text, sizeof text, "%g", value);
        return std::string(text);
    };
    report.configuration = {
        {"data", data_dir},
        {"out", out_dir},
        {"hidden", hidden_list.empty() ? "(none)" : hidden_list},
        {"dropout", number(settings.dropout_rate)},
        {"l2", number(settings.l2_lambda)},
        {"lr", number(settings.adam.learning_rate)},
        {"batch", std::to_string(settings.batch_size)},
        {"epochs", std::to_string(settings.max_epochs)},
        {"patience", std::to_string(settings.patience)},
        {"val-size", std::to_string(validation_size)},
        {"limit", std::to_string(limit)},
        {"classes", std::to_string(data.num_classes)},
        {"seed", std::to_string(settings.seed)},
        {"threads", std::to_string(threads)},
        {"checkpoint-every", std::to_string(checkpoint_every)},
        {"resume", resuming ? option_string(options, "resume") : "(no)"},
        {"eda", eda_wanted ? "yes" : "no (--no-eda)"},
    };
    for (const auto& line : recipe_configuration(settings, resuming ? "" : option_string(options, "recipe")))
        report.configuration.push_back(line);
    report.model_shape = shape;
    report.eda = eda_wanted ? &eda : nullptr;
    report.eda_figures = eda_figs;
    report.training = &result;
    report.test = &test;
    report.metrics = &metrics;
    report.figures = training_figures(result, test.confusion, metrics, data.test, predictions, confidences, mlp);
    for (const std::vector<Figure>* figures : {&eda_figs, &report.figures.curves, &report.figures.test,
                                               &report.figures.model})
        add_figure_files(files, figures_dir, *figures);
    const Report document = run_report(report);
    files.push_back(output_file(out_dir + "/report.html", report_html(document)));
    files.push_back(output_file(out_dir + "/report.md", report_markdown(document, "figures")));
    // The page where you draw a digit and this model answers (docs/14-draw-a-digit.md); report.html has no script.
    const std::vector<DemoDigit> demo_digits = pick_demo_digits(data.test, mlp.classes());
    files.push_back(output_file(out_dir + "/demo.html", demo_page(mlp, data.test.rows, data.test.cols, demo_digits,
                                                                 default_weight_encoding(mlp), out_dir + "/model.bin").html));
    write_files_atomic(files);  // all together: nothing of the last run's is replaced unless all of it is
    report_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - report_start).count();
    if (!quiet)
        std::printf("\nwrote %s/model.bin, metrics.json, history.csv, report.html, report.md, demo.html and %s/ (figures "
                    "and pages took %.2f s)\n", printable(out_dir).c_str(), printable(figures_dir).c_str(), report_seconds);
    // A signal that came after the last batch (during the final evaluation or the writing) was not acted
    // on at once: the files were finished, so they are complete and consistent. It still ends the run
    // as a signal does, not with success.
    if (interrupt_signal() != 0) {
        std::printf("stopped by signal %d after training: the run's files were finished first and are complete\n",
                    interrupt_signal());
        return interrupt_exit_status();
    }
    return kExitOk;
}

}  // namespace mnist
