// GEMM the way BLIS and GotoBLAS build it, in portable C++17. Read it top-down in this order:
//   1. gemm_reference / gemm_naive : the definition (kept for tests and for the benchmark's baseline).
//   2. Block sizes                 : MR x NR register tile, KC / MC / NC cache blocks.
//   3. pack_a / pack_b             : copy a block of op(A) / op(B) into the order the micro-kernel reads.
//   4. micro_kernel                : kc rank-1 updates into an MR x NR tile held in registers.
//   5. gemm                        : the loops around them, and how threads share the work.
// docs/08-gemm.md walks through the same steps with the GFLOP/s each one gains on our machine.
#include "tensor/gemm.h"

#include <algorithm>
#include <chrono>

#include "util/subnormal.h"

namespace mnist {

namespace {

// Element (i, j) of op(X), where X is stored row-major.
inline float element(Op op, ConstMatrixView x, size_t i, size_t j) {
    return op == Op::none ? x.data[i * x.cols + j] : x.data[j * x.cols + i];
}

// Writes one result C[i][j] = alpha * product + beta * C[i][j] (C not read when beta == 0), then the
// epilogue (gemm.h) when this is the last contribution to it.
inline void store(MatrixView c, size_t i, size_t j, float alpha, float product, float beta, const Epilogue& epilogue,
                  bool last_k_block) {
    float value = alpha * product;
    if (beta != 0.0f) value += beta * c.at(i, j);
    if (last_k_block) {
        if (epilogue.column_bias) value += epilogue.column_bias[j];
        if (epilogue.relu && !(value > 0.0f)) value = 0.0f;
        if (epilogue.multiply_by) value *= epilogue.multiply_by[i * c.cols + j];
        if (epilogue.relu_output && !(epilogue.relu_output[i * c.cols + j] > 0.0f)) value = 0.0f;
    }
    c.at(i, j) = flush_subnormal(value);
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
            store(c, i, j, alpha, static_cast<float>(sum), beta, epilogue, true);
        }
    }
}

void gemm_naive(Op op_a, Op op_b, float alpha, ConstMatrixView a, ConstMatrixView b, float beta, MatrixView c) {
    const size_t k_size = op_a == Op::none ? a.cols : a.rows;
    for (size_t i = 0; i < c.rows; ++i) {
        for (size_t j = 0; j < c.cols; ++j) {
            float sum = 0.0f;
            for (size_t p = 0; p < k_size; ++p) sum += element(op_a, a, i, p) * element(op_b, b, p, j);
            store(c, i, j, alpha, sum, beta, Epilogue(), true);
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
//   AVX/AVX2: 16 registers of 8 floats; 4 x 24 uses 12 accumulators, 3 for B and 1 for A. (6 x 16 fits
//     as well on paper, but g++ 12 does not keep that tile in registers; 4 x 24 it does. Read the -S.)
//   Otherwise (SSE2, NEON: 4 floats): 4 x 8 uses 8 accumulators.
#if defined(__AVX512F__)
constexpr size_t MR = 8, NR = 32;
#elif defined(__AVX__)
constexpr size_t MR = 4, NR = 24;
#else
constexpr size_t MR = 4, NR = 8;
#endif
// KC: the depth of one rank-kc update. An MR x KC sliver of A and a KC x NR sliver of B are what the
//     micro-kernel reads for one tile; with KC = 256 the B sliver is 32 KB at NR = 32 (the L1 data cache
//     of the machines we measured is 32-48 KB). K is cut into equal blocks of at most KC (784 -> 4 x 196),
//     so no block is a sliver. The cut depends only on K: never on the thread count.
constexpr size_t KC = 256;
// MC x KC: the block of A packed for one task, reused across all of the task's NR-wide columns: about
//     128 x 256 floats = 128 KB, resident in L2 (1 MB per core on the machines we measured). 128 rounded up
//     to whole MR slivers, so that a batch of 128 is one block whatever MR is.
constexpr size_t MC = (128 + MR - 1) / MR * MR;
// KC x NC: the block of B packed at a time, reused across all of the task's MR-high rows: about 256 x 128
//     floats = 128 KB, also in L2 (128 rounded up to whole NR slivers).
constexpr size_t NC = (128 + NR - 1) / NR * NR;
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
        float* out = packed + sliver * depth;
        if (op == Op::transpose) {  // column i of op(A) is row i of A: MR neighbours per step p
            for (size_t p = 0; p < depth; ++p) {
                const float* in = a.data + (p0 + p) * a.cols + row0 + sliver;
                for (size_t r = 0; r < height; ++r) out[p * MR + r] = in[r];
                for (size_t r = height; r < MR; ++r) out[p * MR + r] = 0.0f;
            }
        } else {  // MR rows of A read side by side, interleaved into the sliver
            for (size_t r = 0; r < MR; ++r) {
                if (r < height) {
                    const float* in = a.data + (row0 + sliver + r) * a.cols + p0;
                    for (size_t p = 0; p < depth; ++p) out[p * MR + r] = in[p];
                } else {
                    for (size_t p = 0; p < depth; ++p) out[p * MR + r] = 0.0f;
                }
            }
        }
    }
}

// Packs depth [p0, p0 + depth) x columns [col0, col0 + cols) of op(B) as ceil(cols / NR) slivers of
// [depth x NR].
void pack_b(float* packed, Op op, ConstMatrixView b, size_t p0, size_t depth, size_t col0, size_t cols) {
    for (size_t sliver = 0; sliver < cols; sliver += NR) {
        const size_t width = std::min(NR, cols - sliver);
        float* out = packed + sliver * depth;
        if (op == Op::none) {  // row p of B holds NR neighbours: a straight copy
            for (size_t p = 0; p < depth; ++p) {
                const float* in = b.data + (p0 + p) * b.cols + col0 + sliver;
                for (size_t j = 0; j < width; ++j) out[p * NR + j] = in[j];
                for (size_t j = width; j < NR; ++j) out[p * NR + j] = 0.0f;
            }
        } else {  // column j of op(B) is row j of B: NR rows read side by side
            for (size_t j = 0; j < NR; ++j) {
                if (j < width) {
                    const float* in = b.data + (col0 + sliver + j) * b.cols + p0;
                    for (size_t p = 0; p < depth; ++p) out[p * NR + j] = in[p];
                } else {
                    for (size_t p = 0; p < depth; ++p) out[p * NR + j] = 0.0f;
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// 4. The micro-kernel: depth rank-1 updates into an MR x NR tile, tile += a_sliver(:, p) * b_sliver(p, :),
// then the tile is written to C straight from the registers. Written as plain loops with sizes known at
// compile time, so g++ and clang++ unroll them, keep `acc` in vector registers and emit one fused
// multiply-add per register per step (check with -S: the loop body is NR/16 loads of B, MR broadcasts of
// A and MR*NR/16 vfmadd231ps on AVX-512).

struct TileUpdate {  // how a tile lands in C
    float alpha, beta;        // C = alpha * acc + beta * C (C not read when beta == 0)
    bool last;                // the last k block: apply the epilogue
    Epilogue epilogue;        // with every pointer already moved to this tile's first row and column
    size_t ldc;               // row stride of C and of the epilogue's [m x n] inputs
};

template <size_t Height, size_t Width>
inline void write_tile(const float (&acc)[MR][NR], float* c, size_t height, size_t width, const TileUpdate& u) {
    const size_t h = Height ? Height : height, w = Width ? Width : width;
    const Epilogue& e = u.epilogue;
    for (size_t i = 0; i < h; ++i) {
        float* row = c + i * u.ldc;
        if (u.beta == 0.0f)
            for (size_t j = 0; j < w; ++j) row[j] = u.alpha * acc[i][j];
        else
            for (size_t j = 0; j < w; ++j) row[j] = u.alpha * acc[i][j] + u.beta * row[j];
        if (u.last) {
            if (e.column_bias)
                for (size_t j = 0; j < w; ++j) row[j] += e.column_bias[j];
            if (e.relu)
                for (size_t j = 0; j < w; ++j) row[j] = row[j] > 0.0f ? row[j] : 0.0f;
            if (e.multiply_by) {
                const float* factor = e.multiply_by + i * u.ldc;
                for (size_t j = 0; j < w; ++j) row[j] *= factor[j];
            }
            if (e.relu_output) {
                const float* output = e.relu_output + i * u.ldc;
                for (size_t j = 0; j < w; ++j) row[j] = output[j] > 0.0f ? row[j] : 0.0f;
            }
        }
        for (size_t j = 0; j < w; ++j) row[j] = flush_subnormal(row[j]);  // gemm.h: C never holds a subnormal
    }
}

void micro_kernel(size_t depth, const float* a_sliver, const float* b_sliver, float* c, size_t height, size_t width,
                  const TileUpdate& update) {
    float acc[MR][NR] = {};
    for (size_t p = 0; p < depth; ++p) {
        const float* a = a_sliver + p * MR;  // [MR]: column p of the A sliver
        const float* b = b_sliver + p * NR;  // [NR]: row p of the B sliver
        for (size_t i = 0; i < MR; ++i)
            for (size_t j = 0; j < NR; ++j) acc[i][j] += a[i] * b[j];
    }
    if (height == MR && width == NR)
        write_tile<MR, NR>(acc, c, MR, NR, update);  // the common case, fully unrolled
    else
        write_tile<0, 0>(acc, c, height, width, update);  // an edge tile: only the part inside C
}

// Adds one call's time to its shape's entry of the profile (bench only).
void record_time(GemmProfile& profile, Op op_a, Op op_b, size_t m, size_t n, size_t k,
                 std::chrono::steady_clock::time_point start) {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    for (GemmTiming& t : profile.shapes)
        if (t.op_a == op_a && t.op_b == op_b && t.m == m && t.n == n && t.k == k) {
            ++t.calls;
            t.seconds += seconds;
            return;
        }
    profile.shapes.push_back({op_a, op_b, m, n, k, 1, seconds});
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------
// 5. The loops. C is cut into row blocks of MC and column groups (one per thread, in whole NR slivers);
// each (row block, column group) pair is one task for the thread pool, so each element of C is owned by
// exactly one thread. Whatever the thread count, an element is computed by the same operations (the k
// blocks depend only on k), so the result is bit-identical. Inside a task: for each KC-deep slice of k,
// pack the task's rows of A once, then for each NC-wide block of its columns pack B and sweep the tiles.
void gemm(Compute& compute, Op op_a, Op op_b, float alpha, ConstMatrixView a, ConstMatrixView b, float beta,
          MatrixView c, const Epilogue& epilogue) {
    const size_t m = c.rows, n = c.cols;
    const size_t k = op_a == Op::none ? a.cols : a.rows;
    if (m == 0 || n == 0) return;
    if (k == 0) {  // an empty sum: C = beta * C, then the epilogue
        for (size_t i = 0; i < m; ++i)
            for (size_t j = 0; j < n; ++j) store(c, i, j, alpha, 0.0f, beta, epilogue, true);
        return;
    }
    const auto start = compute.profile ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point();
    const size_t k_blocks = (k + KC - 1) / KC;
    const size_t kc = (k + k_blocks - 1) / k_blocks;  // equal slices of at most KC
    const size_t row_blocks = (m + MC - 1) / MC;
    const size_t slivers = (n + NR - 1) / NR;
    // A product of under 2^20 multiply-adds (the output layer's three: ~10 us on one core) is not worth handing
    // to another thread: measured with `mnist bench`, it ran slower on 2 threads than on 1.
    const bool small = m * n * k < (size_t(1) << 20);
    const size_t groups = small ? 1 : std::min(compute.pool.size(), slivers);
    const size_t slivers_per_group = (slivers + groups - 1) / groups;

    const auto task_body = [&](size_t task, size_t thread) {
        const size_t row0 = (task / groups) * MC, rows = std::min(MC, m - row0);
        const size_t col_begin = (task % groups) * slivers_per_group * NR;
        const size_t col_end = std::min(n, col_begin + slivers_per_group * NR);
        float* packed_a = compute.gemm.packed_a[thread].data();
        float* packed_b = compute.gemm.packed_b[thread].data();
        for (size_t p0 = 0; p0 < k; p0 += kc) {
            const size_t depth = std::min(kc, k - p0);
            const bool first = p0 == 0, last = p0 + depth == k;
            pack_a(packed_a, op_a, a, row0, rows, p0, depth);
            for (size_t col0 = col_begin; col0 < col_end; col0 += NC) {
                const size_t cols = std::min(NC, col_end - col0);
                pack_b(packed_b, op_b, b, p0, depth, col0, cols);
                for (size_t j = 0; j < cols; j += NR) {
                    for (size_t i = 0; i < rows; i += MR) {
                        const size_t ci = row0 + i, cj = col0 + j;  // the tile's corner in C
                        TileUpdate update = {alpha, first ? beta : 1.0f, last, epilogue, c.cols};
                        if (epilogue.column_bias) update.epilogue.column_bias += cj;
                        if (epilogue.multiply_by) update.epilogue.multiply_by += ci * c.cols + cj;
                        if (epilogue.relu_output) update.epilogue.relu_output += ci * c.cols + cj;
                        micro_kernel(depth, packed_a + i * depth, packed_b + j * depth, c.data + ci * c.cols + cj,
                                     std::min(MR, rows - i), std::min(NR, cols - j), update);
                    }
                }
            }
        }
    };
    if (small)
        for (size_t task = 0; task < row_blocks; ++task) task_body(task, 0);  // on the calling thread
    else
        compute.pool.parallel_for(row_blocks * groups, task_body);
    if (compute.profile) record_time(*compute.profile, op_a, op_b, m, n, k, start);
}

}  // namespace mnist
