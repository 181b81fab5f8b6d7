// Matrix products for the whole pipeline: C = alpha * op(A) * op(B) + beta * C on row-major matrices, where
// op(X) is X or its transpose, so that the forward pass (X W^T), the weight gradient (dZ^T X) and the input
// gradient (dZ W) never build a transposed copy. `gemm_reference` is the plain triple loop, kept as the
// definition that the fast `gemm` is tested against. See docs/08-gemm.md.
#pragma once

#include <cstddef>
#include <vector>

#include "tensor/matrix.h"
#include "tensor/thread_pool.h"

namespace mnist {

enum class Op { none, transpose };

// Work that rides along with the last write of each C tile (the pass that already holds the data), applied
// in this order:
//   forward:  C[i][j] += column_bias[j]                        (a layer's bias, Eq. (2))
//             C[i][j]  = max(C[i][j], 0)            if relu     (ReLU, Eq. (3))
//   backward: C[i][j] *= multiply_by[i][j]                      (a dropout mask, Eq. (12))
//             C[i][j]  = 0 unless relu_output[i][j] > 0         (ReLU's derivative, Eq. (10))
// multiply_by and relu_output are [m x n] row-major, like C.
struct Epilogue {
    const float* column_bias = nullptr;
    bool relu = false;
    const float* multiply_by = nullptr;
    const float* relu_output = nullptr;
};

// Packing space for the blocked GEMM, one pair of buffers per thread, sized once (see gemm.cpp for the
// block sizes). Not copyable by accident: it is part of a run's workspace.
struct GemmWorkspace {
    std::vector<std::vector<float>> packed_a, packed_b;  // [thread][MC x KC], [thread][KC x NC]
};
GemmWorkspace make_gemm_workspace(size_t threads);

// The time spent in each GEMM shape while profiling (`mnist bench` sets Compute::profile to show where a
// training step's time goes): calls and seconds summed per shape and transposes, in the order first seen.
struct GemmTiming {
    Op op_a = Op::none, op_b = Op::none;
    size_t m = 0, n = 0, k = 0;
    uint64_t calls = 0;
    double seconds = 0;
};
struct GemmProfile {
    std::vector<GemmTiming> shapes;
};

// Everything a product needs besides its operands: the threads and their packing space. One per run.
struct Compute {
    ThreadPool pool;
    GemmWorkspace gemm;
    GemmProfile* profile = nullptr;  // when set, gemm() times itself into it (bench only; off in training)
    explicit Compute(size_t threads) : pool(threads), gemm(make_gemm_workspace(pool.size())) {}
};

// C [m x n] = alpha * op(A) [m x k] * op(B) [k x n] + beta * C, then the epilogue.
// A is stored [m x k] (Op::none) or [k x m] (Op::transpose); likewise B is [k x n] or [n x k].
// When beta == 0, C is written and never read (so garbage or NaN in C does not leak in).
// The result does not depend on the number of threads: each C element is computed by one thread, by the
// same sequence of operations.
void gemm(Compute& compute, Op op_a, Op op_b, float alpha, ConstMatrixView a, ConstMatrixView b, float beta,
          MatrixView c, const Epilogue& epilogue = Epilogue());

// The definition, as a triple loop in double precision. Slow; for tests and the benchmark's baseline.
void gemm_reference(Op op_a, Op op_b, float alpha, ConstMatrixView a, ConstMatrixView b, float beta,
                    MatrixView c, const Epilogue& epilogue = Epilogue());

// The textbook float triple loop (i, j, k order, one dot product per element): the benchmark's "naive".
void gemm_naive(Op op_a, Op op_b, float alpha, ConstMatrixView a, ConstMatrixView b, float beta, MatrixView c);

}  // namespace mnist
