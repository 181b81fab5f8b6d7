// ReLU and its derivative. The derivative at exactly 0 is taken as 0 (ReLU is not differentiable there;
// any value in [0, 1] is a valid subgradient, and 0 matches the fused forward's "value > 0" test).
// See docs/02-forward.md and docs/05-backprop.md.
#include "nn/relu.h"

namespace mnist {

// Eq. (3)
void relu_forward(float* out, const float* in, size_t n) {
    for (size_t i = 0; i < n; ++i) out[i] = in[i] > 0.0f ? in[i] : 0.0f;
}

// Eq. (10)
void relu_backward(float* grad_in, const float* grad_out, const float* out, size_t n) {
    for (size_t i = 0; i < n; ++i) grad_in[i] = out[i] > 0.0f ? grad_out[i] : 0.0f;
}

}  // namespace mnist
