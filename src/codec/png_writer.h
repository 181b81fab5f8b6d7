// Writing PNG images (the PNG specification, ISO/IEC 15948): 8-bit greyscale or RGB, not interlaced, each
// row sent with filter type 0 (as it is), the pixel data compressed by our own codec/deflate_writer.h.
// Not a PNG reader, and no palettes, alpha, 16-bit samples or text chunks. See docs/10-figures.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mnist {

// The PNG file for an image of `width` x `height` pixels with `channels` bytes each (1: grey, 0 black to
// 255 white; 3: red, green, blue), given row by row from the top with no padding between rows:
// pixel (x, y) channel k at pixels[(y * width + x) * channels + k]. Width and height must be 1 to 2^31 - 1.
// Throws std::invalid_argument for a bad size or channel count (a bug in the caller, not a user error).
std::vector<uint8_t> encode_png(const uint8_t* pixels, size_t width, size_t height, int channels);

// encode_png, written to `path` with write_file_atomic (SystemError naming the path if that fails).
void write_png(const std::string& path, const uint8_t* pixels, size_t width, size_t height, int channels);

}  // namespace mnist
