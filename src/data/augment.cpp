// Random affine maps, elastic displacement fields and bilinear resampling, Eq. (26)-(29).
// See docs/12-augmentation.md.
#include "data/augment.h"

#include <cmath>

namespace mnist {

namespace {

// A uniform number in [-1, 1) from 64 random bits: the top 24 bits as an integer k, then k / 2^23 - 1 (exact
// in float). Written without a loop-carried state so the noise loop vectorises.
inline float uniform_plus_minus_one(uint64_t bits) {
    return static_cast<float>(static_cast<int32_t>(bits >> 40)) * 0x1.0p-23f - 1.0f;
}

// A uniform double in [-1, 1).
double symmetric_draw(Rng& rng) { return 2.0 * uniform_double(rng) - 1.0; }

// Outputs per block of convolve: summed in registers (4 AVX-512 or 8 AVX2 vectors) over all taps, then stored
// once, as GEMM's micro-kernel does, rather than loading and storing every output once per tap.
constexpr size_t kConvolveBlock = 64;

size_t round_up_to_block(size_t n) { return (n + kConvolveBlock - 1) / kConvolveBlock * kConvolveBlock; }

// out[i] = sum_k weights[k] * in[i + k * step] for i in [0, n rounded up to a whole block): one pass of the
// separable Gaussian. The caller's buffers have room for the extra outputs and what they read.
void convolve(float* out, const float* in, size_t n, size_t step, const float* weights, size_t taps) {
    for (size_t i = 0; i < n; i += kConvolveBlock) {
        float sum[kConvolveBlock];
        for (size_t j = 0; j < kConvolveBlock; ++j) sum[j] = weights[0] * in[i + j];
        for (size_t k = 1; k < taps; ++k) {
            const float w = weights[k];
            const float* source = in + i + k * step;
            for (size_t j = 0; j < kConvolveBlock; ++j) sum[j] += w * source[j];
        }
        for (size_t j = 0; j < kConvolveBlock; ++j) out[i + j] = sum[j];
    }
}

size_t kernel_radius(float sigma) { return static_cast<size_t>(std::ceil(3.0 * static_cast<double>(sigma))); }

}  // namespace

const char* augment_kind_name(AugmentKind kind) {
    switch (kind) {
        case AugmentKind::none: return "none";
        case AugmentKind::affine: return "affine";
        case AugmentKind::elastic: return "elastic";
        case AugmentKind::both: return "both";
    }
    return "?";
}

bool parse_augment_kind(const std::string& name, AugmentKind& kind) {
    for (const AugmentKind k : {AugmentKind::none, AugmentKind::affine, AugmentKind::elastic, AugmentKind::both})
        if (name == augment_kind_name(k)) {
            kind = k;
            return true;
        }
    return false;
}

bool uses_affine(const AugmentSettings& s) { return s.kind == AugmentKind::affine || s.kind == AugmentKind::both; }
bool uses_elastic(const AugmentSettings& s) { return s.kind == AugmentKind::elastic || s.kind == AugmentKind::both; }

AffineMap identity_map(size_t rows, size_t cols) {
    AffineMap map;
    map.centre_x = 0.5f * static_cast<float>(cols - 1);
    map.centre_y = 0.5f * static_cast<float>(rows - 1);
    return map;
}

// Eq. (26): the digit is scaled by s, sheared by h, rotated by theta about the centre and shifted by t; to read
// it back, output pixel q comes from M (q - centre - t) + centre with M = (1/s) Sh(-h) R(-theta), the inverse.
AffineMap draw_affine_map(Rng& rng, const AugmentSettings& settings, size_t rows, size_t cols) {
    const double pi = 3.14159265358979323846;
    const double theta = symmetric_draw(rng) * static_cast<double>(settings.max_rotation) * pi / 180.0;
    const double scale = 1.0 + symmetric_draw(rng) * static_cast<double>(settings.max_scale);
    const double shear = symmetric_draw(rng) * static_cast<double>(settings.max_shear);
    const double shift_x = symmetric_draw(rng) * static_cast<double>(settings.max_shift);
    const double shift_y = symmetric_draw(rng) * static_cast<double>(settings.max_shift);
    const double c = std::cos(theta), s = std::sin(theta);
    AffineMap map = identity_map(rows, cols);
    map.m00 = static_cast<float>((c + shear * s) / scale);
    map.m01 = static_cast<float>((s - shear * c) / scale);
    map.m10 = static_cast<float>(-s / scale);
    map.m11 = static_cast<float>(c / scale);
    map.shift_x = static_cast<float>(shift_x);
    map.shift_y = static_cast<float>(shift_y);
    return map;
}

// Eq. (29)
std::vector<float> gaussian_kernel(float sigma) {
    const size_t radius = kernel_radius(sigma);
    std::vector<double> weights(2 * radius + 1);
    double sum = 0.0;
    for (size_t i = 0; i < weights.size(); ++i) {
        const double k = static_cast<double>(i) - static_cast<double>(radius);
        weights[i] = std::exp(-k * k / (2.0 * static_cast<double>(sigma) * static_cast<double>(sigma)));
        sum += weights[i];
    }
    std::vector<float> kernel(weights.size());
    for (size_t i = 0; i < weights.size(); ++i) kernel[i] = static_cast<float>(weights[i] / sum);
    return kernel;
}

AugmentWorkspace make_augment_workspace(const AugmentSettings& settings, size_t rows, size_t cols) {
    AugmentWorkspace ws;
    ws.padded.assign((rows + 3) * (cols + 3), 0.0f);
    ws.dx.assign(rows * cols, 0.0f);
    ws.dy.assign(rows * cols, 0.0f);
    if (uses_elastic(settings)) {
        ws.kernel = gaussian_kernel(settings.elastic_sigma);
        const size_t radius = (ws.kernel.size() - 1) / 2;
        // Room for the grid (made even, for two numbers per draw) and for what convolve's last block reads
        // and writes past it (see elastic_field): never used, but zeros, so always finite.
        const size_t grid = (rows + 2 * radius) * (cols + 2 * radius);
        ws.noise.assign(grid + grid % 2 + kConvolveBlock, 0.0f);
        ws.smoothed.assign(round_up_to_block(rows * (cols + 2 * radius)) + kConvolveBlock, 0.0f);
    }
    return ws;
}

// Eq. (28)
void elastic_field(Rng& rng, float alpha, size_t rows, size_t cols, AugmentWorkspace& ws) {
    const size_t taps = ws.kernel.size(), radius = (taps - 1) / 2;
    const size_t grid_rows = rows + 2 * radius, stride = cols + 2 * radius, grid = grid_rows * stride;
    float* noise = ws.noise.data();
    float* smoothed = ws.smoothed.data();
    float* const fields[2] = {ws.dx.data(), ws.dy.data()};
    // Both passes run over the grid as one long row (index i = r * stride + c), so that each is a few long
    // vector loops rather than hundreds of 28-wide ones. The vertical pass goes first: it need only produce
    // the `rows` rows the field has (all `stride` columns of them), and the horizontal pass then only the
    // first `cols` columns of those. Outputs at c >= cols of the second pass mix the end of one row with the
    // start of the next, and each pass's last block runs past its end: those are never read.
    const size_t vertical = rows * stride;                     // outputs the horizontal pass reads
    const size_t horizontal = (rows - 1) * stride + cols;      // outputs the field reads
    const size_t draws = (grid + 1) / 2;                       // 64-bit numbers per field
    for (size_t f = 0; f < 2; ++f) {
        // U: uniform in [-1, 1), two numbers from each 64-bit output of rng's stream (bits 40-63 and 16-39).
        // Output j of field f is the (f * draws + j + 1)-th of the stream, in closed form (SplitMix64's state
        // after k steps is the start plus k increments), so the loop vectorises.
        const uint64_t start = rng.state + static_cast<uint64_t>(f * draws) * kSplitMixIncrement;
        for (size_t j = 0; j < draws; ++j) {
            const uint64_t bits = mix64(start + static_cast<uint64_t>(j + 1) * kSplitMixIncrement);
            noise[2 * j] = uniform_plus_minus_one(bits);
            noise[2 * j + 1] = uniform_plus_minus_one(bits << 24);
        }
        // Vertical: smoothed(r, c) = sum_k g_k U(r + k, c); then horizontal, into the noise buffer (no longer
        // needed): sum_k g_k smoothed(r, c + k).
        convolve(smoothed, noise, vertical, stride, ws.kernel.data(), taps);
        convolve(noise, smoothed, horizontal, 1, ws.kernel.data(), taps);
        for (size_t r = 0; r < rows; ++r)  // times alpha, into the [rows x cols] field
            for (size_t c = 0; c < cols; ++c) fields[f][r * cols + c] = alpha * noise[r * stride + c];
    }
    rng.state += static_cast<uint64_t>(2 * draws) * kSplitMixIncrement;
}

// Eq. (27)
float sample_bilinear(const uint8_t* image, size_t rows, size_t cols, float x, float y) {
    const auto pixel = [&](double r, double c) -> float {
        if (r < 0 || c < 0 || r >= static_cast<double>(rows) || c >= static_cast<double>(cols)) return 0.0f;
        return image[static_cast<size_t>(r) * cols + static_cast<size_t>(c)];
    };
    if (!(std::fabs(x) < 1e6f && std::fabs(y) < 1e6f)) return 0.0f;  // far outside (or not a number)
    const double x0 = std::floor(static_cast<double>(x)), y0 = std::floor(static_cast<double>(y));
    const float fx = x - static_cast<float>(x0), fy = y - static_cast<float>(y0);
    const float top = (1.0f - fx) * pixel(y0, x0) + fx * pixel(y0, x0 + 1);
    const float bottom = (1.0f - fx) * pixel(y0 + 1, x0) + fx * pixel(y0 + 1, x0 + 1);
    return (1.0f - fy) * top + fy * bottom;
}

// Eq. (1), Eq. (26), Eq. (27)
void warp_image(float* out, const uint8_t* image, size_t rows, size_t cols, const AffineMap& m,
                AugmentWorkspace& ws) {
    // The image as floats inside a border of zeros, one pixel wide on the top and left and two on the bottom
    // and right (make_augment_workspace wrote the zeros once). A source point is first clamped to
    // [-1, cols] x [-1, rows]: outside (-1, cols) x (-1, rows) Eq. (27) gives 0 anyway, and a clamped point
    // reads only border zeros with a non-zero weight. So every point reads four array elements with no
    // bounds checks; sample_bilinear is the plain version it is tested against.
    const size_t stride = cols + 3;
    for (size_t r = 0; r < rows; ++r)
        for (size_t c = 0; c < cols; ++c) ws.padded[(r + 1) * stride + c + 1] = image[r * cols + c];
    const float* padded = ws.padded.data();
    const float* dx = ws.dx.data();  // zeros without elastic distortion (adding them changes nothing)
    const float* dy = ws.dy.data();
    const float right = static_cast<float>(cols), bottom = static_cast<float>(rows);
    for (size_t y = 0; y < rows; ++y) {
        const float qy = static_cast<float>(y) - m.centre_y - m.shift_y;
        for (size_t x = 0; x < cols; ++x) {
            const float qx = static_cast<float>(x) - m.centre_x - m.shift_x;
            float sx = m.m00 * qx + m.m01 * qy + m.centre_x + dx[y * cols + x];
            float sy = m.m10 * qx + m.m11 * qy + m.centre_y + dy[y * cols + x];
            sx = sx > -1.0f ? (sx < right ? sx : right) : -1.0f;  // (a NaN would become -1)
            sy = sy > -1.0f ? (sy < bottom ? sy : bottom) : -1.0f;
            const float x_floor = std::floor(sx), y_floor = std::floor(sy);
            const float fx = sx - x_floor, fy = sy - y_floor;
            const float* p = padded + static_cast<size_t>(static_cast<long>(y_floor) + 1) * stride +
                             static_cast<size_t>(static_cast<long>(x_floor) + 1);  // pixel (x_floor, y_floor)
            const float upper = (1.0f - fx) * p[0] + fx * p[1];
            const float lower = (1.0f - fx) * p[stride] + fx * p[stride + 1];
            out[y * cols + x] = ((1.0f - fy) * upper + fy * lower) / 255.0f;
        }
    }
}

// Eq. (26), Eq. (28)
void augment_image(float* out, const uint8_t* image, size_t rows, size_t cols, const AugmentSettings& settings,
                   Rng rng, AugmentWorkspace& ws) {
    if (settings.kind == AugmentKind::none) {
        for (size_t p = 0; p < rows * cols; ++p) out[p] = static_cast<float>(image[p]) / 255.0f;
        return;
    }
    const AffineMap map = uses_affine(settings) ? draw_affine_map(rng, settings, rows, cols) : identity_map(rows, cols);
    if (uses_elastic(settings)) elastic_field(rng, settings.elastic_alpha, rows, cols, ws);
    warp_image(out, image, rows, cols, map, ws);
}

Rng augment_stream(uint64_t batch_seed, size_t row) { return make_rng(batch_seed, row); }

void load_augmented_batch(MatrixView x, uint8_t* labels, const ImageSet& set, const uint32_t* indices, size_t rows,
                          size_t first_row, const AugmentSettings& settings, uint64_t batch_seed,
                          AugmentWorkspace& ws) {
    const size_t pixels = set.rows * set.cols;
    for (size_t r = 0; r < rows; ++r) {
        const uint8_t* image = set.pixels.data() + static_cast<size_t>(indices[r]) * pixels;
        augment_image(x.data + r * x.cols, image, set.rows, set.cols, settings,
                      augment_stream(batch_seed, first_row + r), ws);
        labels[r] = set.labels[indices[r]];
    }
}

}  // namespace mnist
