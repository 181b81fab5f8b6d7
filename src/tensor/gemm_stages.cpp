// The teaching steps of docs/09-gemm.md. Deliberately plain: each differs from the previous by one idea.
#include "tensor/gemm_stages.h"

#include <algorithm>
#include <vector>

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

}  // namespace mnist
