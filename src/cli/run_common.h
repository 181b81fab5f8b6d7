// Pieces shared by the subcommands: loading the data set with a one-line summary, the --threads option,
// the evaluation printout, and checking that a model fits a data set.
#pragma once

#include <string>

#include "cli/options.h"
#include "data/mnist_files.h"
#include "nn/model_file.h"
#include "train/evaluate.h"
#include "train/metrics.h"

namespace mnist {

// load_mnist(dir, stated_classes), timed, printing "data: ..." unless quiet, and a "data: ... chosen over
// its .gz" line for each raw file read although its .gz is there too.
MnistData load_data_verbose(const std::string& dir, bool quiet, size_t stated_classes = 0);

// The --classes option's value: 0 for "auto" (the default), else 2 to 256.
size_t classes_option(const ParsedOptions& options);
// The line of an option table that declares --classes.
OptionSpec classes_option_spec();

// The --threads option's value (default: every hardware thread).
size_t threads_option(const ParsedOptions& options);

// Throws InputError when a model cannot read these images or does not have an output for every label.
void check_model_fits_data(const SavedModel& model, const std::string& model_name, const MnistData& data,
                           const std::string& data_dir);

// Throws InputError naming the model when its outputs for a blank image and for a fully inked one are not
// all finite numbers: a model whose weights are finite but huge (3e38, say) overflows to inf and NaN on
// every image, and must be refused rather than print "-nan" answers. (eval and predict also check the
// outputs of every image they compute.)
void check_model_outputs(Compute& compute, const SavedModel& model, const std::string& model_name);

// Prints the test accuracy and loss, Table 2 and the confusion matrix.
void print_test_report(const Evaluation& test, const Metrics& metrics);

}  // namespace mnist
