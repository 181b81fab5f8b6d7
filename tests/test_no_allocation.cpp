// "No allocation in the hot training loop": every global operator new is counted (allocation_counter.h),
// and a few training steps (batch loading, forward, backward, L2, Adam, on 1 and on 2 threads; then with
// augmentation, a learning-rate schedule and max-norm) must not call it once the workspaces exist.
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <vector>

#include "allocation_counter.h"
#include "check.h"
#include "synthetic_data.h"
#include "data/dataset.h"
#include "train/parallel_batch.h"
#include "train/trainer.h"


using namespace mnist;

int main() {
    // A small synthetic data set: 300 images of 8 x 8 random bytes, labels taking turns over 3 classes.
    synthetic::Spec spec(300, 8, 8, 5);
    spec.pattern = synthetic::Pattern::noise;
    spec.noise_span = 256;
    spec.labels = synthetic::Labels::cycle;
    const ImageSet set = synthetic::make_images(spec);
    std::vector<uint32_t> order(set.count);
    for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<uint32_t>(i);

    for (size_t threads : {1, 2}) {
        Compute compute(threads);
        Mlp mlp = make_mlp({64, 32, 16, 3}, 1);
        MlpWorkspace ws = make_mlp_workspace(mlp, 50);
        AdamState adam = make_adam_state(mlp.layout.total);
        TrainSettings settings;
        settings.batch_size = 50;
        const long before = allocation_counter::count().load();
        for (size_t step = 0; step < 12; ++step) {
            const size_t start = (step * 50) % 300, rows = step % 4 == 3 ? 37 : 50;  // full and partial batches
            load_batch_parallel(compute, ws.input.top_rows(rows), ws.labels.data(), set, order.data() + start, rows);
            train_step(compute, mlp, ws, adam, settings, rows, step, settings.adam.learning_rate);
        }
        const long during = allocation_counter::count().load() - before;
        std::printf("threads %zu: %ld allocations in 12 training steps\n", threads, during);
        CHECK(during == 0);

        // The same with augmentation (affine and elastic), a scheduled learning rate and max-norm: the
        // augmentation workspaces are made once, like the rest.
        settings.augment.kind = AugmentKind::both;
        settings.augment.elastic_sigma = 2.0f;
        settings.schedule.kind = ScheduleKind::cosine;
        settings.schedule.warmup_epochs = 1;
        settings.max_norm = 2.0f;
        BatchAugmentation augmentation = make_batch_augmentation(settings.augment, 8, 8, compute.pool.size());
        const long before_augmented = allocation_counter::count().load();
        for (size_t step = 0; step < 12; ++step) {
            const size_t start = (step * 50) % 300, rows = step % 4 == 3 ? 37 : 50;
            load_augmented_batch_parallel(compute, ws.input.top_rows(rows), ws.labels.data(), set,
                                          order.data() + start, rows, augmentation, step);
            const float lr = scheduled_learning_rate(settings.schedule, settings.adam.learning_rate, adam.step, 6, 3);
            train_step(compute, mlp, ws, adam, settings, rows, step, lr);
        }
        const long during_augmented = allocation_counter::count().load() - before_augmented;
        std::printf("threads %zu: %ld allocations in 12 augmented training steps\n", threads, during_augmented);
        CHECK(during_augmented == 0);
    }
    // The counter itself works (so the check above can fail): a vector allocates.
    const long before = allocation_counter::count().load();
    std::vector<float>* probe = new std::vector<float>(10);
    CHECK(allocation_counter::count().load() - before >= 2);
    delete probe;
    return check_exit("test_no_allocation");
}
