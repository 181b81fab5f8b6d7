// load_batch over row slices on the thread pool.
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

}  // namespace mnist
