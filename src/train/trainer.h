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
#include "util/rng.h"

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

// What the caller wants to hear during training (each may be empty): after every batch (for a progress
// bar: the epoch, batches done out of the total, and the mean loss so far this epoch); after every epoch
// (to print Table 1 as it grows, and to save checkpoints; `improved` marks a new best validation accuracy);
// and, after every batch, whether to stop now (Ctrl-C).
struct TrainCallbacks {
    std::function<void(size_t epoch, size_t batches_done, size_t batches_total, double mean_loss)> on_batch;
    std::function<void(const EpochRecord& record, bool improved)> on_epoch;
    std::function<bool()> should_stop;
};

// Everything the training loop changes as it runs, besides the model's parameters. Together with the
// parameters it is exactly what a checkpoint holds (train/checkpoint.h), so that a run stopped after any
// batch continues to bit-for-bit the same weights and metrics as a run that never stopped.
struct TrainState {
    size_t epoch = 1;                       // the epoch in progress, 1-based
    size_t next_row = 0;                    // where in `order` the next batch starts (0: epoch not begun)
    std::vector<uint32_t> order;            // this epoch's batch order (shuffled when the epoch begins)
    Rng shuffle_rng;                        // draws each epoch's order
    AdamState adam;                         // moments and the step count t (dropout's streams follow t)
    double loss_sum = 0;                    // this epoch so far: summed cross-entropy,
    uint64_t correct = 0;                   //   correct predictions,
    double epoch_seconds = 0;               //   and training seconds before an interruption
    std::vector<float> best_parameters;     // the best epoch's parameters so far
    size_t epochs_without_improvement = 0;  // for early stopping
    TrainResult result;                     // history, best epoch, epochs run, seconds so far
    bool finished = false;                  // stopped early or ran out of epochs; best weights restored
};

// The state before the first batch of a run.
TrainState make_train_state(const Mlp& mlp, const Split& split, const TrainSettings& settings);

// How train_from_state ended.
struct TrainOutcome {
    enum Kind { finished, interrupted, diverged } kind = finished;
    size_t epoch = 0, batch = 0;  // for diverged: where the loss or the weights stopped being finite
};

// Trains `mlp` in place from `state` on the images of train_set listed in split.train, validating after each
// epoch on those in split.validation, until early stopping or max_epochs (then the best epoch's parameters
// are restored into mlp and state.finished is set), or until should_stop() says so after a batch
// (interrupted: mlp and state can be checkpointed and resumed), or until the loss or the weights stop being
// finite (diverged: mlp and state are then damaged; state.best_parameters is still good).
TrainOutcome train_from_state(Compute& compute, Mlp& mlp, TrainState& state, const ImageSet& train_set,
                              const Split& split, const TrainSettings& settings, const TrainCallbacks& callbacks);

// A whole run from the start: make_train_state, then train_from_state. Throws std::runtime_error if training
// diverges or is stopped.
TrainResult train(Compute& compute, Mlp& mlp, const ImageSet& train_set, const Split& split,
                  const TrainSettings& settings, const TrainCallbacks& callbacks);

}  // namespace mnist
