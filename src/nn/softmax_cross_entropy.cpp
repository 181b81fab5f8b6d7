// Softmax + cross-entropy. Subtracting each row's largest logit before exp() changes nothing
// mathematically (it cancels between numerator and denominator) but keeps every exp() in (0, 1].
// See docs/03-softmax-cross-entropy.md.
#include "nn/softmax_cross_entropy.h"

#include <cmath>

#include "util/subnormal.h"

namespace mnist {

// Eq. (4), Eq. (5)
double softmax_cross_entropy_forward(float* probs, double* losses, const float* logits, const uint8_t* labels,
                                     size_t rows, size_t classes) {
    double total = 0.0;
    for (size_t r = 0; r < rows; ++r) {
        const float* z = logits + r * classes;
        float* p = probs + r * classes;
        float largest = z[0];
        for (size_t j = 1; j < classes; ++j) largest = z[j] > largest ? z[j] : largest;
        double sum = 0.0;
        for (size_t j = 0; j < classes; ++j) {
            // exp(d) is subnormal below d = log(min normal) ~ -87.3: 0 there (util/subnormal.h)
            const float d = z[j] - largest;
            p[j] = d < kLogSmallestNormal ? 0.0f : flush_subnormal(std::exp(d));
            sum += p[j];
        }
        const float inverse = static_cast<float>(1.0 / sum), floor = kSmallestNormal / inverse;
        for (size_t j = 0; j < classes; ++j) p[j] = flush_below(p[j], floor) * inverse;
        // -log softmax(z)[y] = log(sum_j exp(z_j - max)) - (z_y - max)
        const double loss = std::log(sum) - (static_cast<double>(z[labels[r]]) - largest);
        if (losses) losses[r] = loss;
        total += loss;
    }
    return total;
}

// Eq. (6)
void softmax_cross_entropy_backward(float* grad_logits, const float* probs, const uint8_t* labels, size_t rows,
                                    size_t classes, float scale) {
    const float floor = kSmallestNormal / scale;  // a difference below it would give a subnormal: 0 instead
    for (size_t r = 0; r < rows; ++r) {
        for (size_t j = 0; j < classes; ++j) {
            const float target = j == labels[r] ? 1.0f : 0.0f;
            grad_logits[r * classes + j] = flush_below(probs[r * classes + j] - target, floor) * scale;
        }
    }
}

}  // namespace mnist
