// Tests for data/preprocess: the grey weights and alpha compositing, area averaging against hand-worked
// numbers, and the whole MNIST recipe on a synthetic digit: moved, inverted, recoloured and scaled, it
// must give the same 28x28 input within the tolerances stated below. See docs/11-predict.md.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "check.h"
#include "data/image.h"
#include "data/preprocess.h"
#include "util/check.h"
#include "util/rng.h"

using mnist::Image;
using mnist::InputError;
using mnist::Preprocessed;
using mnist::preprocess_digit;

namespace {

Image grey_image(size_t width, size_t height, const std::vector<uint16_t>& samples, uint32_t max_value = 255,
                 size_t channels = 1) {
    Image image;
    image.width = width;
    image.height = height;
    image.channels = channels;
    image.max_value = max_value;
    image.samples = samples;
    return image;
}

void test_grey() {
    // RGB: the BT.601 weights, one primary at a time.
    const Image rgb = grey_image(4, 1, {255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255}, 255, 3);
    const std::vector<float> g = mnist::image_to_grey(rgb);
    CHECK_NEAR(g[0], 0.299, 1e-6);
    CHECK_NEAR(g[1], 0.587, 1e-6);
    CHECK_NEAR(g[2], 0.114, 1e-6);
    CHECK_NEAR(g[3], 1.0, 1e-6);
    // Other depths: 16-bit and a PGM maxval of 15.
    CHECK_NEAR(mnist::image_to_grey(grey_image(2, 1, {65535, 32768}, 65535))[1], 32768.0 / 65535, 1e-6);
    CHECK_NEAR(mnist::image_to_grey(grey_image(1, 1, {5}, 15))[0], 1.0 / 3, 1e-6);

    // Alpha: black ink on a transparent canvas (whose pixels store black): the backdrop is white.
    const Image dark_ink = grey_image(3, 1, {0, 0, 0, 255, 0, 128}, 255, 2);  // transparent, ink, half ink
    std::vector<float> a = mnist::image_to_grey(dark_ink);
    CHECK_NEAR(a[0], 1.0, 1e-6);
    CHECK_NEAR(a[1], 0.0, 1e-6);
    CHECK_NEAR(a[2], 1.0 - 128.0 / 255, 1e-6);
    // White ink on a transparent canvas: the backdrop is black.
    a = mnist::image_to_grey(grey_image(3, 1, {0, 0, 255, 255, 255, 128}, 255, 2));
    CHECK_NEAR(a[0], 0.0, 1e-6);
    CHECK_NEAR(a[1], 1.0, 1e-6);
    CHECK_NEAR(a[2], 128.0 / 255, 1e-6);
    // RGBA, fully transparent everywhere: white, and no crash on the zero total alpha.
    a = mnist::image_to_grey(grey_image(1, 1, {10, 20, 30, 0}, 255, 4));
    CHECK_NEAR(a[0], 1.0, 1e-6);
}

void test_resize_area() {
    // 4x4 -> 2x2: each output is the mean of a 2x2 block.
    const std::vector<float> in = {1, 3, 0, 0,  //
                                   5, 7, 0, 4,  //
                                   2, 2, 9, 9,  //
                                   2, 2, 9, 9};
    std::vector<float> out = mnist::resize_area(in, 4, 4, 2, 2);
    CHECK_NEAR(out[0], 4.0, 1e-6);
    CHECK_NEAR(out[1], 1.0, 1e-6);
    CHECK_NEAR(out[2], 2.0, 1e-6);
    CHECK_NEAR(out[3], 9.0, 1e-6);
    // 3 -> 2: output 0 covers input [0, 1.5): (a + b / 2) / 1.5; output 1 covers [1.5, 3).
    out = mnist::resize_area({3, 6, 9}, 1, 3, 1, 2);
    CHECK_NEAR(out[0], (3 + 6 * 0.5) / 1.5, 1e-6);
    CHECK_NEAR(out[1], (6 * 0.5 + 9) / 1.5, 1e-6);
    // 2 -> 5: each output covers 0.4 of an input; the middle one straddles both.
    out = mnist::resize_area({10, 20}, 2, 1, 5, 1);
    CHECK_NEAR(out[0], 10, 1e-5);
    CHECK_NEAR(out[1], 10, 1e-5);
    CHECK_NEAR(out[2], 15, 1e-5);
    CHECK_NEAR(out[3], 20, 1e-5);
    CHECK_NEAR(out[4], 20, 1e-5);
    // Same size: unchanged. Any size: the mean is kept (area averaging moves ink, never makes or loses it).
    CHECK(mnist::resize_area(in, 4, 4, 4, 4) == in);
    std::vector<float> big(37 * 23);
    for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<float>((i * 7919) % 101) / 100.0f;
    double mean_in = 0;
    for (const float v : big) mean_in += v;
    mean_in /= static_cast<double>(big.size());
    for (const size_t rows : {1, 5, 20, 37, 60})
        for (const size_t cols : {1, 7, 23, 41}) {
            const std::vector<float> r = mnist::resize_area(big, 37, 23, rows, cols);
            double mean_out = 0;
            for (const float v : r) mean_out += v;
            CHECK_NEAR(mean_out / static_cast<double>(r.size()), mean_in, 1e-5);
        }
    CHECK(mnist::digit_box_side(28) == 20 && mnist::digit_box_side(8) == 5 && mnist::digit_box_side(1) == 1);
}

// ----- A synthetic digit: a "4" of three strokes, drawn with anti-aliasing -----

// Distance from point (x, y) to the segment (x0, y0)-(x1, y1).
double segment_distance(double x, double y, double x0, double y0, double x1, double y1) {
    const double dx = x1 - x0, dy = y1 - y0;
    double t = ((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy);
    t = std::max(0.0, std::min(1.0, t));
    return std::hypot(x - (x0 + t * dx), y - (y0 + t * dy));
}

// The digit's ink coverage (0..1) of the pixel (px, py) of a w x h box, from 8x8 samples per pixel.
// Strokes are in units of the box: u across, v down, both 0..1.
double coverage(size_t px, size_t py, size_t w, size_t h) {
    const double half_width = 0.06;
    int inside = 0;
    for (int sy = 0; sy < 8; ++sy)
        for (int sx = 0; sx < 8; ++sx) {
            const double u = (static_cast<double>(px) + (sx + 0.5) / 8) / static_cast<double>(w);
            const double v = (static_cast<double>(py) + (sy + 0.5) / 8) / static_cast<double>(h);
            // The box is taller than wide: scale u so that stroke widths are even.
            const double aspect = static_cast<double>(w) / static_cast<double>(h);
            const double d = std::min({segment_distance(u * aspect, v, 0.62 * aspect, 0.05, 0.08 * aspect, 0.66),
                                       segment_distance(u * aspect, v, 0.08 * aspect, 0.66, 0.95 * aspect, 0.66),
                                       segment_distance(u * aspect, v, 0.68 * aspect, 0.35, 0.68 * aspect, 0.95)});
            if (d < half_width) ++inside;
        }
    return inside / 64.0;
}

struct Look {
    bool dark_on_light = false;
    bool colour = false;     // dark blue ink on yellow paper, as RGB
    double noise_sigma = 0;  // dark ink on grey paper (200) with Gaussian noise of this many levels
};

// A canvas_w x canvas_h image with the digit drawn in a w x h box at (x, y), pixel-replicated `zoom` times.
Image draw_digit(size_t canvas_w, size_t canvas_h, size_t x, size_t y, size_t w, size_t h, Look look, size_t zoom = 1) {
    std::vector<double> ink(canvas_w * canvas_h * zoom * zoom, 0.0);
    for (size_t py = 0; py < h; ++py)
        for (size_t px = 0; px < w; ++px) {
            const double c = coverage(px, py, w, h);
            for (size_t zy = 0; zy < zoom; ++zy)
                for (size_t zx = 0; zx < zoom; ++zx)
                    ink[((y + py) * zoom + zy) * canvas_w * zoom + (x + px) * zoom + zx] = c;
        }
    Image image;
    image.width = canvas_w * zoom;
    image.height = canvas_h * zoom;
    image.max_value = 255;
    image.channels = look.colour ? 3 : 1;
    const double paper[3] = {255, 255, 0}, pen[3] = {0, 0, 128};
    mnist::Rng rng = mnist::make_rng(11, 0);
    for (const double c : ink) {
        if (look.noise_sigma > 0) {
            const double v = 200 * (1 - c) + 15 * c + look.noise_sigma * mnist::normal_double(rng);
            image.samples.push_back(static_cast<uint16_t>(std::lround(std::max(0.0, std::min(255.0, v)))));
        } else if (look.colour) {
            for (int k = 0; k < 3; ++k) image.samples.push_back(static_cast<uint16_t>(std::lround(paper[k] + c * (pen[k] - paper[k]))));
        } else {
            const double v = look.dark_on_light ? 255 * (1 - c) : 255 * c;
            image.samples.push_back(static_cast<uint16_t>(std::lround(v)));
        }
    }
    return image;
}

int max_difference(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
    int most = 0;
    for (size_t i = 0; i < a.size(); ++i) most = std::max(most, std::abs(int{a[i]} - int{b[i]}));
    return most;
}
double mean_difference(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
    double sum = 0;
    for (size_t i = 0; i < a.size(); ++i) sum += std::abs(int{a[i]} - int{b[i]});
    return sum / static_cast<double>(a.size());
}

void test_synthetic_digit() {
    const Preprocessed base = preprocess_digit(draw_digit(120, 140, 10, 20, 40, 50, {}), 28, 28, "base");
    CHECK(!base.inverted);
    CHECK(base.ink_height == 50 && base.digit_height == 20 && base.digit_width == 16);  // 40 x 50 -> 16 x 20

    // The result looks like an MNIST digit: ink 20 rows tall, peak 255, centre of mass at (14, 14).
    size_t top = 28, bottom = 0, peak = 0;
    double mass = 0, row_sum = 0, col_sum = 0;
    for (size_t r = 0; r < 28; ++r)
        for (size_t c = 0; c < 28; ++c) {
            const uint8_t v = base.pixels[r * 28 + c];
            if (v == 0) continue;
            top = std::min(top, r);
            bottom = std::max(bottom, r + 1);
            peak = std::max<size_t>(peak, v);
            mass += v;
            row_sum += v * static_cast<double>(r);
            col_sum += v * static_cast<double>(c);
        }
    CHECK(bottom - top == 20);
    CHECK(peak == 255);
    CHECK_NEAR(row_sum / mass, 14.0, 0.5);
    CHECK_NEAR(col_sum / mass, 14.0, 0.5);

    // Moved: identical. Inverted, and dark blue on yellow: within 1 grey level (float rounding).
    const Preprocessed moved = preprocess_digit(draw_digit(200, 90, 150, 35, 40, 50, {}), 28, 28, "moved");
    CHECK(moved.pixels == base.pixels);
    const Preprocessed inverted = preprocess_digit(draw_digit(120, 140, 60, 5, 40, 50, {true, false}), 28, 28, "inverted");
    CHECK(inverted.inverted);
    CHECK(max_difference(inverted.pixels, base.pixels) <= 1);
    const Preprocessed colour = preprocess_digit(draw_digit(120, 140, 30, 60, 40, 50, {false, true}), 28, 28, "colour");
    CHECK(colour.inverted);
    CHECK(max_difference(colour.pixels, base.pixels) <= 1);

    // Grey paper with Gaussian noise (sigma 8 grey levels: about 30 of the 23,400 pixels beyond 3 sigma):
    // the noise allowance keeps the specks out of the ink box. The ink lost below the allowance (about 43
    // levels) and the noise on the strokes leave a mean difference under 4 levels, none over 48.
    const Preprocessed noisy = preprocess_digit(draw_digit(180, 130, 90, 40, 40, 50, {false, false, 8.0}), 28, 28, "noisy");
    CHECK(noisy.inverted && noisy.noise > 0 && base.noise == 0);
    CHECK(noisy.ink_width <= 42 && noisy.ink_height <= 52);
    std::printf("noisy paper: mean difference %.2f, largest %d grey levels\n", mean_difference(noisy.pixels, base.pixels),
                max_difference(noisy.pixels, base.pixels));
    CHECK(mean_difference(noisy.pixels, base.pixels) < 4.0);
    CHECK(max_difference(noisy.pixels, base.pixels) <= 48);

    // Scaled 3x by repeating pixels: area averaging recovers the same digit, within 1 grey level.
    const Preprocessed zoomed = preprocess_digit(draw_digit(120, 140, 10, 20, 40, 50, {true, false}, 3), 28, 28, "zoomed");
    CHECK(zoomed.ink_height == 150);
    CHECK(max_difference(zoomed.pixels, base.pixels) <= 1);

    // Drawn again at other sizes (the anti-aliasing of the drawing itself differs, so only close):
    // a mean difference under 3 grey levels of 255 and no pixel off by more than 64.
    for (const size_t scale : {2, 5, 9}) {  // 20 x 25, 100 x 125 and 180 x 225 pixels
        const size_t w = 40 * scale / 4, h = 50 * scale / 4;
        const Preprocessed other = preprocess_digit(draw_digit(w + 50, h + 30, 7, 21, w, h, {true, false}), 28, 28, "scaled");
        const double mean = mean_difference(other.pixels, base.pixels);
        const int most = max_difference(other.pixels, base.pixels);
        std::printf("drawn at %zu x %zu: mean difference %.2f, largest %d grey levels\n", w, h, mean, most);
        CHECK(mean < 3.0);
        CHECK(most <= 64);
    }

    // Another field: 16 rows x 12 columns, so an 11 x 8 box; the digit fits the narrower side.
    const Preprocessed small = preprocess_digit(draw_digit(120, 140, 10, 20, 40, 50, {}), 16, 12, "small");
    CHECK(small.pixels.size() == 16 * 12);
    CHECK(small.digit_width == 8 && small.digit_height == 10);
}

void test_other_shapes() {
    // A thin bar keeps its aspect ratio: 4 x 40 becomes 2 x 20.
    std::vector<uint16_t> bar(30 * 60, 0);
    for (size_t y = 10; y < 50; ++y)
        for (size_t x = 13; x < 17; ++x) bar[y * 30 + x] = 255;
    const Preprocessed one = preprocess_digit(grey_image(30, 60, bar), 28, 28, "bar");
    CHECK(one.digit_width == 2 && one.digit_height == 20);
    CHECK(one.ink_x == 13 && one.ink_y == 10 && one.ink_width == 4 && one.ink_height == 40);
    // A single pixel of ink becomes a 20 x 20 square: enlarging works too. Its centre of mass, (9.5, 9.5),
    // moves by 4.5 rounded away from zero: the square covers rows and columns 5 to 24.
    std::vector<uint16_t> dot(9, 0);
    dot[4] = 200;
    const Preprocessed big = preprocess_digit(grey_image(3, 3, dot), 28, 28, "dot");
    CHECK(big.digit_width == 20 && big.digit_height == 20);
    CHECK(big.pixels[5 * 28 + 5] == 255 && big.pixels[4 * 28 + 4] == 0 && big.pixels[24 * 28 + 24] == 255 &&
          big.pixels[25 * 28 + 25] == 0);

    // No digit: a flat image, light or dark, and a 1 x 1 image.
    CHECK_THROWS(InputError, preprocess_digit(grey_image(5, 5, std::vector<uint16_t>(25, 255)), 28, 28, "white"));
    CHECK_THROWS(InputError, preprocess_digit(grey_image(5, 5, std::vector<uint16_t>(25, 0)), 28, 28, "black"));
    CHECK_THROWS(InputError, preprocess_digit(grey_image(1, 1, {7}), 28, 28, "one pixel"));
    try {
        preprocess_digit(grey_image(2, 2, {9, 9, 9, 9}), 28, 28, "flat.png");
        CHECK(false);
    } catch (const InputError& e) {
        CHECK(std::string(e.what()).find("flat.png: no digit found") == 0);
    }
}

void test_as_input() {
    std::vector<uint16_t> ramp(28 * 28);
    for (size_t i = 0; i < ramp.size(); ++i) ramp[i] = static_cast<uint16_t>(i % 256);
    const std::vector<uint8_t> same = mnist::image_as_input(grey_image(28, 28, ramp), 28, 28, "ramp");
    bool identical = same.size() == ramp.size();
    for (size_t i = 0; identical && i < same.size(); ++i) identical = same[i] == ramp[i];
    CHECK(identical);  // 8-bit grey is used byte for byte
    CHECK(mnist::image_as_input(grey_image(1, 1, {32896}, 65535), 1, 1, "16")[0] == 128);  // 32896 / 257
    try {
        mnist::image_as_input(grey_image(30, 28, std::vector<uint16_t>(30 * 28, 0)), 28, 28, "wide.png");
        CHECK(false);
    } catch (const InputError& e) {
        CHECK(std::string(e.what()).find("wide.png: the image is 30x28 pixels, but the model reads 28x28") == 0);
    }
}

}  // namespace

int main() {
    try {
        test_grey();
        test_resize_area();
        test_synthetic_digit();
        test_other_shapes();
        test_as_input();
    } catch (const std::exception& e) {
        CHECK_MSG(false, std::string("unexpected exception: ") + e.what());
    }
    return check_exit("test_preprocess");
}
