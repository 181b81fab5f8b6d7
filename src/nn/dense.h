// The fully connected (dense) layer as a forward/backward pair of free functions.
//
// Layout, chosen once for the whole project: the report writes a layer in column form,
//     Z(l) = W(l) A(l-1) + b(l)          A(l-1) is [in x batch], one example per column,
// and we store a batch row-major, one example per ROW: X = A(l-1)^T is [batch x in]. Transposing both sides
// gives the same equation in our layout,
//     Z^T = A(l-1)^T W(l)^T + 1 b(l)^T   i.e.  out [batch x out] = in [batch x in] * W^T + bias on every row,
// with W kept exactly as the report has it, [out x in] (row o holds neuron o's incoming weights).
// See docs/02-forward.md and docs/05-backprop.md.
#pragma once

#include "tensor/gemm.h"
#include "tensor/matrix.h"

namespace mnist {

// Eq. (2): out = in W^T + 1 b^T, then (fused, when relu is set) Eq. (3): out = max(out, 0).
// out [batch x out], in [batch x in], weights [out x in], bias [out].
void dense_forward(Compute& compute, MatrixView out, ConstMatrixView in, ConstMatrixView weights,
                   const float* bias, bool relu);

// Eq. (7), (8), (9): given grad_out = dL/dZ [batch x out], OVERWRITES (never accumulates)
//   grad_weights [out x in]   = grad_out^T in            Eq. (7)
//   grad_bias    [out]        = column sums of grad_out   Eq. (8)
//   grad_in      [batch x in] = grad_out W                Eq. (9), skipped when grad_in.data is null (the
//                                                         first layer: nobody needs dL/d(pixels)).
// grad_in_epilogue lets the layer below finish its own backward step in the same write (nn/mlp.cpp passes
// its dropout mask and ReLU output, Eq. (12) and Eq. (10)); leave it empty for the plain Eq. (9).
void dense_backward(Compute& compute, MatrixView grad_in, MatrixView grad_weights, float* grad_bias,
                    ConstMatrixView grad_out, ConstMatrixView in, ConstMatrixView weights,
                    const Epilogue& grad_in_epilogue = Epilogue());

}  // namespace mnist
