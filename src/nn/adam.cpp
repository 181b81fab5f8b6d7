// Adam, Eq. (17)-(20). The bias corrections 1 / (1 - beta^t) are computed in double once per step; the
// per-element work is float. See docs/06-adam.md, which works two steps by hand.
#include "nn/adam.h"

#include <algorithm>
#include <cmath>

#include "util/subnormal.h"

namespace mnist {

AdamState make_adam_state(size_t parameter_count) {
    AdamState state;
    state.first_moment.assign(parameter_count, 0.0f);
    state.second_moment.assign(parameter_count, 0.0f);
    return state;
}

// Eq. (17) m = beta1 m + (1 - beta1) g            Eq. (18) v = beta2 v + (1 - beta2) g^2
// Eq. (19) m^ = m / (1 - beta1^t), v^ = v / (1 - beta2^t)
// Eq. (20) theta = theta - lr * m^ / (sqrt(v^) + eps)      (eps outside the square root)
// No value below is allowed to become subnormal (util/subnormal.h, docs/06-adam.md "Subnormal numbers"):
// a gradient or first moment smaller than gradient_floor = sqrt(min_normal / (1 - beta2)) ~ 3.4e-18, whose
// square in Eq. (18) would underflow, counts as 0; a second moment that beta2 would push below the smallest
// normal float is 0 before it decays; every result is flushed as it is stored.
void adam_update(std::vector<float>& parameters, const std::vector<float>& gradients, AdamState& state,
                 const AdamSettings& settings, size_t begin, size_t end) {
    const double t = static_cast<double>(state.step + 1);
    const float correction1 = static_cast<float>(1.0 / (1.0 - std::pow(static_cast<double>(settings.beta1), t)));
    const float correction2 = static_cast<float>(1.0 / (1.0 - std::pow(static_cast<double>(settings.beta2), t)));
    const float beta1 = settings.beta1, beta2 = settings.beta2;
    const float lr = settings.learning_rate, eps = settings.epsilon;
    const float gradient_floor = static_cast<float>(std::sqrt(kSmallestNormal / (1.0 - static_cast<double>(beta2))));
    const float moment2_floor = kSmallestNormal / beta2;
    float* theta = parameters.data();
    float* m = state.first_moment.data();
    float* v = state.second_moment.data();
    const float* g = gradients.data();
    for (size_t i = begin; i < end; ++i) {
        const float gradient = flush_below(g[i], gradient_floor);
        m[i] = flush_subnormal(beta1 * flush_below(m[i], gradient_floor) + (1.0f - beta1) * gradient);
        v[i] = flush_subnormal(beta2 * flush_below(v[i], moment2_floor) + (1.0f - beta2) * gradient * gradient);
        const float m_hat = m[i] * correction1;
        const float v_hat = v[i] * correction2;
        theta[i] = flush_subnormal(theta[i] - lr * m_hat / (std::sqrt(v_hat) + eps));
    }
}

void adam_finish_step(AdamState& state) { ++state.step; }

void adam_step(Compute& compute, std::vector<float>& parameters, const std::vector<float>& gradients,
               AdamState& state, const AdamSettings& settings) {
    const size_t chunk = 16384;  // floats per task: big enough to amortise the hand-off
    const size_t tasks = (parameters.size() + chunk - 1) / chunk;
    compute.pool.parallel_for(tasks, [&](size_t task, size_t) {
        const size_t begin = task * chunk, end = std::min(parameters.size(), begin + chunk);
        adam_update(parameters, gradients, state, settings, begin, end);
    });
    adam_finish_step(state);
}

}  // namespace mnist
