// From a person's own image of a digit to what the network reads, made the way MNIST's digits were made:
// grey, light ink on a dark background, the ink scaled with area averaging to fit a 20x20 box (for a
// 28x28 field) keeping its aspect ratio, and placed by its centre of mass. Not a file reader
// (codec/image_file.h) and not the network (train/predict.h). See docs/11-predict.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "codec/image.h"

namespace mnist {

// ITU-R BT.601's luma weights, applied to the samples as stored (gamma-encoded, as JPEG and most
// software do): grey = 0.299 red + 0.587 green + 0.114 blue.
constexpr double kLumaRed = 0.299, kLumaGreen = 0.587, kLumaBlue = 0.114;

// The image as grey levels in [0, 1], [height x width] row-major, 0 black and 1 white. Colour becomes
// grey with the weights above. An alpha channel is composited over a backdrop chosen to contrast with
// the ink: white when the visible pixels are dark on average (alpha-weighted mean grey below 1/2), else
// black. So black strokes on a transparent canvas read as black on white, and white strokes as white
// on black, whatever colour the transparent pixels happen to store.
std::vector<float> image_to_grey(const Image& image);

// Area averaging (a box filter with fractional coverage): resizes `in` [in_rows x in_cols] to
// [out_rows x out_cols] so that each output pixel is the mean of the part of the input it covers,
// output pixel (r, c) covering input rows [r * in_rows / out_rows, (r + 1) * in_rows / out_rows) and
// likewise for columns. Shrinking anti-aliases; enlarging repeats pixels and blends at their edges.
// Sizes must be at least 1.
std::vector<float> resize_area(const std::vector<float>& in, size_t in_rows, size_t in_cols, size_t out_rows,
                               size_t out_cols);

// The side of the box the digit is scaled to fit in a field of `field` pixels: MNIST's 20 for 28,
// field * 20 / 28 in general (rounded down, at least 1).
size_t digit_box_side(size_t field);

// What preprocess_digit did, for the user and the tests.
struct Preprocessed {
    std::vector<uint8_t> pixels;  // [rows x cols], 0 background to 255 ink, as MNIST's bytes
    bool inverted = false;        // the background was light, so the grey levels were turned over
    float background = 0;         // the background's grey level in [0, 1] (before any inversion)
    float noise = 0;              // the border's median absolute deviation from that level
    size_t ink_x = 0, ink_y = 0, ink_width = 0, ink_height = 0;  // the ink's box in the image
    size_t digit_width = 0, digit_height = 0;                    // its size after scaling
};

// The whole MNIST recipe (docs/11-predict.md gives the reasons):
//   1. grey levels (image_to_grey);
//   2. background = the median grey of the border pixels; if it is light (> 1/2), invert every pixel;
//   3. ink = how much brighter a pixel is than the background plus 8 times the border's median absolute
//      deviation from it (0 where it is not): the border's own noise is not ink. For a clean
//      background that deviation is 0;
//   4. the smallest box holding every pixel with ink (no other threshold: any ink counts);
//   5. scale the box with area averaging so its longer side is digit_box_side(): the aspect ratio kept;
//   6. stretch so the brightest pixel is 1 (MNIST's digits all reach 254 or 255);
//   7. place it in a rows x cols field so its centre of mass falls on pixel (rows / 2, cols / 2)
//      counting from 0, as in MNIST (row and column 14 of 28), shifting by whole pixels; ink shifted
//      outside the field is lost;
//   8. round to bytes (value x 255).
// Throws InputError("<name>: no digit found ...") when no pixel is brighter than the background.
Preprocessed preprocess_digit(const Image& image, size_t rows, size_t cols, const std::string& name);

// Steps 2 to 8 on grey levels already made by image_to_grey ([height x width]), for a caller that has
// released the image itself: `mnist predict` does, so that a large photo is not held twice.
Preprocessed preprocess_grey(std::vector<float> grey, size_t width, size_t height, size_t rows, size_t cols,
                             const std::string& name);

// `--no-preprocess`: the image must already be rows x cols; its grey levels (image_to_grey) are
// rounded to bytes and used as they are, light meaning ink. An 8-bit greyscale image gives back its
// own bytes exactly. Throws InputError naming both sizes when the image has another size.
std::vector<uint8_t> image_as_input(const Image& image, size_t rows, size_t cols, const std::string& name);

}  // namespace mnist
