// The MNIST recipe step by step, each step a function over a [rows x cols] float image with values in
// [0, 1]. Plain loops, no cleverness: images of digits are small, and the largest we accept (2^24
// pixels) takes well under a second. See docs/11-predict.md.
#include "data/preprocess.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "util/check.h"

namespace mnist {
namespace {

// Grey levels up to this many median absolute deviations (MAD) of the border above the background's
// median are still background. A clean background has a MAD of 0, so nothing changes for it (and the
// ink box stays threshold-free). For Gaussian noise the MAD is 0.674 sigma, so 8 MADs are 5.4 sigma:
// about 3 background pixels in 100 million pass for ink, so specks of noise cannot stretch the box
// even in the largest image we accept, while ink, far brighter, keeps most of its grey levels.
constexpr float kNoiseDeviations = 8.0f;

// A value in [0, 1] as a byte, rounded to nearest.
uint8_t to_byte(double value) {
    const double clamped = value < 0 ? 0 : (value > 1 ? 1 : value);
    return static_cast<uint8_t>(std::lround(clamped * 255.0));
}

// The outermost rows and columns of the image (each border pixel once): where the background shows.
std::vector<float> border_pixels(const std::vector<float>& grey, size_t rows, size_t cols) {
    std::vector<float> border;
    for (size_t r = 0; r < rows; ++r)
        for (size_t c = 0; c < cols; ++c)
            if (r == 0 || c == 0 || r + 1 == rows || c + 1 == cols) border.push_back(grey[r * cols + c]);
    return border;
}

float median(std::vector<float> values) {
    const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
    std::nth_element(values.begin(), middle, values.end());
    return *middle;
}

// Resizes one line of `in_length` values, `in_step` apart, to `out_length` values, `out_step` apart.
// Output value j averages the input over [j * in_length / out_length, (j + 1) * in_length / out_length),
// each input value weighted by how much of its unit interval lies inside.
void resize_line(const float* in, size_t in_length, size_t in_step, float* out, size_t out_length,
                 size_t out_step) {
    const double scale = static_cast<double>(in_length) / static_cast<double>(out_length);
    for (size_t j = 0; j < out_length; ++j) {
        const double lo = static_cast<double>(j) * scale, hi = static_cast<double>(j + 1) * scale;
        const size_t first = static_cast<size_t>(lo);
        const size_t end = std::min(in_length, static_cast<size_t>(std::ceil(hi)));
        double sum = 0;
        for (size_t k = first; k < end; ++k) {
            const double overlap = std::min(hi, static_cast<double>(k + 1)) - std::max(lo, static_cast<double>(k));
            sum += overlap * in[k * in_step];
        }
        out[j * out_step] = static_cast<float>(sum / (hi - lo));
    }
}

}  // namespace

std::vector<float> image_to_grey(const Image& image) {
    const size_t pixels = image.width * image.height, channels = image.channels;
    const double full = image.max_value;
    const bool colour = channels >= 3, has_alpha = channels == 2 || channels == 4;
    std::vector<float> grey(pixels);
    double visible = 0, visible_grey = 0;  // for the backdrop: sum of alpha, sum of alpha x grey
    for (size_t p = 0; p < pixels; ++p) {
        const uint16_t* s = &image.samples[p * channels];
        const double g = colour ? (kLumaRed * s[0] + kLumaGreen * s[1] + kLumaBlue * s[2]) / full : s[0] / full;
        grey[p] = static_cast<float>(g);
        if (has_alpha) {
            const double a = s[channels - 1] / full;
            visible += a;
            visible_grey += a * g;
        }
    }
    // Alpha is read again from the samples rather than kept (one buffer the image's size fewer), as the
    // float it was once kept as.
    if (has_alpha) {
        const double backdrop = visible > 0 && visible_grey / visible >= 0.5 ? 0.0 : 1.0;
        for (size_t p = 0; p < pixels; ++p) {
            const double a = static_cast<float>(image.samples[p * channels + channels - 1] / full);
            grey[p] = static_cast<float>(a * grey[p] + (1.0 - a) * backdrop);
        }
    }
    return grey;
}

std::vector<float> resize_area(const std::vector<float>& in, size_t in_rows, size_t in_cols, size_t out_rows,
                               size_t out_cols) {
    // Separable: the columns of every row first, then the rows of every column.
    std::vector<float> wide(in_rows * out_cols), out(out_rows * out_cols);
    for (size_t r = 0; r < in_rows; ++r) resize_line(&in[r * in_cols], in_cols, 1, &wide[r * out_cols], out_cols, 1);
    for (size_t c = 0; c < out_cols; ++c) resize_line(&wide[c], in_rows, out_cols, &out[c], out_rows, out_cols);
    return out;
}

size_t digit_box_side(size_t field) { return std::max<size_t>(1, field * 20 / 28); }

Preprocessed preprocess_digit(const Image& image, size_t rows, size_t cols, const std::string& name) {
    return preprocess_grey(image_to_grey(image), image.width, image.height, rows, cols, name);  // step 1
}

Preprocessed preprocess_grey(std::vector<float> grey, size_t width, size_t height, size_t rows, size_t cols,
                             const std::string& name) {
    Preprocessed result;

    // Step 2: MNIST's digits are light on dark; most drawings and scans are dark on light. The median,
    // not the mean, so that ink touching the border (on less than half of it) does not move it.
    std::vector<float> border = border_pixels(grey, height, width);
    float background = median(border);
    result.background = background;
    if (background > 0.5f) {
        result.inverted = true;
        for (float& g : grey) g = 1.0f - g;
        background = 1.0f - background;
    }
    // Step 3's noise allowance: the median absolute deviation of the border from its median (unchanged
    // by the inversion).
    for (float& b : border) b = std::fabs(b - result.background);
    const float spread = median(std::move(border));
    result.noise = spread;
    background += kNoiseDeviations * spread;

    // Steps 3 and 4: ink, and the box around it.
    size_t top = height, bottom = 0, left = width, right = 0;  // the box is rows [top, bottom), columns [left, right)
    for (size_t r = 0; r < height; ++r)
        for (size_t c = 0; c < width; ++c) {
            float& g = grey[r * width + c];
            g = g > background ? g - background : 0.0f;
            if (g > 0) {
                top = std::min(top, r);
                bottom = std::max(bottom, r + 1);
                left = std::min(left, c);
                right = std::max(right, c + 1);
            }
        }
    if (top == height)
        throw InputError(name + ": no digit found (no pixel stands out from the background)");
    result.ink_x = left;
    result.ink_y = top;
    result.ink_width = right - left;
    result.ink_height = bottom - top;
    std::vector<float> ink(result.ink_width * result.ink_height);
    for (size_t r = 0; r < result.ink_height; ++r)
        std::copy_n(&grey[(top + r) * width + left], result.ink_width, &ink[r * result.ink_width]);

    // Step 5: the longer side becomes the box side; the shorter one keeps the aspect ratio.
    const double scale = std::min(static_cast<double>(digit_box_side(cols)) / static_cast<double>(result.ink_width),
                                  static_cast<double>(digit_box_side(rows)) / static_cast<double>(result.ink_height));
    const size_t w = std::max<size_t>(1, static_cast<size_t>(std::lround(scale * static_cast<double>(result.ink_width))));
    const size_t h = std::max<size_t>(1, static_cast<size_t>(std::lround(scale * static_cast<double>(result.ink_height))));
    std::vector<float> digit = resize_area(ink, result.ink_height, result.ink_width, h, w);
    result.digit_width = w;
    result.digit_height = h;

    // Step 6, and the centre of mass for step 7 (pixel (r, c) at position (r, c)).
    const float peak = *std::max_element(digit.begin(), digit.end());  // > 0: the box holds ink
    double mass = 0, row_moment = 0, col_moment = 0;
    for (size_t r = 0; r < h; ++r)
        for (size_t c = 0; c < w; ++c) {
            float& v = digit[r * w + c];
            v /= peak;
            mass += v;
            row_moment += v * static_cast<double>(r);
            col_moment += v * static_cast<double>(c);
        }

    // Step 7: the digit's pixel (r, c) goes to field pixel (r + shift_r, c + shift_c).
    const long shift_r = std::lround(static_cast<double>(rows / 2) - row_moment / mass);
    const long shift_c = std::lround(static_cast<double>(cols / 2) - col_moment / mass);
    result.pixels.assign(rows * cols, 0);
    for (size_t r = 0; r < h; ++r)
        for (size_t c = 0; c < w; ++c) {
            const long fr = static_cast<long>(r) + shift_r, fc = static_cast<long>(c) + shift_c;
            if (fr < 0 || fc < 0 || fr >= static_cast<long>(rows) || fc >= static_cast<long>(cols)) continue;
            result.pixels[static_cast<size_t>(fr) * cols + static_cast<size_t>(fc)] = to_byte(digit[r * w + c]);
        }
    return result;
}

std::vector<uint8_t> image_as_input(const Image& image, size_t rows, size_t cols, const std::string& name) {
    if (image.width != cols || image.height != rows)
        throw InputError(name + ": the image is " + size_text(image.width, image.height) + " pixels, but the model reads " +
                         size_text(cols, rows) + " (without --no-preprocess it would be scaled to fit)");
    const std::vector<float> grey = image_to_grey(image);
    std::vector<uint8_t> bytes(grey.size());
    for (size_t p = 0; p < grey.size(); ++p) bytes[p] = to_byte(grey[p]);
    return bytes;
}

}  // namespace mnist
