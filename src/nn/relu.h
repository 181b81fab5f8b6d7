// The ReLU activation as a forward/backward pair over n values (any shape; callers pass rows x cols).
// In the network's forward pass ReLU is fused into the dense layer's GEMM epilogue (dense.h); relu_forward
// is the same operation on its own, for tests and readers. See docs/02-forward.md and docs/05-backprop.md.
#pragma once

#include <cstddef>

namespace mnist {

// Eq. (3): out = max(in, 0). out and in may be the same buffer.
void relu_forward(float* out, const float* in, size_t n);

// Eq. (10): grad_in = grad_out where the layer's output was positive, else 0. `out` is the forward OUTPUT
// (positive exactly where the input was). grad_in and grad_out may be the same buffer. Overwrites grad_in.
void relu_backward(float* grad_in, const float* grad_out, const float* out, size_t n);

}  // namespace mnist
