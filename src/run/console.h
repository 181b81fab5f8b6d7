// What a run prints: the one-line summary of the data it loaded, and the test set's tables (Table 2 and the
// confusion matrix). Used by the experiment (run/experiment.h) and by the subcommands that load data or
// evaluate a model. See docs/07-training.md.
#pragma once

#include <cstddef>
#include <string>

#include "data/mnist_files.h"
#include "train/evaluate.h"
#include "train/metrics.h"

namespace mnist {

// load_mnist(dir, stated_classes), timed, printing "data: ..." unless quiet, and a "data: ... chosen over
// its .gz" line for each raw file read although its .gz is there too.
MnistData load_data_verbose(const std::string& dir, bool quiet, size_t stated_classes = 0);

// Prints the test accuracy and loss, Table 2 and the confusion matrix.
void print_test_report(const Evaluation& test, const Metrics& metrics);

}  // namespace mnist
