// Filling a batch on the compute threads: data/dataset.h's load_batch (Eq. (1), pixels / 255), or
// data/augment.h's load_augmented_batch (Eq. (26)-(28)), on slices of the batch's rows, one slice per task.
// data/ knows nothing of threads, so the split lives here. See docs/07-training.md and
// docs/12-augmentation.md.
#pragma once

#include <cstdint>
#include <vector>

#include "data/augment.h"
#include "data/mnist_files.h"
#include "tensor/gemm.h"
#include "tensor/matrix.h"

namespace mnist {

// The same result as load_batch(x, labels, set, indices, rows), whatever the thread count.
void load_batch_parallel(Compute& compute, MatrixView x, uint8_t* labels, const ImageSet& set,
                         const uint32_t* indices, size_t rows);

// The augmentation settings and one scratch workspace per compute thread, sized once per run.
struct BatchAugmentation {
    AugmentSettings settings;
    std::vector<AugmentWorkspace> per_thread;  // [threads]
};
BatchAugmentation make_batch_augmentation(const AugmentSettings& settings, size_t image_rows, size_t image_cols,
                                          size_t threads);

// The same result as load_augmented_batch(x, labels, set, indices, rows, 0, settings, batch_seed, ...),
// whatever the thread count: row r's transform comes from its own stream augment_stream(batch_seed, r), and a
// thread's workspace is scratch that each image overwrites before reading.
void load_augmented_batch_parallel(Compute& compute, MatrixView x, uint8_t* labels, const ImageSet& set,
                                   const uint32_t* indices, size_t rows, BatchAugmentation& augmentation,
                                   uint64_t batch_seed);

}  // namespace mnist
