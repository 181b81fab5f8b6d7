// The teaching steps of docs/09-gemm.md. Deliberately plain: each differs from the previous by one idea.
#include "tensor/gemm_stages.h"

#include <algorithm>
#include <vector>

#include "tensor/gemm_tile.h"

namespace mnist {

namespace {
// Block sizes for steps 3 and 4 (in floats): a 256 x 256 block of B is 256 KB (in L2), a 64 x 256 block
// of A is 64 KB. gemm.cpp explains its own, register-aware choice.
constexpr size_t kStageKC = 256, kStageNC = 256, kStageMC = 64;
}  // namespace

void gemm_stage_naive(ConstMatrixView a, ConstMatrixView b, MatrixView c) {
    for (size_t i = 0; i < c.rows; ++i)
        for (size_t j = 0; j < c.cols; ++j) {
            float sum = 0.0f;
            for (size_t p = 0; p < a.cols; ++p) sum += a.at(i, p) * b.at(p, j);
            c.at(i, j) = sum;
        }
}

void gemm_stage_loop_order(ConstMatrixView a, ConstMatrixView b, MatrixView c) {
    for (size_t i = 0; i < c.rows; ++i) {
        float* c_row = c.data + i * c.cols;
        for (size_t j = 0; j < c.cols; ++j) c_row[j] = 0.0f;
        for (size_t p = 0; p < a.cols; ++p) {
            const float a_ip = a.at(i, p);
            const float* b_row = b.data + p * b.cols;
            for (size_t j = 0; j < c.cols; ++j) c_row[j] += a_ip * b_row[j];
        }
    }
}

void gemm_stage_blocked(ConstMatrixView a, ConstMatrixView b, MatrixView c) {
    for (size_t i = 0; i < c.size(); ++i) c.data[i] = 0.0f;
    for (size_t j0 = 0; j0 < c.cols; j0 += kStageNC) {
        const size_t j1 = std::min(c.cols, j0 + kStageNC);
        for (size_t p0 = 0; p0 < a.cols; p0 += kStageKC) {
            const size_t p1 = std::min(a.cols, p0 + kStageKC);
            for (size_t i0 = 0; i0 < c.rows; i0 += kStageMC) {
                const size_t i1 = std::min(c.rows, i0 + kStageMC);
                for (size_t i = i0; i < i1; ++i)  // step 2's loops, on one block
                    for (size_t p = p0; p < p1; ++p) {
                        const float a_ip = a.at(i, p);
                        const float* b_row = b.data + p * b.cols;
                        float* c_row = c.data + i * c.cols;
                        for (size_t j = j0; j < j1; ++j) c_row[j] += a_ip * b_row[j];
                    }
            }
        }
    }
}

void gemm_stage_packed(ConstMatrixView a, ConstMatrixView b, MatrixView c) {
    std::vector<float> packed_a(kStageMC * kStageKC), packed_b(kStageKC * kStageNC);
    for (size_t i = 0; i < c.size(); ++i) c.data[i] = 0.0f;
    for (size_t j0 = 0; j0 < c.cols; j0 += kStageNC) {
        const size_t nc = std::min(kStageNC, c.cols - j0);
        for (size_t p0 = 0; p0 < a.cols; p0 += kStageKC) {
            const size_t kc = std::min(kStageKC, a.cols - p0);
            for (size_t p = 0; p < kc; ++p)  // pack the B block: kc rows of nc contiguous floats
                for (size_t j = 0; j < nc; ++j) packed_b[p * nc + j] = b.at(p0 + p, j0 + j);
            for (size_t i0 = 0; i0 < c.rows; i0 += kStageMC) {
                const size_t mc = std::min(kStageMC, c.rows - i0);
                for (size_t i = 0; i < mc; ++i)  // pack the A block: mc rows of kc contiguous floats
                    for (size_t p = 0; p < kc; ++p) packed_a[i * kc + p] = a.at(i0 + i, p0 + p);
                for (size_t i = 0; i < mc; ++i)
                    for (size_t p = 0; p < kc; ++p) {
                        const float a_ip = packed_a[i * kc + p];
                        const float* b_row = packed_b.data() + p * nc;
                        float* c_row = c.data + (i0 + i) * c.cols + j0;
                        for (size_t j = 0; j < nc; ++j) c_row[j] += a_ip * b_row[j];
                    }
            }
        }
    }
}

void gemm_stage_register_tile(ConstMatrixView a, ConstMatrixView b, MatrixView c) {
    const size_t m = c.rows, n = c.cols, k = a.cols;
    for (size_t i0 = 0; i0 < m; i0 += MR)
        for (size_t j0 = 0; j0 < n; j0 += NR) {
            const size_t height = std::min(MR, m - i0), width = std::min(NR, n - j0);
            float acc[MR][NR] = {};
            if (height == MR && width == NR) {  // sizes known at compile time: acc stays in registers
                for (size_t p = 0; p < k; ++p) {
                    const float* b_row = b.data + p * n + j0;  // NR neighbours along row p of B
                    for (size_t i = 0; i < MR; ++i) {
                        const float a_ip = a.data[(i0 + i) * k + p];  // down column p of A: MR rows apart
                        for (size_t j = 0; j < NR; ++j) acc[i][j] += a_ip * b_row[j];
                    }
                }
            } else {  // an edge tile, the plain way
                for (size_t p = 0; p < k; ++p)
                    for (size_t i = 0; i < height; ++i)
                        for (size_t j = 0; j < width; ++j) acc[i][j] += a.at(i0 + i, p) * b.at(p, j0 + j);
            }
            for (size_t i = 0; i < height; ++i)
                for (size_t j = 0; j < width; ++j) c.at(i0 + i, j0 + j) = acc[i][j];
        }
}

void gemm_stage_tiled(ConstMatrixView a, ConstMatrixView b, MatrixView c, const StageBlocks& blocks,
                      std::vector<float>& scratch) {
    const size_t m = c.rows, n = c.cols, k = a.cols;
    const size_t kc = std::max<size_t>(1, blocks.kc);
    const size_t mc = (std::max<size_t>(1, blocks.mc) + MR - 1) / MR * MR;
    const size_t nc = (std::max<size_t>(1, blocks.nc) + NR - 1) / NR * NR;
    scratch.resize(mc * kc + kc * nc);
    float* packed_a = scratch.data();            // [mc / MR slivers of depth x MR]
    float* packed_b = scratch.data() + mc * kc;  // [nc / NR slivers of depth x NR]
    for (size_t i = 0; i < c.size(); ++i) c.data[i] = 0.0f;
    for (size_t i0 = 0; i0 < m; i0 += mc) {  // gemm's order: a block of rows, then k slices, then columns
        const size_t rows = std::min(mc, m - i0);
        for (size_t p0 = 0; p0 < k; p0 += kc) {
            const size_t depth = std::min(kc, k - p0);
            for (size_t s = 0; s < rows; s += MR)  // pack A: MR rows side by side per step p
                for (size_t p = 0; p < depth; ++p)
                    for (size_t r = 0; r < MR; ++r)
                        packed_a[s * depth + p * MR + r] = i0 + s + r < m ? a.at(i0 + s + r, p0 + p) : 0.0f;
            for (size_t j0 = 0; j0 < n; j0 += nc) {
                const size_t cols = std::min(nc, n - j0);
                for (size_t t = 0; t < cols; t += NR)  // pack B: NR neighbours of row p per step p
                    for (size_t p = 0; p < depth; ++p)
                        for (size_t j = 0; j < NR; ++j)
                            packed_b[t * depth + p * NR + j] = j0 + t + j < n ? b.at(p0 + p, j0 + t + j) : 0.0f;
                for (size_t jr = 0; jr < cols; jr += NR)
                    for (size_t ir = 0; ir < rows; ir += MR) {
                        float acc[MR][NR] = {};
                        const float* a_sliver = packed_a + ir * depth;
                        const float* b_sliver = packed_b + jr * depth;
                        for (size_t p = 0; p < depth; ++p)
                            for (size_t i = 0; i < MR; ++i)
                                for (size_t j = 0; j < NR; ++j) acc[i][j] += a_sliver[p * MR + i] * b_sliver[p * NR + j];
                        const size_t height = std::min(MR, rows - ir), width = std::min(NR, cols - jr);
                        for (size_t i = 0; i < height; ++i)
                            for (size_t j = 0; j < width; ++j) c.at(i0 + ir + i, j0 + jr + j) += acc[i][j];
                    }
            }
        }
    }
}

float fma_dependent_chain(size_t steps, float x, float m, float c) {
    for (size_t s = 0; s < steps; ++s) x = x * m + c;  // each step needs the previous x: one long chain
    return x;
}

float fma_independent_chains(size_t steps, float x, float m, float c) {
    float acc[kFmaChains][kFmaWidth];
    for (size_t i = 0; i < kFmaChains; ++i)
        for (size_t j = 0; j < kFmaWidth; ++j) acc[i][j] = x + static_cast<float>(i * kFmaWidth + j) * 1e-3f;
    for (size_t s = 0; s < steps; ++s)  // 16 chains of 16 lanes: 16 vector FMAs per round that do not wait
        for (size_t i = 0; i < kFmaChains; ++i)
            for (size_t j = 0; j < kFmaWidth; ++j) acc[i][j] = acc[i][j] * m + c;
    float sum = 0.0f;
    for (size_t i = 0; i < kFmaChains; ++i)
        for (size_t j = 0; j < kFmaWidth; ++j) sum += acc[i][j];
    return sum;
}

}  // namespace mnist
