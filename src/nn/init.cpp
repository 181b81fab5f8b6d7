// He and Xavier initialisation. Each sample is computed in double and rounded once to float. Where the
// variances come from: docs/04-init-dropout-l2.md.
#include "nn/init.h"

#include <cmath>

#include "util/rng.h"

namespace mnist {

// Eq. (13) He: W ~ N(0, 2 / fan_in) keeps the variance of the pre-activations Z constant from layer to layer
// (a ReLU zeroes half of its inputs; the 2 makes up for it).
// Eq. (14) Xavier: W ~ N(0, 2 / (fan_in + fan_out)) for the linear output layer feeding softmax.
// (naive: W ~ N(0, 0.01^2) whatever the fan-in.)
void initialize_parameters(const ParameterLayout& layout, std::vector<float>& parameters, uint64_t seed,
                           InitKind kind) {
    for (size_t l = 0; l < layout.layers(); ++l) {
        const double fan_in = static_cast<double>(layout.inputs(l));
        const double fan_out = static_cast<double>(layout.outputs(l));
        const bool output_layer = l + 1 == layout.layers();
        const double he = 2.0 / fan_in, xavier = 2.0 / (fan_in + fan_out);
        const double variance = kind == InitKind::naive    ? 0.01 * 0.01
                                : kind == InitKind::xavier ? xavier
                                : output_layer             ? xavier
                                                           : he;
        const double deviation = std::sqrt(variance);
        Rng rng = make_rng(seed, l);  // one stream per layer
        MatrixView w = weights_of(layout, parameters, l);
        for (size_t i = 0; i < w.size(); ++i) w.data[i] = static_cast<float>(deviation * normal_double(rng));
        float* b = bias_of(layout, parameters, l);
        for (size_t o = 0; o < layout.outputs(l); ++o) b[o] = 0.0f;
    }
}

}  // namespace mnist
