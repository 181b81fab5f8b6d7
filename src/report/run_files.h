// What a training or evaluation run prints and writes: Table 1 (one line per epoch), Table 2 (per-class
// precision/recall/F1/support with macro averages) and the confusion matrix as text, and the files
// metrics.json and history.csv. Formats only: the numbers come from train/. See docs/07-training.md.
#pragma once

#include <string>

#include "nn/activation_stats.h"
#include "train/metrics.h"
#include "train/trainer.h"

namespace mnist {

// Table 1: epoch, mean training cross-entropy, the same plus the L2 term (the objective Adam minimises),
// training accuracy, validation loss and accuracy, seconds; "*" marks a new best validation accuracy. With
// train_evaluated (--train-metrics after-epoch), two more columns after train_acc: the training images
// measured after the epoch without dropout (train_eval_loss, train_eval_acc).
std::string epoch_table_header(bool train_evaluated = false);
std::string epoch_table_row(const EpochRecord& record, bool improved);

// Table 2 and the confusion matrix (rows: true label, columns: predicted).
std::string class_report(const Metrics& metrics);
std::string confusion_report(const ConfusionMatrix& confusion);

// history.csv: a header line, then one row per epoch with the fields of EpochRecord (train_eval_loss and
// train_eval_acc only when the run measured them).
std::string history_csv(const TrainResult& result);

// The hidden layers' activation statistics (nn/activation_stats.h) as a text table, one row per layer: units,
// mean and variance of Z and of A, the dead units' share.
std::string activation_table(const std::vector<LayerActivations>& layers);
// The same as a JSON array of objects (layer, units, z_mean, z_var, a_mean, a_var, dead_units, dead_share).
std::string activations_json(const std::vector<LayerActivations>& layers);

// metrics.json: test_accuracy, test_loss, best_epoch, epochs_run, train_seconds, history, per_class,
// macro averages, confusion, and `config_json` (an already-encoded JSON object) as "config"; then, when
// `activations` is not empty, it (an already-encoded JSON object) as "activations".
// result may be null (evaluation only): then the training fields are left out.
std::string metrics_json(const TrainResult* result, double test_accuracy, double test_loss, const Metrics& metrics,
                         const ConfusionMatrix& confusion, const std::string& config_json,
                         const std::string& activations = "");

}  // namespace mnist
