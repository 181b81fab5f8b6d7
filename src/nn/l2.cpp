// L2 penalty and its gradient over the weight ranges of the parameter block. See docs/05-init-dropout-l2.md.
#include "nn/l2.h"

#include <algorithm>

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
    if (lambda == 0.0f) return;
    const size_t slice = 32768;  // weights per task
    for (size_t l = 0; l < layout.layers(); ++l) {
        const ConstMatrixView w = weights_of(layout, parameters, l);
        MatrixView g = weights_of(layout, gradients, l);
        compute.pool.parallel_for((w.size() + slice - 1) / slice, [&](size_t task, size_t) {
            const size_t end = std::min(w.size(), (task + 1) * slice);
            for (size_t i = task * slice; i < end; ++i) g.data[i] += lambda * w.data[i];
        });
    }
}

}  // namespace mnist
