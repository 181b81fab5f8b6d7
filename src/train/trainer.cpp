// The training loop. All buffers (workspace, gradients, Adam moments, the best weights) are allocated
// before the first epoch; the per-batch loop allocates nothing. See docs/07-training.md.
#include "train/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <string>

#include "nn/l2.h"
#include "nn/max_norm.h"
#include "train/parallel_batch.h"
#include "train/evaluate.h"
#include "util/parse.h"
#include "util/rng.h"

namespace mnist {

namespace {

// Whether the parameters and Adam's two moments are all finite numbers. A step can overflow a moment
// (a gradient's square past 3.4e38) while the loss stays finite; such a state cannot be saved as a
// checkpoint and read back, so it is divergence. One pass over three parameter-sized blocks: checked at
// each epoch's end and before an interrupted run is saved, never per batch.
bool state_finite(const Mlp& mlp, const AdamState& adam) {
    for (const std::vector<float>* block : {&mlp.parameters, &adam.first_moment, &adam.second_moment})
        for (const float v : *block)
            if (!std::isfinite(v)) return false;
    return true;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}


}  // namespace

double train_step(Compute& compute, Mlp& mlp, MlpWorkspace& ws, AdamState& adam, const TrainSettings& settings,
                  size_t rows, uint64_t dropout_seed, float learning_rate) {
    const double loss = mlp_forward(compute, mlp, ws, rows, true, settings.dropout_rate, dropout_seed);
    mlp_backward(compute, mlp, ws, rows, settings.dropout_rate, settings.loss_reduction);
    l2_penalty_backward(compute, mlp.layout, ws.gradients, mlp.parameters, settings.l2_lambda);  // Eq. (16)
    AdamSettings adam_settings = settings.adam;
    adam_settings.learning_rate = learning_rate;
    adam_step(compute, mlp.parameters, ws.gradients, adam, adam_settings);
    if (settings.max_norm > 0.0f) apply_max_norm(compute, mlp.layout, mlp.parameters, settings.max_norm);  // Eq. (33)
    return loss;
}

bool loss_exploded(double mean_loss, size_t classes) {
    return !(mean_loss <= kExplodedLossFactor * std::log(static_cast<double>(std::max<size_t>(classes, 2))));
}

TrainState make_train_state(const Mlp& mlp, const Split& split, const TrainSettings& settings) {
    TrainState state;
    state.order = split.train;
    state.shuffle_rng = make_rng(settings.seed, RandomStream::shuffle);
    state.adam = make_adam_state(mlp.layout.total);
    state.best_parameters = mlp.parameters;
    return state;
}

TrainOutcome train_from_state(Compute& compute, Mlp& mlp, TrainState& state, const ImageSet& train_set,
                              const Split& split, const TrainSettings& settings, const TrainCallbacks& callbacks) {
    using Clock = std::chrono::steady_clock;
    TrainOutcome outcome;
    if (state.finished) return outcome;
    MlpWorkspace ws = make_mlp_workspace(mlp, training_batch_rows(settings, state.order.size()));
    const uint64_t dropout_seed = stream_seed(settings.seed, RandomStream::dropout);
    const bool augmenting = settings.augment.kind != AugmentKind::none;
    BatchAugmentation augmentation;
    if (augmenting)
        augmentation = make_batch_augmentation(settings.augment, train_set.rows, train_set.cols, compute.pool.size());
    const uint64_t augment_seed = stream_seed(settings.seed, RandomStream::augment);
    std::vector<uint32_t>& order = state.order;
    const size_t batches = (order.size() + settings.batch_size - 1) / settings.batch_size;

    while (!state.finished && state.epoch <= settings.max_epochs) {
        const auto resumed_at = Clock::now();
        if (state.next_row == 0) {  // a new epoch: a new batch order, fresh running totals
            shuffle(state.shuffle_rng, order.data(), order.size());
            state.loss_sum = 0.0;
            state.correct = 0;
            state.epoch_seconds = 0.0;
        }
        while (state.next_row < order.size()) {
            const size_t start = state.next_row, rows = std::min(settings.batch_size, order.size() - start);
            // Each step's augmentation and dropout masks come from their own streams: mix(seed, step).
            if (augmenting)
                load_augmented_batch_parallel(compute, ws.input.top_rows(rows), ws.labels.data(), train_set,
                                              order.data() + start, rows, augmentation,
                                              mix64(augment_seed + state.adam.step));
            else
                load_batch_parallel(compute, ws.input.top_rows(rows), ws.labels.data(), train_set,
                                    order.data() + start, rows);
            const float learning_rate = scheduled_learning_rate(settings.schedule, settings.adam.learning_rate,
                                                                state.adam.step, batches, settings.max_epochs);
            const double loss = train_step(compute, mlp, ws, state.adam, settings, rows,
                                           mix64(dropout_seed + state.adam.step), learning_rate);
            const size_t batch = start / settings.batch_size + 1;
            if (loss_exploded(loss / static_cast<double>(rows), mlp.classes()))
                return {TrainOutcome::diverged, state.epoch, batch,
                        "a batch's mean cross-entropy of " + number_text(loss / static_cast<double>(rows), 4) +
                            " (the limit is " + number_text(kExplodedLossFactor, 4) + " x ln(" +
                            std::to_string(mlp.classes()) + ") = " +
                            number_text(kExplodedLossFactor * std::log(static_cast<double>(mlp.classes())), 4) + ")"};
            state.loss_sum += loss;
            for (size_t r = 0; r < rows; ++r) state.correct += argmax_row(ws.probs, r) == ws.labels[r];
            state.next_row = start + rows;
            if (callbacks.on_batch)
                callbacks.on_batch(state.epoch, batch, batches, state.loss_sum / static_cast<double>(start + rows));
            if (state.next_row < order.size() && callbacks.should_stop && callbacks.should_stop()) {
                if (!state_finite(mlp, state.adam))
                    return {TrainOutcome::diverged, state.epoch, batch, "weights or Adam's moments that are not finite numbers"};
                state.epoch_seconds += seconds_since(resumed_at);
                state.result.train_seconds += seconds_since(resumed_at);
                return {TrainOutcome::interrupted, state.epoch, batch, ""};
            }
        }
        EpochRecord record;
        record.epoch = state.epoch;
        record.seconds = state.epoch_seconds + seconds_since(resumed_at);
        record.train_loss = state.loss_sum / static_cast<double>(order.size());
        const double penalty = l2_penalty(mlp.layout, mlp.parameters, settings.l2_lambda);
        if (!std::isfinite(penalty) || !state_finite(mlp, state.adam))  // the weights or the moments blew up
            return {TrainOutcome::diverged, state.epoch, batches, "weights or Adam's moments that are not finite numbers"};
        // With a summed loss, each step minimises sum_i CE_i + R: per example, train_loss + R / batch.
        record.train_objective =
            record.train_loss + (settings.loss_reduction == LossReduction::sum
                                     ? penalty / static_cast<double>(settings.batch_size)
                                     : penalty);
        record.train_accuracy = static_cast<double>(state.correct) / static_cast<double>(order.size());
        if (settings.train_metrics == TrainMetrics::after_epoch) {  // the training images as validation sees them
            const Evaluation on_train = evaluate(compute, mlp, ws, train_set, split.train);
            record.train_evaluated = true;
            record.train_eval_loss = on_train.loss;
            record.train_eval_accuracy = on_train.accuracy;
        }
        const Evaluation validation = evaluate(compute, mlp, ws, train_set, split.validation);
        if (!std::isfinite(validation.loss))
            return {TrainOutcome::diverged, state.epoch, batches, "a validation loss that is not a finite number"};
        record.validation_loss = validation.loss;
        record.validation_accuracy = validation.accuracy;
        TrainResult& result = state.result;
        result.history.push_back(record);
        result.epochs_run = state.epoch;
        result.train_seconds += seconds_since(resumed_at);

        // Early stopping on validation accuracy: only a strictly better epoch counts as an improvement.
        const bool improved = result.best_epoch == 0 || validation.accuracy > result.best_validation_accuracy;
        if (improved) {
            result.best_epoch = state.epoch;
            result.best_validation_accuracy = validation.accuracy;
            state.best_parameters = mlp.parameters;  // same size: a copy, no allocation
            state.epochs_without_improvement = 0;
        } else {
            ++state.epochs_without_improvement;
        }
        // The state now describes "epoch done, the next one not begun", which is what a checkpoint written
        // by on_epoch must hold.
        if (state.epochs_without_improvement >= settings.patience || state.epoch == settings.max_epochs) {
            mlp.parameters = state.best_parameters;  // restore the best epoch's weights
            state.finished = true;
        }
        ++state.epoch;
        state.next_row = 0;
        if (callbacks.on_epoch) callbacks.on_epoch(record, improved);
        if (!state.finished && callbacks.should_stop && callbacks.should_stop())
            return {TrainOutcome::interrupted, record.epoch, batches, ""};
    }
    return outcome;
}

size_t training_batch_rows(const TrainSettings& settings, size_t train_images) {
    return std::max<size_t>(1, std::min(settings.batch_size, train_images));
}

uint64_t training_memory_bytes(const std::vector<size_t>& sizes, size_t batch_rows, size_t train_images) {
    uint64_t parameters = 0, hidden_units = 0;
    for (size_t l = 1; l < sizes.size(); ++l) {
        parameters += uint64_t{sizes[l]} * sizes[l - 1] + sizes[l];
        if (l + 1 < sizes.size()) hidden_units += sizes[l];
    }
    const uint64_t inputs = sizes.empty() ? 0 : sizes.front(), classes = sizes.empty() ? 0 : sizes.back();
    const uint64_t per_row = inputs + 4 * hidden_units + 3 * classes;
    return 4 * (5 * parameters + 4 * parameters + (uint64_t{batch_rows} + 256) * per_row + train_images);
}

TrainResult train(Compute& compute, Mlp& mlp, const ImageSet& train_set, const Split& split,
                  const TrainSettings& settings, const TrainCallbacks& callbacks) {
    TrainState state = make_train_state(mlp, split, settings);
    const TrainOutcome outcome = train_from_state(compute, mlp, state, train_set, split, settings, callbacks);
    if (outcome.kind == TrainOutcome::diverged)
        throw std::runtime_error("training diverged at epoch " + std::to_string(outcome.epoch) + ", batch " +
                                 std::to_string(outcome.batch));
    if (outcome.kind == TrainOutcome::interrupted) throw std::runtime_error("training was stopped");
    return state.result;
}

}  // namespace mnist
