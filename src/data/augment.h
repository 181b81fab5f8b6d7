// Data augmentation on the fly: each training image is redrawn, as its batch is filled, through a random
// affine map (shift, rotation, scale, shear) and/or a random elastic displacement field (Simard et al. 2003),
// sampled bilinearly, Eq. (26)-(29). No augmented copy of the data set is ever stored. Not threads (see
// train/parallel_batch.h) and not the choice of settings (train/settings.h). See docs/12-augmentation.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "data/mnist_files.h"
#include "tensor/matrix.h"
#include "util/rng.h"

namespace mnist {

enum class AugmentKind : uint8_t { none = 0, affine = 1, elastic = 2, both = 3 };

// The ranges each image's random transform is drawn from (uniformly). The defaults are the values
// `--augment affine|elastic|both` uses when no other value is given.
struct AugmentSettings {
    AugmentKind kind = AugmentKind::none;
    float max_shift = 2.0f;       // pixels: the shift in x and in y, each in [-max_shift, max_shift]
    float max_rotation = 12.0f;   // degrees: the rotation in [-max_rotation, max_rotation]
    float max_scale = 0.10f;      // the scale factor in [1 - max_scale, 1 + max_scale]
    float max_shear = 0.15f;      // the shear factor h (x moves by h * y) in [-max_shear, max_shear]
    float elastic_alpha = 20.0f;  // the smoothed noise field is multiplied by alpha (pixels); Simard et al.: 34
    float elastic_sigma = 4.0f;   // the Gaussian's standard deviation (pixels)
};

// "none", "affine", "elastic", "both": the names --augment takes. parse_augment_kind returns false for others.
const char* augment_kind_name(AugmentKind kind);
bool parse_augment_kind(const std::string& name, AugmentKind& kind);

bool uses_affine(const AugmentSettings& settings);
bool uses_elastic(const AugmentSettings& settings);

// Where output pixel (x, y) (column, row) is read from in the original image: Eq. (26),
//   source = M (q - centre - shift) + centre,   q = (x, y).
struct AffineMap {
    float m00 = 1, m01 = 0, m10 = 0, m11 = 1;  // M, the inverse of scale * rotation * shear
    float shift_x = 0, shift_y = 0;            // pixels
    float centre_x = 0, centre_y = 0;          // the image's centre, ((cols - 1) / 2, (rows - 1) / 2)
};

// The identity map of a rows x cols image (every pixel read from where it is).
AffineMap identity_map(size_t rows, size_t cols);

// Draws rotation, scale, shear and shift (five uniform numbers from rng, in that order) and builds Eq. (26).
AffineMap draw_affine_map(Rng& rng, const AugmentSettings& settings, size_t rows, size_t cols);

// Eq. (29): the Gaussian exp(-k^2 / (2 sigma^2)) for k = -R..R, R = ceil(3 sigma), normalised to sum 1.
std::vector<float> gaussian_kernel(float sigma);

// Scratch space for one image at a time: the image as floats inside a border of zeros (for Eq. (27) without
// bounds checks), the noise grid (the image plus R on every side, so every displacement is a full weighted
// average), the grid after the vertical pass, and the two displacement fields (zeros without elastic
// distortion). Sized once; one per thread.
struct AugmentWorkspace {
    std::vector<float> padded;    // [(rows + 3) x (cols + 3)], the image at (1, 1); the border stays 0
    std::vector<float> kernel;    // [2R + 1], gaussian_kernel(elastic_sigma); empty without elastic distortion
    std::vector<float> noise;     // [(rows + 2R) x (cols + 2R)] (and room to spare)
    std::vector<float> smoothed;  // [rows x (cols + 2R)], after the vertical pass (and room to spare)
    std::vector<float> dx, dy;    // [rows x cols], the displacement field, pixels
};
AugmentWorkspace make_augment_workspace(const AugmentSettings& settings, size_t rows, size_t cols);

// Eq. (28): fills ws.dx and ws.dy with alpha * (G_sigma * U): U uniform in [-1, 1) at every point of a grid R
// larger than the image on every side, drawn from rng's stream (counter-based, two numbers per 64-bit draw,
// field x then field y), and the Gaussian applied as two 1-D passes with ws.kernel. Advances rng past the
// numbers it used.
void elastic_field(Rng& rng, float alpha, size_t rows, size_t cols, AugmentWorkspace& ws);

// Eq. (27): the image (bytes, [rows x cols]) at the point (x, y), between pixel centres, by bilinear
// interpolation of its four neighbours; pixels outside the image count as 0 (background). In byte units.
float sample_bilinear(const uint8_t* image, size_t rows, size_t cols, float x, float y);

// Resampling, Eq. (27): output pixel q = (x, y) is the image at map's source point for q (Eq. (26)) plus the
// displacement (ws.dx, ws.dy) at q, scaled as Eq. (1) scales pixels: out = value / 255. The displacement is
// zero unless elastic_field wrote it. With the identity map and no displacement, out is exactly what
// load_batch writes.
void warp_image(float* out, const uint8_t* image, size_t rows, size_t cols, const AffineMap& map,
                AugmentWorkspace& ws);

// One augmented image: a random affine map (when settings use it; else the identity), a random displacement
// field (when they use it; else none), then warp_image. Every random number comes from rng. ws must have
// been made for these settings. With kind none, or zero ranges and alpha 0, out is exactly what load_batch
// writes.
void augment_image(float* out, const uint8_t* image, size_t rows, size_t cols, const AugmentSettings& settings,
                   Rng rng, AugmentWorkspace& ws);

// The stream of batch row `row`: each image's transform depends only on the batch's seed and its row, so the
// rows can be done in any order, on any thread, and a resumed run draws them again.
Rng augment_stream(uint64_t batch_seed, size_t row);

// load_batch (Eq. (1)) with augmentation: image indices[r] goes to row r of x through augment_image with
// augment_stream(batch_seed, first_row + r). first_row is where this slice starts in its batch.
void load_augmented_batch(MatrixView x, uint8_t* labels, const ImageSet& set, const uint32_t* indices, size_t rows,
                          size_t first_row, const AugmentSettings& settings, uint64_t batch_seed,
                          AugmentWorkspace& ws);

}  // namespace mnist
