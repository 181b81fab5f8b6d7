// `mnist train` (the default): reads its options, which are the rows of the settings table
// (train/settings.h), and runs the experiment (run/experiment.h). Every option's default is the report's
// recipe. This file only parses, calls and sets the exit status.
#include <cstdio>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/settings_options.h"
#include "run/experiment.h"
#include "util/interrupt.h"

namespace mnist {

namespace {

const std::vector<OptionSpec>& train_options() {
    static const std::vector<OptionSpec> specs = [] {
        std::vector<OptionSpec> all = setting_option_specs();  // every row of the settings table
        all.push_back({"help", "", "", "show this help"});
        return all;
    }();
    return specs;
}

const char* kTrainUsage =
    "usage: mnist [train] [options]\n"
    "       mnist train --resume OUT/checkpoint.bin [--data DIR] [--out DIR] [--threads N]\n"
    "Trains the MLP on the MNIST training set (minus the validation split) with Adam, dropout, L2 and early\n"
    "stopping, restores the best epoch, evaluates on the test set, and writes model.bin, metrics.json,\n"
    "history.csv, the figures (figures/*.svg, *.png), report.html / report.md and demo.html to --out. On a\n"
    "terminal each epoch shows a progress bar; in a log or pipe, one line per epoch. Ctrl-C (or SIGTERM)\n"
    "finishes the current batch, writes a checkpoint and says how to resume; the resumed run ends exactly as\n"
    "an uninterrupted one would.\n";

}  // namespace

int train_command(const std::vector<std::string>& args) {
    const ParsedOptions options = with_recipe(parse_options("train", args, train_options()));
    if (print_help_if_asked(options, kTrainUsage)) return kExitOk;
    if (option_given(options, "resume")) refuse_identifying_options(options);  // the checkpoint's settings are used
    RunSettings settings;
    read_settings(options, settings);  // every value checked before any work
    const ExperimentResult result = run_experiment(settings);
    return result.signal != 0 ? interrupt_exit_status() : kExitOk;
}

}  // namespace mnist
