// The training loop: epochs of shuffled mini-batches, each batch forward -> loss -> backward -> L2 -> Adam;
// after each epoch, validation and the early-stopping decision; at the end, the best epoch's weights are
// restored. The one place that knows the order of things. See docs/07-training.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "data/dataset.h"
#include "data/mnist_files.h"
#include "nn/adam.h"
#include "nn/mlp.h"

namespace mnist {

struct TrainSettings {
    float dropout_rate = 0.3f;
    float l2_lambda = 1e-4f;
    AdamSettings adam;
    size_t batch_size = 128;
    size_t max_epochs = 100;
    size_t patience = 10;  // stop after this many epochs without a better validation accuracy
    uint64_t seed = 42;    // drives the batch order and dropout (the split and init take it too)
};

// One row of the report's Table 1.
struct EpochRecord {
    size_t epoch = 0;                 // 1-based
    double train_loss = 0;            // mean cross-entropy over the epoch's batches (with dropout on)
    double train_objective = 0;       // train_loss + L2 penalty, Eq. (15), at the epoch's end
    double train_accuracy = 0;        // of the training batches' predictions, as they were trained
    double validation_loss = 0, validation_accuracy = 0;
    double seconds = 0;               // the training pass only (validation excluded)
};

struct TrainResult {
    std::vector<EpochRecord> history;
    size_t best_epoch = 0;            // 1-based; its weights are what the model holds at the end
    double best_validation_accuracy = 0;
    size_t epochs_run = 0;
    double train_seconds = 0;         // everything: training passes and validation
};

// One optimisation step on the first `rows` rows of ws.input / ws.labels: forward with dropout, backward,
// the L2 gradient, Adam. Returns the batch's summed cross-entropy; ws.probs holds its predictions.
double train_step(Compute& compute, Mlp& mlp, MlpWorkspace& ws, AdamState& adam, const TrainSettings& settings,
                  size_t rows, uint64_t dropout_seed);

// What the caller wants to hear during training (either may be empty): after every batch (for a progress
// bar: the epoch, batches done out of the total, and the mean loss so far this epoch), and after every epoch
// (to print Table 1 as it grows; `improved` marks a new best validation accuracy).
struct TrainCallbacks {
    std::function<void(size_t epoch, size_t batches_done, size_t batches_total, double mean_loss)> on_batch;
    std::function<void(const EpochRecord& record, bool improved)> on_epoch;
};

// Trains `mlp` in place on the images of train_set listed in split.train, validating after each epoch on
// those listed in split.validation. On return mlp holds the best epoch's parameters.
TrainResult train(Compute& compute, Mlp& mlp, const ImageSet& train_set, const Split& split,
                  const TrainSettings& settings, const TrainCallbacks& callbacks);

}  // namespace mnist
