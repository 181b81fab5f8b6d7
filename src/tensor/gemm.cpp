// GEMM the way BLIS and GotoBLAS build it, in portable C++17. Read it top-down in this order:
//   1. gemm_reference / gemm_naive : the definition (kept for tests and for the benchmark's baseline).
//   2. Block sizes                 : MR x NR register tile, KC / MC / NC cache blocks.
//   3. pack_a / pack_b             : copy a block of op(A) / op(B) into the order the micro-kernel reads.
//   4. micro_kernel                : kc rank-1 updates into an MR x NR tile held in registers.
//   5. gemm                        : the loops around them, and how threads share the work.
// docs/08-gemm.md walks through the same steps with the GFLOP/s each one gains on our machine.
#include "tensor/gemm.h"

#include <algorithm>

namespace mnist {

namespace {

// Element (i, j) of op(X), where X is stored row-major.
inline float element(Op op, ConstMatrixView x, size_t i, size_t j) {
    return op == Op::none ? x.data[i * x.cols + j] : x.data[j * x.cols + i];
}

// Writes one result: C = alpha * product + beta * C (C not read when beta == 0), then the epilogue.
inline void store(float* c, float alpha, float product, float beta, const Epilogue& epilogue, size_t column,
                  bool last_k_block) {
    float value = alpha * product;
    if (beta != 0.0f) value += beta * *c;
    if (last_k_block) {
        if (epilogue.column_bias) value += epilogue.column_bias[column];
        if (epilogue.relu && !(value > 0.0f)) value = 0.0f;
    }
    *c = value;
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------
// 1. The definition.

void gemm_reference(Op op_a, Op op_b, float alpha, ConstMatrixView a, ConstMatrixView b, float beta,
                    MatrixView c, const Epilogue& epilogue) {
    const size_t k_size = op_a == Op::none ? a.cols : a.rows;
    for (size_t i = 0; i < c.rows; ++i) {
        for (size_t j = 0; j < c.cols; ++j) {
            double sum = 0.0;
            for (size_t p = 0; p < k_size; ++p)
                sum += static_cast<double>(element(op_a, a, i, p)) * element(op_b, b, p, j);
            store(&c.at(i, j), alpha, static_cast<float>(sum), beta, epilogue, j, true);
        }
    }
}

void gemm_naive(Op op_a, Op op_b, float alpha, ConstMatrixView a, ConstMatrixView b, float beta, MatrixView c) {
    const size_t k_size = op_a == Op::none ? a.cols : a.rows;
    for (size_t i = 0; i < c.rows; ++i) {
        for (size_t j = 0; j < c.cols; ++j) {
            float sum = 0.0f;
            for (size_t p = 0; p < k_size; ++p) sum += element(op_a, a, i, p) * element(op_b, b, p, j);
            store(&c.at(i, j), alpha, sum, beta, Epilogue(), j, true);
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// 2. Block sizes.
//
// MR x NR is the tile of C that the micro-kernel keeps in vector registers while it streams through k.
// It is the only size that depends on the instruction set: MR * NR / (floats per register) accumulators
// plus a few registers for the operands must fit in the register file.
//   AVX-512: 32 registers of 16 floats; 8 x 32 uses 16 accumulators, 2 for B and 1 for A.
//   AVX/AVX2: 16 registers of 8 floats; 6 x 16 uses 12 accumulators, 2 for B and 1 for A.
//   Otherwise (SSE2, NEON: 4 floats): 4 x 8 uses 8 accumulators.
#if defined(__AVX512F__)
constexpr size_t MR = 8, NR = 32;
#elif defined(__AVX__)
constexpr size_t MR = 6, NR = 16;
#else
constexpr size_t MR = 4, NR = 8;
#endif
// KC: the depth of one rank-kc update. An MR x KC sliver of A and a KC x NR sliver of B are what the
//     micro-kernel reads for one tile; with KC = 256 the B sliver is 32 KB at NR = 32 (the L1 data cache
//     of the machines we measured is 32-48 KB). K is cut into equal blocks of at most KC (784 -> 4 x 196),
//     so no block is a sliver. The cut depends only on K: never on the thread count.
constexpr size_t KC = 256;
// MC x KC: the block of A packed for one task, reused across all of the task's NR-wide columns: 128 x 256
//     floats = 128 KB, resident in L2 (1 MB per core on the machines we measured).
constexpr size_t MC = 128;
// KC x NC: the block of B packed for one task, reused across all of its MR-high rows: 256 x 128 floats =
//     128 KB, also in L2. One task computes one MC x NC block of C; a batch-128 layer has 1-28 of them.
constexpr size_t NC = 128;
static_assert(MC % MR == 0 && NC % NR == 0, "cache blocks must hold whole register tiles");

GemmWorkspace make_gemm_workspace(size_t threads) {
    GemmWorkspace workspace;
    workspace.packed_a.assign(threads, std::vector<float>(MC * KC));
    workspace.packed_b.assign(threads, std::vector<float>(KC * NC));
    return workspace;
}

namespace {

// ---------------------------------------------------------------------------------------------------------
// 3. Packing. The micro-kernel wants, for each step p of k, MR consecutive values of A's column p and NR
// consecutive values of B's row p. Packing copies the block once into exactly that order, so the kernel
// reads both operands with unit stride whatever the transposes were, and pads partial tiles with zeros so
// the kernel never needs a special case for the edges.

// Packs rows [row0, row0 + rows) x depth [p0, p0 + depth) of op(A) as ceil(rows / MR) slivers of
// [depth x MR].
void pack_a(float* packed, Op op, ConstMatrixView a, size_t row0, size_t rows, size_t p0, size_t depth) {
    for (size_t sliver = 0; sliver < rows; sliver += MR) {
        const size_t height = std::min(MR, rows - sliver);
        for (size_t p = 0; p < depth; ++p) {
            float* out = packed + sliver * depth + p * MR;
            for (size_t r = 0; r < height; ++r) out[r] = element(op, a, row0 + sliver + r, p0 + p);
            for (size_t r = height; r < MR; ++r) out[r] = 0.0f;
        }
    }
}

// Packs depth [p0, p0 + depth) x columns [col0, col0 + cols) of op(B) as ceil(cols / NR) slivers of
// [depth x NR].
void pack_b(float* packed, Op op, ConstMatrixView b, size_t p0, size_t depth, size_t col0, size_t cols) {
    for (size_t sliver = 0; sliver < cols; sliver += NR) {
        const size_t width = std::min(NR, cols - sliver);
        for (size_t p = 0; p < depth; ++p) {
            float* out = packed + sliver * depth + p * NR;
            if (op == Op::none) {  // row p of B is contiguous: a straight copy
                const float* in = b.data + (p0 + p) * b.cols + col0 + sliver;
                for (size_t j = 0; j < width; ++j) out[j] = in[j];
            } else {
                for (size_t j = 0; j < width; ++j) out[j] = b.data[(col0 + sliver + j) * b.cols + p0 + p];
            }
            for (size_t j = width; j < NR; ++j) out[j] = 0.0f;
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// 4. The micro-kernel: depth rank-1 updates into an MR x NR tile, tile += a_sliver(:, p) * b_sliver(p, :).
// Written as plain loops with sizes known at compile time, so g++ and clang++ unroll them, keep `tile` in
// vector registers and emit one fused multiply-add per register per step (check with -S: the loop body is
// NR/16 loads of B, MR broadcasts of A and MR*NR/16 vfmadd231ps on AVX-512).
void micro_kernel(size_t depth, const float* a_sliver, const float* b_sliver, float tile[MR][NR]) {
    float acc[MR][NR] = {};
    for (size_t p = 0; p < depth; ++p) {
        const float* a = a_sliver + p * MR;  // [MR]: column p of the A sliver
        const float* b = b_sliver + p * NR;  // [NR]: row p of the B sliver
        for (size_t i = 0; i < MR; ++i)
            for (size_t j = 0; j < NR; ++j) acc[i][j] += a[i] * b[j];
    }
    for (size_t i = 0; i < MR; ++i)
        for (size_t j = 0; j < NR; ++j) tile[i][j] = acc[i][j];
}

// Writes an MR x NR tile (or the part of it inside C) into C at (row0, col0).
void write_tile(const float tile[MR][NR], MatrixView c, size_t row0, size_t col0, size_t height, size_t width,
                float alpha, float beta, const Epilogue& epilogue, bool last_k_block) {
    for (size_t i = 0; i < height; ++i) {
        float* row = c.data + (row0 + i) * c.cols + col0;
        const float* bias = epilogue.column_bias ? epilogue.column_bias + col0 : nullptr;
        if (beta == 0.0f && last_k_block) {  // the common case, written so it vectorises
            for (size_t j = 0; j < width; ++j) {
                float value = alpha * tile[i][j];
                if (bias) value += bias[j];
                row[j] = epilogue.relu ? (value > 0.0f ? value : 0.0f) : value;
            }
        } else {
            for (size_t j = 0; j < width; ++j)
                store(row + j, alpha, tile[i][j], beta, epilogue, col0 + j, last_k_block);
        }
    }
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------
// 5. The loops. C is cut into MC x NC blocks; each block is one task for the thread pool, so each element
// of C is owned by exactly one thread and computed by the same operations whatever the thread count.
// Inside a task: for each KC-deep slice of k, pack that slice of A and B, then sweep the register tiles.
void gemm(Compute& compute, Op op_a, Op op_b, float alpha, ConstMatrixView a, ConstMatrixView b, float beta,
          MatrixView c, const Epilogue& epilogue) {
    const size_t m = c.rows, n = c.cols;
    const size_t k = op_a == Op::none ? a.cols : a.rows;
    if (m == 0 || n == 0) return;
    if (k == 0) {  // an empty sum: C = beta * C, then the epilogue
        for (size_t i = 0; i < m; ++i)
            for (size_t j = 0; j < n; ++j) store(&c.at(i, j), alpha, 0.0f, beta, epilogue, j, true);
        return;
    }
    const size_t k_blocks = (k + KC - 1) / KC;
    const size_t kc = (k + k_blocks - 1) / k_blocks;  // equal slices of at most KC
    const size_t row_blocks = (m + MC - 1) / MC, col_blocks = (n + NC - 1) / NC;

    compute.pool.parallel_for(row_blocks * col_blocks, [&](size_t task, size_t thread) {
        const size_t row0 = (task / col_blocks) * MC, col0 = (task % col_blocks) * NC;
        const size_t rows = std::min(MC, m - row0), cols = std::min(NC, n - col0);
        float* packed_a = compute.gemm.packed_a[thread].data();
        float* packed_b = compute.gemm.packed_b[thread].data();
        for (size_t p0 = 0; p0 < k; p0 += kc) {
            const size_t depth = std::min(kc, k - p0);
            const bool first = p0 == 0, last = p0 + depth == k;
            pack_b(packed_b, op_b, b, p0, depth, col0, cols);
            pack_a(packed_a, op_a, a, row0, rows, p0, depth);
            for (size_t j = 0; j < cols; j += NR) {
                for (size_t i = 0; i < rows; i += MR) {
                    float tile[MR][NR];
                    micro_kernel(depth, packed_a + i * depth, packed_b + j * depth, tile);
                    write_tile(tile, c, row0 + i, col0 + j, std::min(MR, rows - i), std::min(NR, cols - j),
                               alpha, first ? beta : 1.0f, epilogue, last);
                }
            }
        }
    });
}

}  // namespace mnist
