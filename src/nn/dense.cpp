// Dense layer: each equation is one GEMM (see dense.h for the layout). The bias and ReLU of the forward
// pass ride in the GEMM's epilogue, so the output is written once. See docs/02-forward.md (forward) and
// docs/04-backprop.md (backward).
#include "nn/dense.h"

#include <algorithm>

#include "util/subnormal.h"

namespace mnist {

// Eq. (2), Eq. (3)
void dense_forward(Compute& compute, MatrixView out, ConstMatrixView in, ConstMatrixView weights,
                   const float* bias, bool relu) {
    Epilogue epilogue;
    epilogue.column_bias = bias;
    epilogue.relu = relu;
    // [batch x out] = [batch x in] * [out x in]^T
    gemm(compute, Op::none, Op::transpose, 1.0f, in, weights, 0.0f, out, epilogue);
}

// Eq. (7), Eq. (8), Eq. (9)
void dense_backward(Compute& compute, MatrixView grad_in, MatrixView grad_weights, float* grad_bias,
                    ConstMatrixView grad_out, ConstMatrixView in, ConstMatrixView weights,
                    const Epilogue& grad_in_epilogue) {
    // Eq. (7): [out x in] = [batch x out]^T * [batch x in]
    gemm(compute, Op::transpose, Op::none, 1.0f, grad_out, in, 0.0f, grad_weights);
    // Eq. (8): each output's bias gradient sums its column of grad_out over the batch, rows in order; the
    // columns are shared out over the threads.
    const size_t batch = grad_out.rows, outputs = grad_out.cols, columns_per_task = 64;
    compute.pool.parallel_for((outputs + columns_per_task - 1) / columns_per_task, [&](size_t task, size_t) {
        const size_t begin = task * columns_per_task, end = std::min(outputs, begin + columns_per_task);
        for (size_t o = begin; o < end; ++o) grad_bias[o] = 0.0f;
        for (size_t r = 0; r < batch; ++r)
            for (size_t o = begin; o < end; ++o) grad_bias[o] += grad_out.at(r, o);
        flush_subnormals(grad_bias + begin, end - begin);
    });
    // Eq. (9): [batch x in] = [batch x out] * [out x in]
    if (grad_in.data) gemm(compute, Op::none, Op::none, 1.0f, grad_out, weights, 0.0f, grad_in, grad_in_epilogue);
}

}  // namespace mnist
