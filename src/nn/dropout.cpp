// Inverted dropout. A value is kept when a 32-bit random integer falls below keep * 2^32: an exact integer
// comparison, so the same seed keeps the same units on every machine. See docs/04-init-dropout-l2.md.
#include "nn/dropout.h"

#include <algorithm>
#include <cmath>

#include "util/rng.h"

namespace mnist {

// Eq. (11)
void dropout_forward(Compute& compute, float* out, float* mask, const float* in, size_t rows, size_t cols,
                     float rate, uint64_t seed) {
    const double keep = 1.0 - static_cast<double>(rate);
    const uint64_t threshold = static_cast<uint64_t>(std::ldexp(keep, 32));  // keep * 2^32
    const float scale = static_cast<float>(1.0 / keep);
    const size_t rows_per_task = 16;
    compute.pool.parallel_for((rows + rows_per_task - 1) / rows_per_task, [&](size_t task, size_t) {
        const size_t end = std::min(rows, (task + 1) * rows_per_task);
        for (size_t r = task * rows_per_task; r < end; ++r) {
            // Coin c of row r is the (c+1)-th output of the row's stream make_rng(seed, r), written in closed
            // form (SplitMix64's state after k steps is start + k * increment) so the loop vectorises.
            const uint64_t start = make_rng(seed, r).state;
            for (size_t c = 0; c < cols; ++c) {
                const size_t i = r * cols + c;
                const uint64_t coin = mix64(start + (c + 1) * kSplitMixIncrement) >> 32;  // in [0, 2^32)
                const float multiplier = scale * static_cast<float>(coin < threshold);  // 1/keep or 0
                mask[i] = multiplier;
                out[i] = in[i] * multiplier;
            }
        }
    });
}

// Eq. (12)
void dropout_backward(float* grad_in, const float* grad_out, const float* mask, size_t n) {
    for (size_t i = 0; i < n; ++i) grad_in[i] = grad_out[i] * mask[i];
}

}  // namespace mnist
