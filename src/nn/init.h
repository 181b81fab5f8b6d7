// Initial weights: He for the ReLU layers, Xavier (Glorot) for the softmax output layer, zero biases,
// drawn from our own normal transform (util/rng.h) so a seed gives the same weights everywhere.
// See docs/04-init-dropout-l2.md.
#pragma once

#include <cstdint>
#include <vector>

#include "nn/parameters.h"

namespace mnist {

// Fills `parameters` (laid out by `layout`): hidden layers by Eq. (13), the last layer by Eq. (14).
void initialize_parameters(const ParameterLayout& layout, std::vector<float>& parameters, uint64_t seed);

}  // namespace mnist
