// Max-norm on the rows of the weight matrices. See docs/12-augmentation.md.
#include "nn/max_norm.h"

#include <algorithm>
#include <cmath>

#include "util/subnormal.h"

namespace mnist {

// Eq. (33)
void clip_row_norm(float* row, size_t n, float max_norm) {
    double squares = 0.0;
    for (size_t i = 0; i < n; ++i) squares += static_cast<double>(row[i]) * row[i];
    const double limit = static_cast<double>(max_norm);
    if (squares <= limit * limit) return;
    const float scale = static_cast<float>(limit / std::sqrt(squares));
    const float floor = kSmallestNormal / scale;  // below it, row[i] * scale would be subnormal: 0 instead
    for (size_t i = 0; i < n; ++i) row[i] = flush_below(row[i], floor) * scale;
}

// Eq. (33)
void apply_max_norm(Compute& compute, const ParameterLayout& layout, std::vector<float>& parameters, float max_norm) {
    // One job for all layers: task t is block t of the weight rows laid end to end, layer after layer.
    const size_t rows_per_task = 32;
    size_t tasks = 0;
    for (size_t l = 0; l < layout.layers(); ++l) tasks += (layout.outputs(l) + rows_per_task - 1) / rows_per_task;
    compute.pool.parallel_for(tasks, [&](size_t task, size_t) {
        size_t l = 0, first_task = 0;
        for (;; ++l) {  // find the layer that holds this task's rows
            const size_t layer_tasks = (layout.outputs(l) + rows_per_task - 1) / rows_per_task;
            if (task < first_task + layer_tasks) break;
            first_task += layer_tasks;
        }
        const MatrixView w = weights_of(layout, parameters, l);
        const size_t begin = (task - first_task) * rows_per_task, end = std::min(w.rows, begin + rows_per_task);
        for (size_t r = begin; r < end; ++r) clip_row_norm(w.data + r * w.cols, w.cols, max_norm);
    });
}

}  // namespace mnist
