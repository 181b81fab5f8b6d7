// A decoded image as the readers hand it over: its size, its channels and one unsigned sample per
// channel per pixel, kept at the file's own precision (1 to 16 bits) with the value that means "full".
// Not a processed image: turning it into network input is data/preprocess.h's work. See docs/11-predict.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mnist {

// The most pixels (width x height) any image reader accepts: 2^24, about 16.8 million, e.g. 4096 x 4096
// or a 12-megapixel photo. Readers check this before they allocate anything, so a forged header cannot
// ask for gigabytes; an image of a digit never needs more (scale it down first).
constexpr uint64_t kMaxImagePixels = uint64_t{1} << 24;

// An image's size as every message and report gives it: width first, as image files and viewers do
// ("784x1" for an image 784 pixels wide and 1 high), whether it is a file's, a data set's or a model's.
inline std::string size_text(size_t width, size_t height) {
    return std::to_string(width) + "x" + std::to_string(height);
}

// Samples are interleaved by pixel, rows top to bottom, each row left to right:
//   channels 1: grey            2: grey, alpha
//            3: red, green, blue   4: red, green, blue, alpha
// sample (x, y, c) is samples[(y * width + x) * channels + c], in 0 .. max_value, where 0 is black (or
// fully transparent) and max_value is white (or opaque). max_value is 2^bits - 1 for PNG (255 for a
// palette image, whose colours are 8-bit) and the file's maxval for PGM and PPM.
struct Image {
    size_t width = 0, height = 0, channels = 0;
    uint32_t max_value = 0;         // 1 .. 65535
    std::vector<uint16_t> samples;  // [height x width x channels]
};

}  // namespace mnist
