// The network's forward and backward passes, as sequences of layer calls. The training loop (train/) knows
// the order of epochs and batches; this file knows only the order of layers.
#include "nn/mlp.h"

#include "nn/dense.h"
#include "nn/dropout.h"
#include "nn/init.h"
#include "nn/softmax_cross_entropy.h"
#include "util/rng.h"

namespace mnist {

Mlp make_mlp(const std::vector<size_t>& sizes, uint64_t seed, InitKind init) {
    Mlp mlp;
    mlp.layout = make_parameter_layout(sizes);
    mlp.parameters.assign(mlp.layout.total, 0.0f);
    initialize_parameters(mlp.layout, mlp.parameters, seed, init);
    return mlp;
}

MlpWorkspace make_mlp_workspace(const Mlp& mlp, size_t max_batch) {
    MlpWorkspace ws;
    ws.max_batch = max_batch;
    ws.input = Matrix(max_batch, mlp.inputs());
    ws.labels.assign(max_batch, 0);
    for (size_t h = 0; h + 1 < mlp.layers(); ++h) {
        const size_t units = mlp.layout.outputs(h);
        ws.hidden.emplace_back(max_batch, units);
        ws.mask.emplace_back(max_batch, units);
        ws.dropped.emplace_back(max_batch, units);
        ws.grad.emplace_back(max_batch, units);
    }
    ws.logits = Matrix(max_batch, mlp.classes());
    ws.probs = Matrix(max_batch, mlp.classes());
    ws.grad_logits = Matrix(max_batch, mlp.classes());
    ws.gradients.assign(mlp.layout.total, 0.0f);
    return ws;
}

namespace {

// The input of layer l for this pass: the pixels for l = 0, else the previous hidden layer's output,
// after dropout when dropout is active.
ConstMatrixView layer_input(const MlpWorkspace& ws, size_t layer, size_t rows, bool dropout_active) {
    if (layer == 0) return ws.input.top_rows(rows);
    const size_t h = layer - 1;
    return dropout_active ? ws.dropped[h].top_rows(rows) : ws.hidden[h].top_rows(rows);
}

}  // namespace

double mlp_forward(Compute& compute, const Mlp& mlp, MlpWorkspace& ws, size_t rows, bool training,
                   float dropout_rate, uint64_t dropout_seed) {
    const bool dropout_active = training && dropout_rate > 0.0f;
    const size_t last = mlp.layers() - 1;
    for (size_t l = 0; l < last; ++l) {
        // Eq. (2), Eq. (3): hidden = ReLU(input W^T + b), ReLU fused into the GEMM's write-out.
        MatrixView hidden = ws.hidden[l].top_rows(rows);
        dense_forward(compute, hidden, layer_input(ws, l, rows, dropout_active),
                      weights_of(mlp.layout, mlp.parameters, l), bias_of(mlp.layout, mlp.parameters, l), true);
        // Eq. (11): each layer gets its own random streams.
        if (dropout_active)
            dropout_forward(compute, ws.dropped[l].values.data(), ws.mask[l].values.data(), hidden.data, rows,
                            hidden.cols, dropout_rate, mix64(dropout_seed ^ (l + 1)));
    }
    // Eq. (2) for the output layer, without ReLU: the logits.
    MatrixView logits = ws.logits.top_rows(rows);
    dense_forward(compute, logits, layer_input(ws, last, rows, dropout_active),
                  weights_of(mlp.layout, mlp.parameters, last), bias_of(mlp.layout, mlp.parameters, last), false);
    // Eq. (4), Eq. (5)
    return softmax_cross_entropy_forward(ws.probs.values.data(), nullptr, logits.data, ws.labels.data(), rows,
                                         mlp.classes());
}

void mlp_backward(Compute& compute, const Mlp& mlp, MlpWorkspace& ws, size_t rows, float dropout_rate,
                  LossReduction reduction) {
    const bool dropout_active = dropout_rate > 0.0f;
    const size_t last = mlp.layers() - 1;
    // Eq. (6): dL/dZ of the output layer for the MEAN loss over the batch (scale 1/B), or for the SUM
    // (scale 1: the 1/B of Eq. (5) and Eq. (6) left out).
    const float scale = reduction == LossReduction::sum ? 1.0f : 1.0f / static_cast<float>(rows);
    softmax_cross_entropy_backward(ws.grad_logits.values.data(), ws.probs.values.data(), ws.labels.data(), rows,
                                   mlp.classes(), scale);
    for (size_t l = last + 1; l-- > 0;) {
        const ConstMatrixView grad_out = l == last ? ws.grad_logits.top_rows(rows) : ws.grad[l].top_rows(rows);
        if (l == 0) {  // the input is the pixels: dL/d(pixels) is not needed, so no Eq. (9)
            dense_backward(compute, MatrixView(), weights_of(mlp.layout, ws.gradients, 0),
                           bias_of(mlp.layout, ws.gradients, 0), grad_out, layer_input(ws, 0, rows, dropout_active),
                           weights_of(mlp.layout, mlp.parameters, 0));
            break;
        }
        // Eq. (7), Eq. (8), and Eq. (9) into grad[h], the hidden layer below, which finishes its own backward
        // step in the same write: Eq. (12) through its dropout mask, then Eq. (10) through its ReLU. The
        // result is dL/dZ of layer h. (Unfused, this is dropout_backward then relu_backward on grad[h].)
        const size_t h = l - 1;
        Epilogue hidden_backward;
        hidden_backward.multiply_by = dropout_active ? ws.mask[h].values.data() : nullptr;
        hidden_backward.relu_output = ws.hidden[h].values.data();
        dense_backward(compute, ws.grad[h].top_rows(rows), weights_of(mlp.layout, ws.gradients, l),
                       bias_of(mlp.layout, ws.gradients, l), grad_out, layer_input(ws, l, rows, dropout_active),
                       weights_of(mlp.layout, mlp.parameters, l), hidden_backward);
    }
}

size_t argmax_row(const Matrix& probs, size_t row) {
    const float* p = probs.values.data() + row * probs.cols;
    size_t best = 0;
    for (size_t j = 1; j < probs.cols; ++j)
        if (p[j] > p[best]) best = j;
    return best;
}

}  // namespace mnist
