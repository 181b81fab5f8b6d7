// L2 penalty and its gradient over the weight ranges of the parameter block. See docs/05-init-dropout-l2.md.
#include "nn/l2.h"

#include <algorithm>

#include "util/subnormal.h"

namespace mnist {

// Eq. (15)
double l2_penalty(const ParameterLayout& layout, const std::vector<float>& parameters, float lambda) {
    double sum = 0.0;
    for (size_t l = 0; l < layout.layers(); ++l) {
        const ConstMatrixView w = weights_of(layout, parameters, l);
        for (size_t i = 0; i < w.size(); ++i) sum += static_cast<double>(w.data[i]) * w.data[i];
    }
    return 0.5 * lambda * sum;
}

// Eq. (16)
void l2_penalty_backward(Compute& compute, const ParameterLayout& layout, std::vector<float>& gradients,
                         const std::vector<float>& parameters, float lambda) {
    // lambda * w below the smallest normal float is 0, and never formed (util/subnormal.h); a lambda that
    // small makes every product with a weight below 1 subnormal, so it acts as 0.
    if (!(lambda >= kSmallestNormal)) return;
    const float weight_floor = kSmallestNormal / lambda;
    // One job for all layers: task t is slice t of the weights laid end to end, layer after layer.
    const size_t slice = 32768;  // weights per task
    size_t tasks = 0;
    for (size_t l = 0; l < layout.layers(); ++l) tasks += (layout.outputs(l) * layout.inputs(l) + slice - 1) / slice;
    compute.pool.parallel_for(tasks, [&](size_t task, size_t) {
        size_t l = 0, first_task = 0;
        for (;; ++l) {  // find the layer that holds this task's slice
            const size_t layer_tasks = (layout.outputs(l) * layout.inputs(l) + slice - 1) / slice;
            if (task < first_task + layer_tasks) break;
            first_task += layer_tasks;
        }
        const ConstMatrixView w = weights_of(layout, parameters, l);
        MatrixView g = weights_of(layout, gradients, l);
        const size_t begin = (task - first_task) * slice, end = std::min(w.size(), begin + slice);
        for (size_t i = begin; i < end; ++i) g.data[i] = flush_subnormal(g.data[i] + lambda * flush_below(w.data[i], weight_floor));
    });
}

}  // namespace mnist
