// Gradient checking for the whole network (docs/05-backprop.md, "How we know it is right"): the objective
// J = mean cross-entropy + lambda/2 ||W||^2, Eq. (5), (15), recomputed in double precision with plain loops
// (the slow reference beside the fast float path), central differences of it per parameter, and their
// comparison with the analytic gradient of mlp_backward + l2_penalty_backward. For `mnist gradcheck` and
// the tests; training never calls it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "nn/mlp.h"

namespace mnist {

struct GradcheckSettings {
    size_t samples_per_tensor = 24;  // entries compared per weight matrix and per bias vector; 0 = every one
    double step = 1e-5;              // h of the central difference (J(theta + h) - J(theta - h)) / 2h, in double
    float dropout_rate = 0.3f;       // dropout on, with masks fixed by dropout_seed (0: off)
    uint64_t dropout_seed = 1;
    float l2_lambda = 1e-4f;
    uint64_t sample_seed = 7;        // which entries are sampled
    // Entries whose gradient is below this share of the tensor's largest sampled one are compared by absolute
    // error on that scale, not by relative error (their relative error measures float rounding, not bugs).
    double relative_floor = 1e-4;
};

// The result for one parameter tensor ("W1" [512 x 784], "b1" [512], ...), layers numbered from 1.
struct TensorCheck {
    std::string name;
    size_t rows = 0, cols = 0;
    size_t checked = 0;            // entries compared
    size_t kinks = 0;              // entries left out: theta +- h moved some pre-activation across 0 (ReLU's kink)
    double max_gradient = 0;       // largest |numeric gradient| among the compared entries
    double max_relative_error = 0; // max |analytic - numeric| / max(|analytic|, |numeric|, floor)
    double max_absolute_error = 0;
    size_t worst_index = 0;        // index into the parameter block of the entry with the largest relative error
    size_t largest_index = 0;      // ... and of the compared entry with the largest |numeric gradient|
};

// The double-precision objective of the first `rows` rows of `input` with the network `layout` and the
// parameters `parameters` (the same layout as Mlp::parameters, as doubles). `masks` (one [rows x n_h] per
// hidden layer, e.g. MlpWorkspace::mask after a training forward pass) multiply the hidden outputs when given,
// as Eq. (11) does. When `pattern` is given it receives one bit per hidden pre-activation (z > 0), row by
// row and layer by layer, so two calls can tell whether a perturbation crossed a ReLU kink.
double reference_objective(const ParameterLayout& layout, const std::vector<double>& parameters, const Matrix& input,
                           const std::vector<uint8_t>& labels, size_t rows, const std::vector<Matrix>* masks,
                           double lambda, std::vector<bool>* pattern = nullptr);

// Fills ws.gradients by the float path (mlp_forward in training mode, mlp_backward, l2_penalty_backward) for
// the first `rows` rows of ws.input / ws.labels, then compares a sample of every tensor's entries (all of them
// when samples_per_tensor is 0 or exceeds the size) with central differences of reference_objective.
std::vector<TensorCheck> gradient_check(Compute& compute, const Mlp& mlp, MlpWorkspace& ws, size_t rows,
                                        const GradcheckSettings& settings);

// One row of the step-size table: the central difference of the program's own float objective
// (mlp_forward + l2_penalty) with step h, against the double reference's derivative.
struct StepSizeRow {
    double h = 0;
    double float_estimate = 0, reference = 0, relative_error = 0;
};
// For the parameter at `index`, every h in `steps`: shows truncation error (~h^2) falling and float rounding
// error (~eps_mach |J| / h) rising as h shrinks.
std::vector<StepSizeRow> step_size_table(Compute& compute, const Mlp& mlp, MlpWorkspace& ws, size_t rows,
                                         const GradcheckSettings& settings, size_t index,
                                         const std::vector<double>& steps);

}  // namespace mnist
