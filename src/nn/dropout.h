// Inverted dropout as a forward/backward pair: during training each value is kept with probability
// keep = 1 - rate and scaled by 1/keep, so the expected output equals the input and evaluation needs no
// rescaling (it simply skips dropout). See docs/04-init-dropout-l2.md.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tensor/gemm.h"

namespace mnist {

// Eq. (11): out = in * mask, mask[r][c] = 1/keep with probability keep, else 0. Row r's coins come from
// its own random stream make_rng(seed, r), so rows can be done in any order or on any thread with the same
// result (the rows are shared out over the compute threads). mask [rows x cols] is kept for the backward
// pass. out and in may be the same buffer. rate must be in [0, 1); rate 0 gives mask = 1 everywhere.
void dropout_forward(Compute& compute, float* out, float* mask, const float* in, size_t rows, size_t cols,
                     float rate, uint64_t seed);

// Eq. (12): grad_in = grad_out * mask. grad_in and grad_out may be the same buffer. Overwrites grad_in.
// (The network's backward pass does this inside the input-gradient GEMM's epilogue, nn/mlp.cpp; this is
// the same operation on its own, for tests and readers.)
void dropout_backward(float* grad_in, const float* grad_out, const float* mask, size_t n);

}  // namespace mnist
