// Filling a batch on the compute threads: data/dataset.h's load_batch (Eq. (1), pixels / 255) on slices of
// the batch's rows, one slice per task. data/ knows nothing of threads, so the split lives here.
// See docs/07-training.md.
#pragma once

#include <cstdint>

#include "data/mnist_files.h"
#include "tensor/gemm.h"
#include "tensor/matrix.h"

namespace mnist {

// The same result as load_batch(x, labels, set, indices, rows), whatever the thread count.
void load_batch_parallel(Compute& compute, MatrixView x, uint8_t* labels, const ImageSet& set,
                         const uint32_t* indices, size_t rows);

}  // namespace mnist
