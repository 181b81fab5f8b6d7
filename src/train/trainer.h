// The training loop: epochs of shuffled mini-batches, each batch forward -> loss -> backward -> L2 -> Adam;
// after each epoch, validation and the early-stopping decision; at the end, the best epoch's weights are
// restored. The one place that knows the order of things. See docs/07-training.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "data/augment.h"
#include "data/dataset.h"
#include "data/mnist_files.h"
#include "nn/adam.h"
#include "nn/mlp.h"
#include "train/lr_schedule.h"
#include "util/rng.h"

namespace mnist {

// How the training set is measured for Table 1 after each epoch: `running`, the mean over the epoch's
// batches as they were trained (dropout on, the weights still moving); or `after_epoch`, that and also a
// pass over the (unaugmented) training images without dropout with the epoch's final weights, as the
// validation set is measured. See docs/08-reproducing.md.
enum class TrainMetrics { running, after_epoch };

struct TrainSettings {
    float dropout_rate = 0.3f;
    float l2_lambda = 1e-4f;
    AdamSettings adam;
    size_t batch_size = 128;
    size_t max_epochs = 100;
    size_t patience = 10;  // stop after this many epochs without a better validation accuracy
    uint64_t seed = 42;    // drives the batch order, dropout and augmentation (the split and init take it too)
    AugmentSettings augment;  // on-the-fly augmentation of the training batches (none in the report's recipe)
    LrSchedule schedule;      // the learning rate over the run (constant in the report's recipe)
    float max_norm = 0.0f;    // > 0: each weight row's norm is capped at max_norm after every update, Eq. (33)
    LossReduction loss_reduction = LossReduction::mean;  // the batch's cross-entropy: mean, Eq. (5), or sum
    TrainMetrics train_metrics = TrainMetrics::running;  // Table 1's training columns
};

// One row of the report's Table 1.
struct EpochRecord {
    size_t epoch = 0;                 // 1-based
    double train_loss = 0;            // mean cross-entropy over the epoch's batches (with dropout on)
    double train_objective = 0;       // train_loss + L2 penalty, Eq. (15), at the epoch's end (with
                                      //   --loss-reduction sum: train_loss + penalty / batch, the summed
                                      //   objective per example)
    double train_accuracy = 0;        // of the training batches' predictions, as they were trained
    bool train_evaluated = false;     // TrainMetrics::after_epoch: the next two were measured
    double train_eval_loss = 0;       // the training images after the epoch, no dropout: mean cross-entropy
    double train_eval_accuracy = 0;   //   and accuracy, as evaluate() gives them
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
// the L2 gradient, Adam with this step's learning rate (in place of settings.adam's), then max-norm if
// settings.max_norm > 0. The cross-entropy is reduced as settings.loss_reduction says. Returns the batch's
// summed cross-entropy (whichever the reduction); ws.probs holds its predictions.
double train_step(Compute& compute, Mlp& mlp, MlpWorkspace& ws, AdamState& adam, const TrainSettings& settings,
                  size_t rows, uint64_t dropout_seed, float learning_rate);

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
    AdamState adam;                         // moments and the step count t (dropout's and augmentation's
                                            //   streams, and the learning rate, follow t)
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
    size_t epoch = 0, batch = 0;  // for diverged: where the loss exploded or the weights stopped being finite
    std::string reason;           // for diverged: what was seen, e.g. "a batch's mean cross-entropy of 1.7e+09"
};

// Training has diverged when a batch's mean cross-entropy is not a finite number or is more than
// kExplodedLossFactor times ln(classes), the loss of giving every class the same probability: for 10
// classes, 230 nats, the true class given e^-230 on average. A run that learns never comes near it (even
// the first batches of a random network are near ln(classes)); a run whose weights blow up (--lr 10) gets
// there long before its numbers overflow to inf, and used to be counted a success with a loss of 9e37.
// The weights, Adam's moments (checked at each epoch's end and before an interrupted run is saved, so that
// every checkpoint can be read back) and the validation loss must stay finite too.
constexpr double kExplodedLossFactor = 100;
bool loss_exploded(double mean_loss, size_t classes);

// Trains `mlp` in place from `state` on the images of train_set listed in split.train, validating after each
// epoch on those in split.validation, until early stopping or max_epochs (then the best epoch's parameters
// are restored into mlp and state.finished is set), or until should_stop() says so after a batch
// (interrupted: mlp and state can be checkpointed and resumed), or until the loss or the weights stop being
// finite (diverged: mlp and state are then damaged; state.best_parameters is still good).
TrainOutcome train_from_state(Compute& compute, Mlp& mlp, TrainState& state, const ImageSet& train_set,
                              const Split& split, const TrainSettings& settings, const TrainCallbacks& callbacks);

// The rows of the training workspace: a batch, or all the training images when there are fewer (so that
// --batch 65536 on 2,000 images does not size buffers for 65,536 rows).
size_t training_batch_rows(const TrainSettings& settings, size_t train_images);

// An estimate, in bytes, of what a run of a network with these layer sizes allocates besides the data:
// the parameters and their four companions (gradients, Adam's two moments, the best epoch's copy), a
// checkpoint's encoding (four parameter-sized blocks), the activations of a training batch of
// `batch_rows` rows (four per hidden unit per row: output, dropout mask, dropped output, gradient;
// three per class; the input row) and of an evaluation batch of 256, and the batch order.
uint64_t training_memory_bytes(const std::vector<size_t>& sizes, size_t batch_rows, size_t train_images);

// A whole run from the start: make_train_state, then train_from_state. Throws std::runtime_error if training
// diverges or is stopped.
TrainResult train(Compute& compute, Mlp& mlp, const ImageSet& train_set, const Split& split,
                  const TrainSettings& settings, const TrainCallbacks& callbacks);

}  // namespace mnist
