// The max-norm constraint (Srivastava et al. 2014, used with dropout): after each update, the incoming weight
// vector of every unit — a row of W [out x in] — whose Euclidean norm exceeds c is scaled back to norm c,
// Eq. (33). Biases are not constrained. Not a penalty in the loss (that is L2, nn/l2.h).
// See docs/12-augmentation.md.
#pragma once

#include <cstddef>
#include <vector>

#include "nn/parameters.h"
#include "tensor/gemm.h"

namespace mnist {

// Eq. (33) on one row of n weights: unchanged (bit for bit) when ||row|| <= max_norm, else multiplied by
// max_norm / ||row|| (the norm summed in double).
void clip_row_norm(float* row, size_t n, float max_norm);

// clip_row_norm on every row of every layer's weights, the rows shared out over the compute threads (each
// row is one thread's), so the result does not depend on the thread count.
void apply_max_norm(Compute& compute, const ParameterLayout& layout, std::vector<float>& parameters, float max_norm);

}  // namespace mnist
