// The max-norm constraint (nn/max_norm.h), Eq. (33): rows no longer than c are left bit for bit; longer rows
// are scaled to norm c exactly (to float rounding), keeping their direction; biases are untouched; and the
// result is the same on 1 and 3 threads. See docs/12-augmentation.md.
#include <cmath>
#include <vector>

#include "check.h"
#include "nn/max_norm.h"
#include "nn/mlp.h"

using namespace mnist;

namespace {

double norm(const float* row, size_t n) {
    double s = 0;
    for (size_t i = 0; i < n; ++i) s += static_cast<double>(row[i]) * row[i];
    return std::sqrt(s);
}

}  // namespace

int main() {
    // A row (3, 4) has norm 5.
    {
        float row[2] = {3.0f, 4.0f};
        clip_row_norm(row, 2, 10.0f);
        CHECK(row[0] == 3.0f && row[1] == 4.0f);  // shorter than c: unchanged
        clip_row_norm(row, 2, 5.0f);
        CHECK(row[0] == 3.0f && row[1] == 4.0f);  // exactly c: unchanged
        clip_row_norm(row, 2, 2.5f);
        CHECK(row[0] == 1.5f && row[1] == 2.0f);  // scaled by 2.5 / 5 = 0.5, exact in float
        clip_row_norm(row, 2, 1.0f);
        CHECK_NEAR(row[0], 0.6, 1e-7);
        CHECK_NEAR(row[1], 0.8, 1e-7);
        float zeros[3] = {0.0f, 0.0f, 0.0f};
        clip_row_norm(zeros, 3, 1.0f);
        CHECK(zeros[0] == 0.0f && zeros[1] == 0.0f && zeros[2] == 0.0f);  // no division by a zero norm
    }

    // A whole network: He-initialised rows of a 300-input layer have norm about sqrt(2) (variance 2/300 per
    // weight); with c = 1.4 some rows are longer and some shorter.
    const float c = 1.4f;
    Mlp before = make_mlp({300, 64, 32, 10}, 7);
    for (size_t i = 0; i < before.parameters.size(); i += 97) before.parameters[i] *= 1.5f;  // vary the norms
    Mlp one = before, three = before;
    Compute compute_one(1), compute_three(3);
    apply_max_norm(compute_one, one.layout, one.parameters, c);
    apply_max_norm(compute_three, three.layout, three.parameters, c);
    CHECK(one.parameters == three.parameters);

    size_t short_rows = 0, long_rows = 0;
    bool short_untouched = true, long_at_c = true, direction_kept = true, biases_untouched = true;
    for (size_t l = 0; l < before.layers(); ++l) {
        const ConstMatrixView w0 = weights_of(before.layout, before.parameters, l);
        const ConstMatrixView w1 = weights_of(one.layout, one.parameters, l);
        for (size_t r = 0; r < w0.rows; ++r) {
            const float* a = w0.data + r * w0.cols;
            const float* b = w1.data + r * w1.cols;
            const double n0 = norm(a, w0.cols);
            if (n0 <= c) {
                ++short_rows;
                for (size_t i = 0; i < w0.cols; ++i) short_untouched = short_untouched && a[i] == b[i];
            } else {
                ++long_rows;
                long_at_c = long_at_c && std::fabs(norm(b, w1.cols) - c) <= 1e-6 * c;
                for (size_t i = 0; i < w0.cols; ++i)
                    direction_kept = direction_kept && std::fabs(b[i] - a[i] * (c / n0)) <= 1e-6 * std::fabs(a[i]) + 1e-12;
            }
        }
        const float* b0 = bias_of(before.layout, before.parameters, l);
        const float* b1 = bias_of(one.layout, one.parameters, l);
        for (size_t i = 0; i < before.layout.outputs(l); ++i) biases_untouched = biases_untouched && b0[i] == b1[i];
    }
    CHECK(short_rows > 10);
    CHECK(long_rows > 10);
    CHECK(short_untouched);
    CHECK(long_at_c);
    CHECK(direction_kept);
    CHECK(biases_untouched);
    return check_exit("test_max_norm");
}
