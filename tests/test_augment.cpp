// Augmentation (data/augment.h, train/parallel_batch.h): bilinear sampling against hand-computed values;
// the fast resampler against the plain sample_bilinear; transforms that are exact permutations (a one-pixel
// shift, a quarter turn); the identity returns the input exactly; a seed gives the same batch on 1 and 3
// threads and again later; drawn maps stay in their ranges; the Gaussian kernel; and the elastic field has
// the smoothness and variance its definition, Eq. (28)-(29), predicts. See docs/12-augmentation.md.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdint>
#include <string>
#include <vector>

#include "check.h"
#include "synthetic_data.h"
#include "data/augment.h"
#include "data/dataset.h"
#include "train/parallel_batch.h"
#include "util/rng.h"

using namespace mnist;

namespace {

// `count` images of rows x cols random bytes (0-255), labels cycling through 0..9.
ImageSet random_images(size_t count, size_t rows, size_t cols, uint64_t seed) {
    synthetic::Spec spec(count, rows, cols, seed);
    spec.pattern = synthetic::Pattern::noise;
    spec.noise_span = 256;
    spec.classes = 10;
    spec.labels = synthetic::Labels::cycle;
    return synthetic::make_images(spec);
}

AugmentSettings zero_ranges(AugmentKind kind) {
    AugmentSettings s;
    s.kind = kind;
    s.max_shift = s.max_rotation = s.max_scale = s.max_shear = 0.0f;
    s.elastic_alpha = 0.0f;
    return s;
}

// Mean over many fields of the field's squared value, and of the squared difference between points `lag`
// apart horizontally, for the interior of a 28 x 28 field.
struct FieldStatistics {
    double variance = 0, mean = 0, difference_1 = 0, difference_8 = 0;
};
FieldStatistics field_statistics(float sigma, size_t fields) {
    AugmentSettings s;
    s.kind = AugmentKind::elastic;
    s.elastic_sigma = sigma;
    AugmentWorkspace ws = make_augment_workspace(s, 28, 28);
    Rng rng = make_rng(17, 3);
    FieldStatistics st;
    size_t n = 0, n1 = 0, n8 = 0;
    for (size_t f = 0; f < fields; ++f) {
        elastic_field(rng, 1.0f, 28, 28, ws);
        for (const std::vector<float>* field : {&ws.dx, &ws.dy})
            for (size_t r = 0; r < 28; ++r)
                for (size_t c = 0; c < 28; ++c) {
                    const double v = (*field)[r * 28 + c];
                    st.mean += v;
                    st.variance += v * v;
                    ++n;
                    if (c + 1 < 28) {
                        const double d = (*field)[r * 28 + c + 1] - v;
                        st.difference_1 += d * d;
                        ++n1;
                    }
                    if (c + 8 < 28) {
                        const double d = (*field)[r * 28 + c + 8] - v;
                        st.difference_8 += d * d;
                        ++n8;
                    }
                }
    }
    st.mean /= static_cast<double>(n);
    st.variance /= static_cast<double>(n);
    st.difference_1 /= static_cast<double>(n1);
    st.difference_8 /= static_cast<double>(n8);
    return st;
}

}  // namespace

int main() {
    // Bilinear sampling, Eq. (27), on a 2 x 3 image, by hand:
    //   row 0:  80 100  60
    //   row 1: 200  40   0
    {
        const uint8_t image[6] = {80, 100, 60, 200, 40, 0};
        CHECK(sample_bilinear(image, 2, 3, 0.0f, 0.0f) == 80.0f);                // a pixel centre
        CHECK(sample_bilinear(image, 2, 3, 2.0f, 1.0f) == 0.0f);
        CHECK_NEAR(sample_bilinear(image, 2, 3, 0.5f, 0.5f), 105.0, 1e-4);    // (80 + 100 + 200 + 40) / 4
        CHECK_NEAR(sample_bilinear(image, 2, 3, 0.25f, 0.0f), 85.0, 1e-4);    // 0.75 * 80 + 0.25 * 100
        CHECK_NEAR(sample_bilinear(image, 2, 3, 1.0f, 0.75f), 55.0, 1e-4);    // 0.25 * 100 + 0.75 * 40
        CHECK_NEAR(sample_bilinear(image, 2, 3, 1.5f, 0.25f), 65.0, 1e-4);    // .75 (.5*100 + .5*60) + .25 (.5*40)
        CHECK_NEAR(sample_bilinear(image, 2, 3, -0.5f, -0.5f), 20.0, 1e-4);   // 1/4 of pixel (0, 0); the rest is 0
        CHECK_NEAR(sample_bilinear(image, 2, 3, 2.5f, 1.0f), 0.0, 1e-6);      // half on pixel (2, 1) = 0
        CHECK_NEAR(sample_bilinear(image, 2, 3, 2.25f, 0.0f), 45.0, 1e-4);    // 0.75 * 60, outside counts 0
        CHECK(sample_bilinear(image, 2, 3, -1.0f, 0.0f) == 0.0f);              // beyond the border
        CHECK(sample_bilinear(image, 2, 3, 3.0f, 0.0f) == 0.0f);
        CHECK(sample_bilinear(image, 2, 3, 0.0f, 1e30f) == 0.0f);
        CHECK(sample_bilinear(image, 2, 3, std::nanf(""), 0.0f) == 0.0f);
    }

    const ImageSet set = random_images(64, 28, 28, 1);
    const size_t pixels = 28 * 28;
    std::vector<float> plain(pixels), out(pixels);

    // The identity returns the input exactly: kind none, and every kind with zero ranges and alpha 0, give
    // what load_batch writes, bit for bit.
    for (const AugmentKind kind : {AugmentKind::none, AugmentKind::affine, AugmentKind::elastic, AugmentKind::both}) {
        const AugmentSettings s = zero_ranges(kind);
        AugmentWorkspace ws = make_augment_workspace(s, 28, 28);
        bool same = true;
        for (uint32_t i = 0; i < 16; ++i) {
            uint8_t label = 0;
            load_batch({plain.data(), 1, pixels}, &label, set, &i, 1);
            augment_image(out.data(), set.pixels.data() + i * pixels, 28, 28, s, augment_stream(5, i), ws);
            same = same && out == plain;
        }
        CHECK(same);
    }
    {
        AugmentWorkspace ws = make_augment_workspace(zero_ranges(AugmentKind::affine), 28, 28);
        warp_image(out.data(), set.pixels.data(), 28, 28, identity_map(28, 28), ws);
        uint8_t label = 0;
        const uint32_t first = 0;
        load_batch({plain.data(), 1, pixels}, &label, set, &first, 1);
        CHECK(out == plain);
    }

    // Maps that move pixels onto pixels. A shift of (+1, -2) moves the digit right by 1 and up by 2; a
    // quarter turn about the centre (13.5, 13.5) of a 28 x 28 image is a permutation of the pixels.
    {
        AugmentWorkspace ws = make_augment_workspace(zero_ranges(AugmentKind::affine), 28, 28);
        const uint8_t* image = set.pixels.data();
        AffineMap shift = identity_map(28, 28);
        shift.shift_x = 1.0f;
        shift.shift_y = -2.0f;
        warp_image(out.data(), image, 28, 28, shift, ws);
        bool shifted = true;
        for (size_t y = 0; y < 28; ++y)
            for (size_t x = 0; x < 28; ++x) {
                const bool inside = x >= 1 && y + 2 < 28;
                const float expected = inside ? static_cast<float>(image[(y + 2) * 28 + x - 1]) / 255.0f : 0.0f;
                shifted = shifted && out[y * 28 + x] == expected;
            }
        CHECK(shifted);

        AffineMap turn = identity_map(28, 28);  // source = (q_y - c + c, -(q_x - c) + c): [[0, 1], [-1, 0]]
        turn.m00 = 0.0f;
        turn.m01 = 1.0f;
        turn.m10 = -1.0f;
        turn.m11 = 0.0f;
        warp_image(out.data(), image, 28, 28, turn, ws);
        bool turned = true;
        for (size_t y = 0; y < 28; ++y)
            for (size_t x = 0; x < 28; ++x)
                turned = turned && out[y * 28 + x] == static_cast<float>(image[(27 - x) * 28 + y]) / 255.0f;
        CHECK(turned);
    }

    // The fast resampler in warp_image agrees with sample_bilinear at the same source points, for random
    // maps with elastic fields, including points far outside the image.
    {
        AugmentSettings s;
        s.kind = AugmentKind::both;
        s.max_shift = 6.0f;
        s.max_rotation = 40.0f;
        s.max_scale = 0.3f;
        s.max_shear = 0.4f;
        s.elastic_alpha = 60.0f;
        AugmentWorkspace ws = make_augment_workspace(s, 28, 28);
        double worst = 0;
        for (size_t i = 0; i < 20; ++i) {
            Rng rng = augment_stream(99, i);
            const AffineMap m = draw_affine_map(rng, s, 28, 28);
            elastic_field(rng, s.elastic_alpha, 28, 28, ws);
            const uint8_t* image = set.pixels.data() + i * pixels;
            warp_image(out.data(), image, 28, 28, m, ws);
            for (size_t y = 0; y < 28; ++y)
                for (size_t x = 0; x < 28; ++x) {
                    const float qx = static_cast<float>(x) - m.centre_x - m.shift_x;
                    const float qy = static_cast<float>(y) - m.centre_y - m.shift_y;
                    const float sx = m.m00 * qx + m.m01 * qy + m.centre_x + ws.dx[y * 28 + x];
                    const float sy = m.m10 * qx + m.m11 * qy + m.centre_y + ws.dy[y * 28 + x];
                    const double reference = sample_bilinear(image, 28, 28, sx, sy) / 255.0;
                    worst = std::max(worst, std::fabs(reference - out[y * 28 + x]));
                }
            // augment_image draws the same map and field from the same stream.
            std::vector<float> again(pixels);
            augment_image(again.data(), image, 28, 28, s, augment_stream(99, i), ws);
            CHECK(again == out);
        }
        CHECK(worst < 1e-5);
    }

    // Drawn maps stay within their ranges: M = (1/s) Sh(-h) R(-theta) has determinant 1/s^2, and
    // m10^2 + m11^2 = 1/s^2 too (its second row is R's, over s); the shifts are within max_shift.
    {
        AugmentSettings s;
        s.kind = AugmentKind::affine;
        Rng rng = make_rng(3, 4);
        double smallest_scale = 10, largest_scale = 0, largest_shift = 0, largest_angle = 0;
        bool consistent = true;
        for (size_t i = 0; i < 2000; ++i) {
            const AffineMap m = draw_affine_map(rng, s, 28, 28);
            const double det = static_cast<double>(m.m00) * m.m11 - static_cast<double>(m.m01) * m.m10;
            const double scale = 1.0 / std::sqrt(det);
            const double row = std::sqrt(static_cast<double>(m.m10) * m.m10 + static_cast<double>(m.m11) * m.m11);
            consistent = consistent && std::fabs(row * scale - 1.0) < 1e-5;
            smallest_scale = std::min(smallest_scale, scale);
            largest_scale = std::max(largest_scale, scale);
            largest_shift = std::max({largest_shift, std::fabs(static_cast<double>(m.shift_x)),
                                      std::fabs(static_cast<double>(m.shift_y))});
            largest_angle = std::max(largest_angle, std::fabs(std::atan2(-static_cast<double>(m.m10), m.m11)));
        }
        CHECK(consistent);
        CHECK(smallest_scale >= 0.9 - 1e-5 && smallest_scale < 0.91);  // the range [0.9, 1.1] is used, not exceeded
        CHECK(largest_scale <= 1.1 + 1e-5 && largest_scale > 1.09);
        CHECK(largest_shift <= 2.0 && largest_shift > 1.98);
        CHECK(largest_angle <= 12.0 * 3.14159265358979 / 180 + 1e-6 && largest_angle > 11.8 * 3.14159265358979 / 180);
    }

    // A seed gives the same batch every time, on 1 and on 3 threads, and as the serial loader gives it;
    // another seed gives another batch; every row differs from its neighbours' transforms.
    {
        AugmentSettings s;
        s.kind = AugmentKind::both;
        std::vector<uint32_t> indices;
        for (uint32_t i = 0; i < 45; ++i) indices.push_back((i * 7) % 64);
        Matrix serial(45, pixels), one(45, pixels), three(45, pixels), again(45, pixels), other(45, pixels);
        std::vector<uint8_t> labels(45), labels_three(45);
        AugmentWorkspace ws = make_augment_workspace(s, 28, 28);
        load_augmented_batch(serial.view(), labels.data(), set, indices.data(), 45, 0, s, 1234, ws);
        Compute compute_one(1), compute_three(3);
        BatchAugmentation a1 = make_batch_augmentation(s, 28, 28, 1), a3 = make_batch_augmentation(s, 28, 28, 3);
        load_augmented_batch_parallel(compute_one, one.view(), labels.data(), set, indices.data(), 45, a1, 1234);
        load_augmented_batch_parallel(compute_three, three.view(), labels_three.data(), set, indices.data(), 45, a3,
                                      1234);
        load_augmented_batch_parallel(compute_three, again.view(), labels_three.data(), set, indices.data(), 45, a3,
                                      1234);
        load_augmented_batch_parallel(compute_three, other.view(), labels_three.data(), set, indices.data(), 45, a3,
                                      1235);
        CHECK(one.values == serial.values);
        CHECK(three.values == serial.values);
        CHECK(again.values == serial.values);
        CHECK(other.values != serial.values);
        CHECK(labels == labels_three);
        bool labels_right = true;
        for (size_t r = 0; r < 45; ++r) labels_right = labels_right && labels[r] == set.labels[indices[r]];
        CHECK(labels_right);
        // Pixels stay in [0, 1] and the images are not all the same as the originals.
        bool in_range = true;
        for (const float v : serial.values) in_range = in_range && v >= 0.0f && v <= 1.0f;
        CHECK(in_range);
        Matrix original(45, pixels);
        load_batch(original.view(), labels.data(), set, indices.data(), 45);
        size_t rows_changed = 0;
        for (size_t r = 0; r < 45; ++r)
            for (size_t p = 0; p < pixels; ++p)
                if (original.values[r * pixels + p] != serial.values[r * pixels + p]) {
                    ++rows_changed;
                    break;
                }
        CHECK(rows_changed == 45);
    }

    // The Gaussian kernel, Eq. (29): 2 ceil(3 sigma) + 1 taps, symmetric, summing to 1, with neighbouring
    // taps in the ratio exp(-(2k + 1) / (2 sigma^2)).
    {
        const std::vector<float> g = gaussian_kernel(4.0f);
        CHECK(g.size() == 25);
        double sum = 0;
        bool symmetric = true;
        for (size_t i = 0; i < g.size(); ++i) {
            sum += g[i];
            symmetric = symmetric && g[i] == g[g.size() - 1 - i];
        }
        CHECK_NEAR(sum, 1.0, 1e-6);
        CHECK(symmetric);
        CHECK_NEAR(g[13] / g[12], std::exp(-1.0 / 32.0), 1e-6);
        CHECK_NEAR(g[14] / g[13], std::exp(-3.0 / 32.0), 1e-6);
        CHECK(gaussian_kernel(0.5f).size() == 5);
        CHECK(gaussian_kernel(1.2f).size() == 9);
    }

    // The elastic field, Eq. (28): U uniform in [-1, 1) has variance 1/3, and a separable normalised kernel
    // g makes the field's variance alpha^2 / 3 * (sum_k g_k^2)^2; neighbouring values are correlated by
    // rho = sum_k g_k g_(k+1) / sum_k g_k^2, so E[(d(x+1) - d(x))^2] = 2 var (1 - rho), far below the
    // 2 var (1 - rho_8) of points 8 apart. A wider Gaussian gives a smaller, smoother field.
    {
        double previous_variance = 1e9;
        for (const float sigma : {2.0f, 4.0f, 8.0f}) {
            const std::vector<float> g = gaussian_kernel(sigma);
            double g2 = 0, lag1 = 0, lag8 = 0;
            for (size_t k = 0; k < g.size(); ++k) {
                g2 += static_cast<double>(g[k]) * g[k];
                if (k + 1 < g.size()) lag1 += static_cast<double>(g[k]) * g[k + 1];
                if (k + 8 < g.size()) lag8 += static_cast<double>(g[k]) * g[k + 8];
            }
            const double variance = g2 * g2 / 3.0, rho1 = lag1 / g2, rho8 = lag8 / g2;
            const FieldStatistics st = field_statistics(sigma, 400);
            std::printf("sigma %.0f: variance %.3g (theory %.3g), mean %.2g, E[d(x+1)-d(x)]^2 %.3g (theory %.3g), "
                        "E[d(x+8)-d(x)]^2 %.3g (theory %.3g)\n",
                        static_cast<double>(sigma), st.variance, variance, st.mean, st.difference_1,
                        2 * variance * (1 - rho1), st.difference_8, 2 * variance * (1 - rho8));
            CHECK(std::fabs(st.variance / variance - 1.0) < 0.1);
            CHECK(std::fabs(st.mean) < 0.1 * std::sqrt(variance));
            CHECK(std::fabs(st.difference_1 / (2 * variance * (1 - rho1)) - 1.0) < 0.1);
            CHECK(std::fabs(st.difference_8 / (2 * variance * (1 - rho8)) - 1.0) < 0.15);
            CHECK(st.difference_1 < 0.1 * st.difference_8);  // neighbours differ far less than distant points
            CHECK(st.variance < previous_variance);
            previous_variance = st.variance;
        }
        // alpha scales the field and nothing else: the same stream with alpha 2 gives twice alpha 1's field.
        AugmentSettings s;
        s.kind = AugmentKind::elastic;
        AugmentWorkspace ws = make_augment_workspace(s, 28, 28);
        Rng a = make_rng(8, 8), b = make_rng(8, 8);
        elastic_field(a, 1.0f, 28, 28, ws);
        const std::vector<float> once = ws.dx;
        elastic_field(b, 2.0f, 28, 28, ws);
        double worst = 0;
        for (size_t i = 0; i < once.size(); ++i) worst = std::max(worst, std::fabs(2.0 * once[i] - ws.dx[i]));
        CHECK(worst < 1e-6);
        CHECK(a.state == b.state);  // and both advanced the stream by the same count
        CHECK(ws.dx != ws.dy);      // the two components are independent draws
    }

    // Names.
    AugmentKind kind = AugmentKind::none;
    CHECK(parse_augment_kind("elastic", kind) && kind == AugmentKind::elastic);
    CHECK(parse_augment_kind("both", kind) && kind == AugmentKind::both);
    CHECK(!parse_augment_kind("Both", kind));
    CHECK(std::string(augment_kind_name(AugmentKind::affine)) == "affine");
    return check_exit("test_augment");
}
