// The teaching stages of tensor/gemm_stages.h (docs/09-gemm.md) compute the same product as
// gemm_reference: every stage on awkward shapes (1, 3, edge tiles of the register tile, sizes that are not
// multiples of the cache blocks), the tiled stage at every depth the KC sweep uses, and the FMA probes'
// arithmetic. A stage that is fast but wrong would make the chapter's plot a lie.
#include <cmath>
#include <cstdio>
#include <vector>

#include "check.h"
#include "tensor/gemm.h"
#include "tensor/gemm_stages.h"
#include "util/rng.h"

using namespace mnist;

namespace {

Matrix random_matrix(size_t rows, size_t cols, Rng& rng) {
    Matrix m(rows, cols);
    for (float& v : m.values) v = static_cast<float>(uniform_double(rng) - 0.5);
    return m;
}

// Largest |c - reference| relative to the sum of |a_ip b_pj| over p (the scale float rounding works on).
bool matches_reference(const Matrix& a, const Matrix& b, const Matrix& c, const char* what) {
    Matrix expected(c.rows, c.cols);
    gemm_reference(Op::none, Op::none, 1.0f, a.view(), b.view(), 0.0f, expected.view());
    double worst = 0;
    for (size_t i = 0; i < c.rows; ++i)
        for (size_t j = 0; j < c.cols; ++j) {
            double scale = 0;
            for (size_t p = 0; p < a.cols; ++p) scale += std::fabs(double(a.view().at(i, p)) * double(b.view().at(p, j)));
            const double error = std::fabs(double(c.view().at(i, j)) - double(expected.view().at(i, j)));
            worst = std::max(worst, scale > 0 ? error / scale : error);
        }
    if (worst > 1e-5)
        std::fprintf(stderr, "  %s %zux%zux%zu: relative error %.3e\n", what, c.rows, c.cols, a.cols, worst);
    return worst <= 1e-5;
}

}  // namespace

int main() {
    Rng rng = make_rng(23, 0);
    const size_t shapes[][3] = {{1, 1, 1}, {3, 5, 7}, {8, 32, 1}, {9, 33, 17}, {10, 128, 64}, {127, 129, 300},
                                {64, 70, 513}, {130, 260, 257}};
    std::vector<float> scratch;
    for (const auto& s : shapes) {
        const Matrix a = random_matrix(s[0], s[2], rng), b = random_matrix(s[2], s[1], rng);
        Matrix c(s[0], s[1]);
        for (float& v : c.values) v = NAN;  // every stage overwrites C
        gemm_stage_naive(a.view(), b.view(), c.view());
        CHECK(matches_reference(a, b, c, "naive"));
        for (float& v : c.values) v = NAN;
        gemm_stage_loop_order(a.view(), b.view(), c.view());
        CHECK(matches_reference(a, b, c, "loop order"));
        for (float& v : c.values) v = NAN;
        gemm_stage_blocked(a.view(), b.view(), c.view());
        CHECK(matches_reference(a, b, c, "blocked"));
        for (float& v : c.values) v = NAN;
        gemm_stage_packed(a.view(), b.view(), c.view());
        CHECK(matches_reference(a, b, c, "packed"));
        for (float& v : c.values) v = NAN;
        gemm_stage_register_tile(a.view(), b.view(), c.view());
        CHECK(matches_reference(a, b, c, "register tile"));
        for (const size_t kc : {1, 16, 100, 256, 768}) {
            for (float& v : c.values) v = NAN;
            gemm_stage_tiled(a.view(), b.view(), c.view(), StageBlocks{kc, 24, 40}, scratch);
            CHECK(matches_reference(a, b, c, "tiled"));
        }
    }
    // The FMA probes compute what they say: x -> x * m + c, `steps` times, on every lane.
    const float m = 0.5f, add = 1.0f;
    CHECK(fma_dependent_chain(3, 8.0f, m, add) == 2.75f);  // 8 -> 5 -> 3.5 -> 2.75
    float lane0 = 1.0f;
    for (int s = 0; s < 4; ++s) lane0 = lane0 * m + add;
    const float sum = fma_independent_chains(4, 1.0f, m, add);
    CHECK(std::isfinite(sum) && sum > static_cast<float>(kFmaChains * kFmaWidth) * lane0 * 0.99f);
    return check_exit("test_gemm_stages");
}
