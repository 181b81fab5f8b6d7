// Writing 8-bit greyscale images as binary PGM (P5), the simplest image file most viewers open: used by the
// tests, to make inputs for the PNM reader and `mnist predict` (whose --save-preprocessed writes PNG, with
// codec/png_writer.h). Writes no other Netpbm kind. The reader is codec/pnm_reader.h. See docs/11-predict.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace mnist {

// The file's bytes: "P5\n<width> <height>\n255\n" and then the pixels [height x width], 0 black, 255 white.
std::vector<uint8_t> encode_pgm(const uint8_t* pixels, size_t width, size_t height);

}  // namespace mnist
