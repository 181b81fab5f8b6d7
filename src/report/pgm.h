// Writing greyscale images as binary PGM ("P5", from the Netpbm tools): a text header and the raw bytes.
// The simplest image file there is, handy for a quick look with any image viewer. Not a reader and not
// the 16-bit variant; the report itself uses PNG (report/png_writer.h). See docs/10-figures.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mnist {

// "P5\n<width> <height>\n255\n" followed by the width * height bytes, row by row from the top.
// Throws std::invalid_argument when width or height is 0.
std::vector<uint8_t> encode_pgm(const uint8_t* pixels, size_t width, size_t height);

// encode_pgm, written to `path` with write_file_atomic.
void write_pgm(const std::string& path, const uint8_t* pixels, size_t width, size_t height);

}  // namespace mnist
