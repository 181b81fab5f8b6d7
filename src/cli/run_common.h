// Pieces shared by the subcommands: the --threads option, and checking that a model fits a data set and
// computes finite numbers. (What runs print is in run/console.h.)
#pragma once

#include <string>

#include "cli/options.h"
#include "data/mnist_files.h"
#include "nn/model_file.h"
#include "train/evaluate.h"
#include "run/console.h"  // most subcommands print what runs print
#include "train/metrics.h"

namespace mnist {


// The --threads option's value (default: every hardware thread).
size_t threads_option(const ParsedOptions& options);

// Throws InputError when a model (float or int8: its image size and class count) cannot read these images or
// does not have an output for every label.
void check_fits_data(const std::string& model_name, size_t image_rows, size_t image_cols, size_t classes,
                     const MnistData& data, const std::string& data_dir);
// The same for a float model.
void check_model_fits_data(const SavedModel& model, const std::string& model_name, const MnistData& data,
                           const std::string& data_dir);

// Throws InputError naming the model when its outputs for a blank image and for a fully inked one are not
// all finite numbers: a model whose weights are finite but huge (3e38, say) overflows to inf and NaN on
// every image, and must be refused rather than print "-nan" answers. (eval and predict also check the
// outputs of every image they compute.)
void check_model_outputs(Compute& compute, const SavedModel& model, const std::string& model_name);


}  // namespace mnist
