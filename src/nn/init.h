// Initial weights: He for the ReLU layers, Xavier (Glorot) for the softmax output layer, zero biases,
// drawn from our own normal transform (util/rng.h) so a seed gives the same weights everywhere.
// See docs/04-init-dropout-l2.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "nn/parameters.h"

namespace mnist {

// The choice of initial weights (--init): he, the report's (He for the ReLU layers, Xavier for the output);
// xavier for every layer; naive, N(0, 0.01^2) everywhere, the textbook "small random numbers", kept to show
// in docs/04-init-dropout-l2.md what goes wrong without a variance that follows the fan-in.
enum class InitKind : uint8_t { he = 0, xavier = 1, naive = 2 };

// Fills `parameters` (laid out by `layout`): by default hidden layers by Eq. (13), the last layer by Eq. (14).
void initialize_parameters(const ParameterLayout& layout, std::vector<float>& parameters, uint64_t seed,
                           InitKind kind = InitKind::he);

}  // namespace mnist
