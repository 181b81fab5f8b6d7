// Per-layer statistics of the hidden layers over a sample of images, for seeing what initialisation (and then
// training) does to the signal: the mean and variance of each layer's pre-activation Z, Eq. (2), and of its
// output A = ReLU(Z), Eq. (3), and the share of dead units. Inference only (no dropout); not used in training.
// See docs/04-init-dropout-l2.md ("Measuring it").
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "nn/mlp.h"
#include "tensor/gemm.h"
#include "tensor/matrix.h"

namespace mnist {

// One hidden layer's statistics, pooled over every (image, unit) pair of the sample. Variances are population
// variances (divided by the count, as NumPy's var): Var[z] = E[z^2] - E[z]^2.
struct LayerActivations {
    size_t units = 0;
    double z_mean = 0, z_variance = 0;  // Z = A_prev W^T + 1 b^T, Eq. (2)
    double a_mean = 0, a_variance = 0;  // A = max(Z, 0), Eq. (3)
    size_t dead_units = 0;              // units whose A is 0 for every image of the sample
    double dead_share() const { return units == 0 ? 0.0 : static_cast<double>(dead_units) / static_cast<double>(units); }
};

// Running sums over a sample fed in chunks of up to max_rows images, and the buffers a chunk passes through.
// For hidden layer h (0-based) with n_h units:
struct ActivationSums {
    uint64_t images = 0;                                     // images added so far
    std::vector<double> z_sum, z_squares, a_sum, a_squares;  // [hidden layers]: sums of z, z^2, a, a^2
    std::vector<std::vector<uint8_t>> alive;                 // alive[h] [n_h]: 1 once some image gave A > 0
    std::vector<Matrix> z, a;                                // z[h], a[h] [max_rows x n_h]
};
ActivationSums make_activation_sums(const Mlp& mlp, size_t max_rows);

// Adds the images of `input` [rows x inputs] (rows <= max_rows; pixels on Eq. (1)'s scale): for each hidden
// layer h, z[h] = in W^T + 1 b^T with `in` the pixels or a[h-1], Eq. (2); a[h] = ReLU(z[h]), Eq. (3).
void add_activations(Compute& compute, const Mlp& mlp, ConstMatrixView input, ActivationSums& sums);

// The statistics of everything added so far, one entry per hidden layer (before any image: means and variances
// 0, every unit dead).
std::vector<LayerActivations> activation_statistics(const ActivationSums& sums);

}  // namespace mnist
