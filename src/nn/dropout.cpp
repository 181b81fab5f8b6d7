// Inverted dropout. A value is kept when a 32-bit random integer falls below keep * 2^32: an exact integer
// comparison, so the same seed keeps the same units on every machine. See docs/05-init-dropout-l2.md.
#include "nn/dropout.h"

#include <cmath>

#include "util/rng.h"

namespace mnist {

// Eq. (11)
void dropout_forward(float* out, float* mask, const float* in, size_t rows, size_t cols, float rate,
                     uint64_t seed) {
    const double keep = 1.0 - static_cast<double>(rate);
    const uint64_t threshold = static_cast<uint64_t>(std::ldexp(keep, 32));  // keep * 2^32
    const float scale = static_cast<float>(1.0 / keep);
    for (size_t r = 0; r < rows; ++r) {
        Rng rng = make_rng(seed, r);
        for (size_t c = 0; c < cols; ++c) {
            const size_t i = r * cols + c;
            const uint64_t coin = next_u64(rng) >> 32;  // uniform in [0, 2^32)
            mask[i] = coin < threshold ? scale : 0.0f;
            out[i] = in[i] * mask[i];
        }
    }
}

// Eq. (12)
void dropout_backward(float* grad_in, const float* grad_out, const float* mask, size_t n) {
    for (size_t i = 0; i < n; ++i) grad_in[i] = grad_out[i] * mask[i];
}

}  // namespace mnist
