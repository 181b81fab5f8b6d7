// The multilayer perceptron: dense -> ReLU -> dropout for each hidden layer, then dense -> softmax with
// cross-entropy. mlp_forward is that sequence of layer calls; mlp_backward is the same list in reverse.
// Every buffer is allocated once, in make_mlp_workspace, for the largest batch. See docs/02-forward.md
// and docs/05-backprop.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "nn/init.h"
#include "nn/parameters.h"
#include "tensor/gemm.h"
#include "tensor/matrix.h"

namespace mnist {

// The model: layer sizes and the parameter block. Nothing else is needed to evaluate or save it.
struct Mlp {
    ParameterLayout layout;
    std::vector<float> parameters;  // [layout.total]
    size_t layers() const { return layout.layers(); }
    size_t inputs() const { return layout.sizes.front(); }
    size_t classes() const { return layout.sizes.back(); }
};

// A network with the given sizes ({inputs, hidden..., classes}), initialised by init.h from `seed`.
Mlp make_mlp(const std::vector<size_t>& sizes, uint64_t seed, InitKind init = InitKind::he);

// Activations and gradients for batches of up to max_batch rows. For hidden layer h (0-based, h < L-1):
//   hidden[h]  [batch x n_h]  dense + ReLU output, Eq. (2)-(3)
//   mask[h]    [batch x n_h]  dropout multipliers (0 or 1/keep), Eq. (11); used in training only
//   dropped[h] [batch x n_h]  hidden[h] * mask[h], the next layer's input in training
//   grad[h]    [batch x n_h]  dL/d(output of layer h): transformed in place from dL/d(dropped) to dL/dZ
// and for the output layer: logits [batch x classes], probs [batch x classes], grad_logits.
struct MlpWorkspace {
    size_t max_batch = 0;
    Matrix input;                  // [batch x inputs] pixels scaled to [0, 1]
    std::vector<uint8_t> labels;   // [batch]
    std::vector<Matrix> hidden, mask, dropped, grad;
    Matrix logits, probs, grad_logits;
    std::vector<float> gradients;  // dL/d(parameters), same layout as Mlp::parameters
};
MlpWorkspace make_mlp_workspace(const Mlp& mlp, size_t max_batch);

// Runs the first `rows` rows of ws.input through the network. In training, dropout with `dropout_rate`
// uses random streams derived from dropout_seed; in evaluation dropout is off. Leaves probabilities in
// ws.probs and returns the summed (not averaged) cross-entropy of the rows against ws.labels.
double mlp_forward(Compute& compute, const Mlp& mlp, MlpWorkspace& ws, size_t rows, bool training,
                   float dropout_rate, uint64_t dropout_seed);

// How the batch's cross-entropy is reduced to one number before it is differentiated: the mean of Eq. (5)
// (our default), or the report's sum -sum_i log y^_i, whose gradient is B times the mean's (docs/08).
enum class LossReduction { mean, sum };

// Backpropagates the cross-entropy (the mean, or with LossReduction::sum the sum) of the last training
// forward pass over the same `rows` rows. OVERWRITES ws.gradients (never accumulates): calling it twice
// gives the same gradients.
void mlp_backward(Compute& compute, const Mlp& mlp, MlpWorkspace& ws, size_t rows, float dropout_rate,
                  LossReduction reduction = LossReduction::mean);

// The index of the largest value in each of the first `rows` rows of probs (ties: the lowest index).
size_t argmax_row(const Matrix& probs, size_t row);

}  // namespace mnist
