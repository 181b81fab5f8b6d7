// L2 regularisation (weight decay in the loss): R = lambda/2 * sum over layers of ||W(l)||^2, added to the
// mean cross-entropy; its gradient lambda * W is added to the weight gradients before Adam. Biases are not
// decayed. See docs/04-init-dropout-l2.md.
#pragma once

#include <vector>

#include "nn/parameters.h"
#include "tensor/gemm.h"

namespace mnist {

// Eq. (15): lambda/2 * sum of squared weights (biases excluded), accumulated in double.
double l2_penalty(const ParameterLayout& layout, const std::vector<float>& parameters, float lambda);

// Eq. (16): grad_W += lambda * W for every layer's weights; bias gradients untouched. ADDS into gradients.
// The weights are shared out over the compute threads in slices (each element is touched by one thread).
void l2_penalty_backward(Compute& compute, const ParameterLayout& layout, std::vector<float>& gradients,
                         const std::vector<float>& parameters, float lambda);

}  // namespace mnist
