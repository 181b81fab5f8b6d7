// The training loop. All buffers (workspace, gradients, Adam moments, the best weights) are allocated
// before the first epoch; the per-batch loop allocates nothing.
#include "train/trainer.h"

#include <algorithm>
#include <chrono>

#include "nn/l2.h"
#include "train/parallel_batch.h"
#include "train/evaluate.h"
#include "util/rng.h"

namespace mnist {

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Random-stream numbers for the seed's uses (make_rng(seed, stream)), so that each use is independent.
constexpr uint64_t kShuffleStream = 0x5F0FF1E5ull;
constexpr uint64_t kDropoutStream = 0xD809017ull;

}  // namespace

double train_step(Compute& compute, Mlp& mlp, MlpWorkspace& ws, AdamState& adam, const TrainSettings& settings,
                  size_t rows, uint64_t dropout_seed) {
    const double loss = mlp_forward(compute, mlp, ws, rows, true, settings.dropout_rate, dropout_seed);
    mlp_backward(compute, mlp, ws, rows, settings.dropout_rate);
    l2_penalty_backward(compute, mlp.layout, ws.gradients, mlp.parameters, settings.l2_lambda);  // Eq. (16)
    adam_step(compute, mlp.parameters, ws.gradients, adam, settings.adam);
    return loss;
}

TrainResult train(Compute& compute, Mlp& mlp, const ImageSet& train_set, const Split& split,
                  const TrainSettings& settings, const TrainCallbacks& callbacks) {
    const auto run_start = std::chrono::steady_clock::now();
    MlpWorkspace ws = make_mlp_workspace(mlp, settings.batch_size);
    AdamState adam = make_adam_state(mlp.layout.total);
    std::vector<float> best_parameters = mlp.parameters;
    std::vector<uint32_t> order = split.train;
    const uint64_t dropout_seed = mix64(settings.seed ^ kDropoutStream);
    Rng shuffle_rng = make_rng(settings.seed, kShuffleStream);

    TrainResult result;
    size_t epochs_without_improvement = 0;
    for (size_t epoch = 1; epoch <= settings.max_epochs; ++epoch) {
        const auto epoch_start = std::chrono::steady_clock::now();
        shuffle(shuffle_rng, order.data(), order.size());  // a new batch order every epoch
        double loss_sum = 0.0;
        uint64_t correct = 0;
        const size_t batches = (order.size() + settings.batch_size - 1) / settings.batch_size;
        for (size_t start = 0; start < order.size(); start += settings.batch_size) {
            const size_t rows = std::min(settings.batch_size, order.size() - start);
            load_batch_parallel(compute, ws.input.top_rows(rows), ws.labels.data(), train_set, order.data() + start,
                                rows);
            // Each step's dropout masks come from their own stream: mix(seed, step).
            loss_sum += train_step(compute, mlp, ws, adam, settings, rows, mix64(dropout_seed + adam.step));
            for (size_t r = 0; r < rows; ++r) correct += argmax_row(ws.probs, r) == ws.labels[r];
            if (callbacks.on_batch)
                callbacks.on_batch(epoch, start / settings.batch_size + 1, batches,
                                   loss_sum / static_cast<double>(start + rows));
        }
        EpochRecord record;
        record.epoch = epoch;
        record.seconds = seconds_since(epoch_start);
        record.train_loss = loss_sum / static_cast<double>(order.size());
        record.train_objective = record.train_loss + l2_penalty(mlp.layout, mlp.parameters, settings.l2_lambda);
        record.train_accuracy = static_cast<double>(correct) / static_cast<double>(order.size());
        const Evaluation validation = evaluate(compute, mlp, ws, train_set, split.validation);
        record.validation_loss = validation.loss;
        record.validation_accuracy = validation.accuracy;
        result.history.push_back(record);
        result.epochs_run = epoch;

        // Early stopping on validation accuracy: only a strictly better epoch counts as an improvement.
        const bool improved = result.best_epoch == 0 || validation.accuracy > result.best_validation_accuracy;
        if (improved) {
            result.best_epoch = epoch;
            result.best_validation_accuracy = validation.accuracy;
            best_parameters = mlp.parameters;  // same size: a copy, no allocation
            epochs_without_improvement = 0;
        } else {
            ++epochs_without_improvement;
        }
        if (callbacks.on_epoch) callbacks.on_epoch(record, improved);
        if (epochs_without_improvement >= settings.patience) break;
    }
    mlp.parameters = best_parameters;  // restore the best epoch's weights
    result.train_seconds = seconds_since(run_start);
    return result;
}

}  // namespace mnist
