// Tests for train/trainer and train/evaluate on a tiny synthetic data set built in memory (4 x 4 images,
// 3 classes, the class says which quadrant is bright): training learns; a seed gives bit-identical results
// and any thread count gives the same bits; early stopping restores the best epoch; backward overwrites
// gradients; a --limit run reads only its first N images. Not the real data (tests/test_end_to_end.cpp).
// See docs/07-training.md.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <vector>

#include "allocation_counter.h"  // peak memory of a run
#include "check.h"
#include "synthetic_data.h"
#include "training_checks.h"
#include "data/dataset.h"
#include "data/mnist_files.h"
#include "nn/mlp.h"
#include "train/evaluate.h"
#include "train/trainer.h"
#include "util/rng.h"

using namespace mnist;

namespace {

// `count` images of 4 x 4 pixels in 3 classes, class c lighting quadrant c (synthetic_data.h). With
// probability label_noise an image's label is then drawn again (it may stay), so that no network can be
// perfect on it and validation accuracy wanders from epoch to epoch.
ImageSet quadrant_set(size_t count, uint64_t seed, double label_noise = 0.0) {
    synthetic::Spec spec(count, 4, 4, seed);
    spec.label_noise = label_noise;
    return synthetic::make_images(spec);
}

TrainSettings small_settings() {
    TrainSettings s;
    s.batch_size = 32;
    s.max_epochs = 8;
    s.patience = 100;
    s.adam.learning_rate = 0.01f;  // a tiny problem: a larger step than the report's 1e-3 learns it in a few epochs
    s.seed = 5;
    return s;  // dropout 0.3 and L2 1e-4 as in the report
}

struct Run {
    Mlp mlp;
    TrainResult result;
};

Run train_once(size_t threads, const ImageSet& set, const Split& split, const std::vector<size_t>& sizes,
               const TrainSettings& settings, uint64_t init_seed) {
    Compute compute(threads);
    Run run{make_mlp(sizes, init_seed), TrainResult()};
    run.result = train(compute, run.mlp, set, split, settings, TrainCallbacks());
    return run;
}

}  // namespace

int main() {
    start_watchdog("test_training", 120);
    const ImageSet data = quadrant_set(600, 1);
    const ImageSet test = quadrant_set(300, 2);  // another draw of the same task, never trained on
    const Split split = split_train_validation(data.count, 100, 3);
    const std::vector<size_t> sizes = {16, 16, 3};

    // ---------------------------------------------------------------------------------------------------
    // Training learns: on held-out images accuracy goes from near chance to >= 0.95 and the training loss
    // falls. The epoch callback sees every epoch, in order, with "improved" set for the first; the batch
    // callback sees batches 1..16 of 16 in every epoch (500 training images in batches of 32).
    {
        Compute compute(1);
        Mlp mlp = make_mlp(sizes, 11);
        MlpWorkspace ws = make_mlp_workspace(mlp, 64);
        const Evaluation before = evaluate(compute, mlp, ws, test, {});
        std::vector<size_t> seen;
        bool first_improved = false;
        size_t batch_calls = 0, expected_done = 1;
        bool batches_in_order = true, losses_finite = true;
        TrainCallbacks callbacks;
        callbacks.on_epoch = [&](const EpochRecord& r, bool improved) {
            if (r.epoch == 1) first_improved = improved;
            seen.push_back(r.epoch);
        };
        callbacks.on_batch = [&](size_t epoch, size_t done, size_t total, double mean_loss) {
            ++batch_calls;
            batches_in_order = batches_in_order && total == 16 && done == expected_done && epoch == seen.size() + 1;
            expected_done = done == total ? 1 : done + 1;
            losses_finite = losses_finite && std::isfinite(mean_loss) && mean_loss > 0.0;
        };
        const TrainResult result = train(compute, mlp, data, split, small_settings(), callbacks);
        CHECK(split.train.size() == 500);
        CHECK(batch_calls == 8 * 16);
        CHECK(batches_in_order);
        CHECK(losses_finite);
        const Evaluation after = evaluate(compute, mlp, ws, test, {});
        std::printf("synthetic set: test accuracy %.4f before training, %.4f after %zu epochs\n", before.accuracy,
                    after.accuracy, result.epochs_run);
        CHECK(after.accuracy >= 0.95);
        CHECK(after.accuracy > before.accuracy);
        CHECK(after.loss < before.loss);
        CHECK(result.epochs_run == 8);
        CHECK(result.history.size() == 8);
        CHECK(seen == std::vector<size_t>({1, 2, 3, 4, 5, 6, 7, 8}));
        CHECK(first_improved);
        if (result.history.size() == 8) {
            CHECK(result.history.back().train_loss < result.history.front().train_loss);
            CHECK(result.history.back().validation_accuracy >= 0.9);
            for (const EpochRecord& r : result.history) {
                CHECK(r.train_objective > r.train_loss);  // the L2 term is positive
                CHECK(r.train_accuracy >= 0.0 && r.train_accuracy <= 1.0);
                CHECK(std::isfinite(r.validation_loss));
            }
        }
        CHECK(result.best_epoch >= 1 && result.best_epoch <= 8);
        CHECK(result.train_seconds > 0.0);
        CHECK(after.confusion.classes == 3);
    }

    // ---------------------------------------------------------------------------------------------------
    // Reproducibility: two runs with the same seeds give bit-identical parameters and identical history
    // numbers. Another training seed (batch order and dropout) gives other parameters, and so does another
    // initialisation seed.
    {
        const Run a = train_once(1, data, split, sizes, small_settings(), 11);
        const Run b = train_once(1, data, split, sizes, small_settings(), 11);
        CHECK(same_bits(a.mlp.parameters, b.mlp.parameters));
        CHECK(same_history(a.result, b.result));
        TrainSettings other_seed = small_settings();
        other_seed.seed = 6;
        const Run c = train_once(1, data, split, sizes, other_seed, 11);
        CHECK(!same_bits(a.mlp.parameters, c.mlp.parameters));
        CHECK(!same_history(a.result, c.result));
        const Run d = train_once(1, data, split, sizes, small_settings(), 12);
        CHECK(!same_bits(a.mlp.parameters, d.mlp.parameters));
    }

    // ---------------------------------------------------------------------------------------------------
    // Thread count does not change a single bit. The shapes are chosen so that the work really is shared:
    // batch 150 and 1100 hidden units cut the first layer's GEMMs (cache blocks of about 128 x 128) into
    // 2 row blocks times 8 or more column blocks, and the 22,003 parameters make two Adam tasks of up to
    // 16,384. 1, 2 and 3 threads (3 divides none of these evenly).
    {
        TrainSettings settings = small_settings();
        settings.batch_size = 150;
        settings.max_epochs = 3;
        const std::vector<size_t> wide = {16, 1100, 3};
        const Run one = train_once(1, data, split, wide, settings, 21);
        const Run two = train_once(2, data, split, wide, settings, 21);
        const Run three = train_once(3, data, split, wide, settings, 21);
        CHECK(one.mlp.parameters.size() == 22003);
        CHECK(same_bits(one.mlp.parameters, two.mlp.parameters));
        CHECK(same_bits(one.mlp.parameters, three.mlp.parameters));
        CHECK(same_history(one.result, two.result));
        CHECK(same_history(one.result, three.result));
        CHECK(!same_bits(one.mlp.parameters, make_mlp(wide, 21).parameters));  // it did train
    }

    // ---------------------------------------------------------------------------------------------------
    // Early stopping restores the best epoch. With 25% label noise validation accuracy climbs for some epochs
    // and then stalls below 1, so the run stops on its own (patience 2, max_epochs 500). Then:
    //   - epochs_run - best_epoch == patience (it stopped exactly `patience` epochs after the best);
    //   - the best epoch's history row holds the highest validation accuracy, and is the first to reach it
    //     (only a strict improvement counts);
    //   - the model it returns gives exactly that accuracy, and exactly that epoch's validation loss, when
    //     evaluated again on split.validation (a different epoch's weights would give another loss; we
    //     check that the last epoch's loss is indeed different, so the test could fail).
    {
        const ImageSet noisy = quadrant_set(600, 4, 0.25);
        const Split noisy_split = split_train_validation(noisy.count, 200, 5);
        TrainSettings settings = small_settings();
        settings.max_epochs = 500;
        settings.patience = 2;
        settings.adam.learning_rate = 0.001f;  // the report's rate: a slow climb, best epoch well after 1
        Compute compute(1);
        Mlp mlp = make_mlp(sizes, 31);
        const TrainResult result = train(compute, mlp, noisy, noisy_split, settings, TrainCallbacks());
        std::printf("early stopping: %zu epochs run, best epoch %zu (validation accuracy %.4f)\n", result.epochs_run,
                    result.best_epoch, result.best_validation_accuracy);
        CHECK(result.epochs_run < settings.max_epochs);
        CHECK(result.epochs_run - result.best_epoch == settings.patience);
        CHECK(result.best_epoch > 1);  // so the restored weights are neither the first nor the last epoch's
        CHECK(result.history.size() == result.epochs_run);
        CHECK(result.best_epoch >= 1 && result.best_epoch <= result.history.size());
        if (result.best_epoch >= 1 && result.best_epoch <= result.history.size()) {
            const EpochRecord& best = result.history[result.best_epoch - 1];
            CHECK(best.epoch == result.best_epoch);
            double highest = 0.0;
            size_t first_highest = 0;
            for (const EpochRecord& r : result.history) {
                if (r.validation_accuracy > highest) {
                    highest = r.validation_accuracy;
                    first_highest = r.epoch;
                }
            }
            CHECK(best.validation_accuracy == highest);
            CHECK(first_highest == result.best_epoch);
            CHECK(result.best_validation_accuracy == best.validation_accuracy);

            MlpWorkspace ws = make_mlp_workspace(mlp, settings.batch_size);
            const Evaluation again = evaluate(compute, mlp, ws, noisy, noisy_split.validation);
            CHECK(again.accuracy == result.best_validation_accuracy);
            CHECK(again.loss == best.validation_loss);
            CHECK(result.history.back().validation_loss != best.validation_loss);
            // Evaluating in batches of another size gives the same predictions (each row is computed alone).
            MlpWorkspace odd = make_mlp_workspace(mlp, 7);
            const Evaluation in_sevens = evaluate(compute, mlp, odd, noisy, noisy_split.validation);
            CHECK(in_sevens.accuracy == result.best_validation_accuracy);
            CHECK_NEAR(in_sevens.loss, best.validation_loss, 1e-9);
        }
    }
    // Patience 1 stops at the first epoch that is not strictly better.
    {
        const ImageSet noisy = quadrant_set(600, 4, 0.25);
        const Split noisy_split = split_train_validation(noisy.count, 200, 5);
        TrainSettings settings = small_settings();
        settings.max_epochs = 500;
        settings.patience = 1;
        settings.adam.learning_rate = 0.001f;  // the report's rate: a slow climb, best epoch well after 1
        Compute compute(1);
        Mlp mlp = make_mlp(sizes, 31);
        const TrainResult result = train(compute, mlp, noisy, noisy_split, settings, TrainCallbacks());
        CHECK(result.epochs_run == result.best_epoch + 1);
        bool strictly_rising = true;
        for (size_t i = 1; i + 1 < result.history.size(); ++i)
            strictly_rising = strictly_rising && result.history[i].validation_accuracy >
                                                     result.history[i - 1].validation_accuracy;
        CHECK(strictly_rising);
        if (result.history.size() >= 2)
            CHECK(result.history.back().validation_accuracy <= result.history[result.history.size() - 2].validation_accuracy);
    }

    // ---------------------------------------------------------------------------------------------------
    // mlp_backward OVERWRITES ws.gradients: forward + backward twice on the same batch (same dropout seed)
    // gives the same gradients, not twice them, even when the buffer held garbage (1e30, NaN) in between.
    // The gradients are not all zero, so the equality is not vacuous.
    {
        Compute compute(1);
        const Mlp mlp = make_mlp({16, 8, 5, 3}, 41);
        MlpWorkspace ws = make_mlp_workspace(mlp, 10);
        load_batch(ws.input.top_rows(10), ws.labels.data(), data, split.train.data(), 10);
        mlp_forward(compute, mlp, ws, 10, true, 0.3f, 99);
        mlp_backward(compute, mlp, ws, 10, 0.3f);
        const std::vector<float> first = ws.gradients;
        double largest = 0.0;
        for (const float g : first) largest = std::max(largest, std::fabs(static_cast<double>(g)));
        CHECK(largest > 1e-4);
        mlp_forward(compute, mlp, ws, 10, true, 0.3f, 99);
        mlp_backward(compute, mlp, ws, 10, 0.3f);
        CHECK(same_bits(first, ws.gradients));
        for (size_t i = 0; i < ws.gradients.size(); ++i)
            ws.gradients[i] = i % 2 ? 1e30f : std::numeric_limits<float>::quiet_NaN();
        mlp_forward(compute, mlp, ws, 10, true, 0.3f, 99);
        mlp_backward(compute, mlp, ws, 10, 0.3f);
        CHECK(same_bits(first, ws.gradients));
        // Backward alone, twice after one forward, is also the same.
        mlp_backward(compute, mlp, ws, 10, 0.3f);
        CHECK(same_bits(first, ws.gradients));
        // A different dropout seed gives different gradients (the masks really are used).
        mlp_forward(compute, mlp, ws, 10, true, 0.3f, 100);
        mlp_backward(compute, mlp, ws, 10, 0.3f);
        CHECK(!same_bits(first, ws.gradients));
    }

    // ---------------------------------------------------------------------------------------------------
    // A --limit run (train_command keeps the first N indices of split.train): training reads only those
    // N images and the validation images. Proof: replace every other training image by random noise with
    // a wrong label; the trained parameters are bit-identical. The same replacement without the limit
    // changes them (so the check can fail). The limited run still learns.
    {
        const size_t limit = 120;
        Split limited = split;
        limited.train.resize(limit);
        ImageSet poisoned = data;
        Rng rng = make_rng(8, 8);
        const size_t pixels = data.rows * data.cols;
        for (size_t k = limit; k < split.train.size(); ++k) {
            const uint32_t i = split.train[k];
            for (size_t p = 0; p < pixels; ++p) poisoned.pixels[i * pixels + p] = static_cast<uint8_t>(uniform_below(rng, 256));
            poisoned.labels[i] = static_cast<uint8_t>((data.labels[i] + 1) % 3);
        }
        TrainSettings settings = small_settings();
        settings.max_epochs = 10;
        const Run clean = train_once(1, data, limited, sizes, settings, 51);
        const Run dirty = train_once(1, poisoned, limited, sizes, settings, 51);
        CHECK(same_bits(clean.mlp.parameters, dirty.mlp.parameters));
        CHECK(same_history(clean.result, dirty.result));
        const Run clean_all = train_once(1, data, split, sizes, settings, 51);
        const Run dirty_all = train_once(1, poisoned, split, sizes, settings, 51);
        CHECK(!same_bits(clean_all.mlp.parameters, dirty_all.mlp.parameters));
        CHECK(!same_bits(clean.mlp.parameters, clean_all.mlp.parameters));

        Compute compute(1);
        MlpWorkspace ws = make_mlp_workspace(clean.mlp, 64);
        const double accuracy = evaluate(compute, clean.mlp, ws, test, {}).accuracy;
        std::printf("limit %zu: test accuracy %.4f\n", limit, accuracy);
        CHECK(accuracy >= 0.9);
    }

    // Issue 15, item 12: buffers are sized by the images there are, not by --batch. Training the 500 images
    // with batch 65536 may hold no more memory at its peak than with batch 500 (one batch holds them all
    // either way), and trains the same bits; the workspace was sized by --batch (--limit 2000 --batch 65536
    // peaked at 1.2 GB). training_memory_bytes, the estimate train checks up front, covers the peak.
    {
        TrainSettings all_at_once = small_settings();
        all_at_once.max_epochs = 2;
        all_at_once.batch_size = split.train.size();
        TrainSettings huge = all_at_once;
        huge.batch_size = 65536;
        CHECK(training_batch_rows(huge, split.train.size()) == split.train.size());
        const auto peak_of = [&](const TrainSettings& settings, Run& run) {
            const size_t before = allocation_counter::live().load();
            allocation_counter::reset_peak();
            run = train_once(1, data, split, sizes, settings, 71);
            return allocation_counter::peak().load() - before;
        };
        Run small_run, huge_run;
        const size_t small_peak = peak_of(all_at_once, small_run), huge_peak = peak_of(huge, huge_run);
        std::printf("peak memory of training: batch %zu %zu bytes, batch 65536 %zu bytes; estimate %llu\n",
                    split.train.size(), small_peak, huge_peak,
                    static_cast<unsigned long long>(training_memory_bytes(sizes, split.train.size(), split.train.size())));
        CHECK(huge_peak <= small_peak);
        CHECK(same_bits(small_run.mlp.parameters, huge_run.mlp.parameters));
        CHECK(training_memory_bytes(sizes, split.train.size(), split.train.size()) >= small_peak / 2);
    }

    // evaluate() with an index list uses exactly those images, in order, and reports their predictions.
    {
        Compute compute(1);
        const Mlp mlp = make_mlp(sizes, 61);
        MlpWorkspace ws = make_mlp_workspace(mlp, 4);
        std::vector<uint8_t> predictions;
        const std::vector<uint32_t> some = {5, 3, 9, 0, 7, 2, 8};
        const Evaluation e = evaluate(compute, mlp, ws, data, some, &predictions);
        CHECK(predictions.size() == some.size());
        uint64_t total = 0;
        for (const uint64_t c : e.confusion.counts) total += c;
        CHECK(total == some.size());
        // Each image alone gives the prediction it got in the batch.
        bool same = true;
        for (size_t k = 0; k < some.size(); ++k) {
            std::vector<uint8_t> alone;
            evaluate(compute, mlp, ws, data, {some[k]}, &alone);
            same = same && alone.size() == 1 && alone[0] == predictions[k];
        }
        CHECK(same);
        const Evaluation all = evaluate(compute, mlp, ws, data, {});
        uint64_t all_total = 0;
        for (const uint64_t c : all.confusion.counts) all_total += c;
        CHECK(all_total == data.count);
    }

    // ---------------------------------------------------------------------------------------------------
    // --train-metrics after-epoch: after each epoch, the training columns train_eval_loss/_acc are exactly an
    // evaluate() of the training images (split.train, no dropout) with that epoch's weights, seen from the
    // epoch callback before a later epoch moves them. The extra pass changes nothing else: the parameters
    // and the running columns are bit-identical to a `running` run, which measures nothing after the epoch.
    // The two measurements differ (so the check can tell them apart).
    {
        TrainSettings after = small_settings();
        after.max_epochs = 3;
        after.train_metrics = TrainMetrics::after_epoch;
        Compute compute(1);
        Mlp mlp = make_mlp(sizes, 11);
        MlpWorkspace ws = make_mlp_workspace(mlp, training_batch_rows(after, split.train.size()));
        std::vector<Evaluation> seen;
        TrainCallbacks callbacks;
        callbacks.on_epoch = [&](const EpochRecord&, bool) { seen.push_back(evaluate(compute, mlp, ws, data, split.train)); };
        const TrainResult result = train(compute, mlp, data, split, after, callbacks);
        CHECK(result.history.size() == 3 && seen.size() == 3);
        for (size_t e = 0; e + 1 < std::min(result.history.size(), seen.size()); ++e) {  // the last is restored
            const EpochRecord& r = result.history[e];
            CHECK(r.train_evaluated);
            CHECK(r.train_eval_accuracy == seen[e].accuracy);
            CHECK(r.train_eval_loss == seen[e].loss);
            CHECK(r.train_eval_accuracy != r.train_accuracy);
        }
        TrainSettings running = after;
        running.train_metrics = TrainMetrics::running;
        Mlp plain = make_mlp(sizes, 11);
        const TrainResult plain_result = train(compute, plain, data, split, running, TrainCallbacks());
        CHECK(same_bits(plain.parameters, mlp.parameters));
        CHECK(plain_result.history.size() == result.history.size());
        for (size_t e = 0; e < std::min(plain_result.history.size(), result.history.size()); ++e) {
            CHECK(!plain_result.history[e].train_evaluated);
            CHECK(plain_result.history[e].train_accuracy == result.history[e].train_accuracy);
            CHECK(plain_result.history[e].train_loss == result.history[e].train_loss);
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // --loss-reduction sum: on the data term (mlp_backward; the L2 gradient is added later, unchanged) the
    // gradient of the summed cross-entropy is B times that of the mean, entry by entry, with the same dropout
    // masks; the tolerance is float rounding. Not all zero, so the comparison is not vacuous. And a run with
    // sum ends with other weights than the same run with mean (the reduction reaches the update).
    {
        Compute compute(1);
        const Mlp mlp = make_mlp({16, 8, 5, 3}, 41);
        MlpWorkspace ws = make_mlp_workspace(mlp, 10);
        load_batch(ws.input.top_rows(10), ws.labels.data(), data, split.train.data(), 10);
        mlp_forward(compute, mlp, ws, 10, true, 0.3f, 99);
        mlp_backward(compute, mlp, ws, 10, 0.3f, LossReduction::mean);
        const std::vector<float> mean = ws.gradients;
        mlp_backward(compute, mlp, ws, 10, 0.3f, LossReduction::sum);
        double largest = 0.0, worst = 0.0;
        for (size_t i = 0; i < mean.size(); ++i) {
            const double expected = 10.0 * static_cast<double>(mean[i]);
            largest = std::max(largest, std::fabs(expected));
            worst = std::max(worst, std::fabs(static_cast<double>(ws.gradients[i]) - expected));
        }
        CHECK(largest > 1e-3);
        CHECK_MSG(worst <= 1e-5 * largest, "sum gradient differs from 10 x mean by " + std::to_string(worst));
        TrainSettings summed = small_settings();
        summed.max_epochs = 2;
        const Run mean_run = train_once(1, data, split, sizes, summed, 11);
        summed.loss_reduction = LossReduction::sum;
        const Run sum_run = train_once(1, data, split, sizes, summed, 11);
        CHECK(!same_bits(mean_run.mlp.parameters, sum_run.mlp.parameters));
        // The reported loss is the mean per example either way; the objective adds the penalty / batch.
        if (!sum_run.result.history.empty()) {
            const EpochRecord& r = sum_run.result.history.front();
            CHECK(r.train_loss < 2.0);
            CHECK(r.train_objective > r.train_loss);
        }
    }

    return check_exit("test_training");
}
