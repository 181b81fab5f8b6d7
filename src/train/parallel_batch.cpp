// load_batch and load_augmented_batch over row slices on the thread pool.
#include "train/parallel_batch.h"

#include <algorithm>

#include "data/dataset.h"

namespace mnist {

void load_batch_parallel(Compute& compute, MatrixView x, uint8_t* labels, const ImageSet& set,
                         const uint32_t* indices, size_t rows) {
    const size_t rows_per_task = 32;
    compute.pool.parallel_for((rows + rows_per_task - 1) / rows_per_task, [&](size_t task, size_t) {
        const size_t first = task * rows_per_task, count = std::min(rows_per_task, rows - first);
        const MatrixView slice = {x.data + first * x.cols, count, x.cols};
        load_batch(slice, labels + first, set, indices + first, count);
    });
}

BatchAugmentation make_batch_augmentation(const AugmentSettings& settings, size_t image_rows, size_t image_cols,
                                          size_t threads) {
    BatchAugmentation augmentation;
    augmentation.settings = settings;
    for (size_t t = 0; t < threads; ++t)
        augmentation.per_thread.push_back(make_augment_workspace(settings, image_rows, image_cols));
    return augmentation;
}

void load_augmented_batch_parallel(Compute& compute, MatrixView x, uint8_t* labels, const ImageSet& set,
                                   const uint32_t* indices, size_t rows, BatchAugmentation& augmentation,
                                   uint64_t batch_seed) {
    const size_t rows_per_task = 8;  // an image costs ~100 times what plain loading does: finer slices balance
    compute.pool.parallel_for((rows + rows_per_task - 1) / rows_per_task, [&](size_t task, size_t thread) {
        const size_t first = task * rows_per_task, count = std::min(rows_per_task, rows - first);
        const MatrixView slice = {x.data + first * x.cols, count, x.cols};
        load_augmented_batch(slice, labels + first, set, indices + first, count, first, augmentation.settings,
                             batch_seed, augmentation.per_thread[thread]);
    });
}

}  // namespace mnist
