// The P5 header is plain ASCII; one whitespace byte separates it from the pixels.
#include "report/pgm.h"

#include <stdexcept>

#include "util/output_file.h"

namespace mnist {

std::vector<uint8_t> encode_pgm(const uint8_t* pixels, size_t width, size_t height) {
    if (width == 0 || height == 0) throw std::invalid_argument("encode_pgm: width and height must be positive");
    const std::string header = "P5\n" + std::to_string(width) + " " + std::to_string(height) + "\n255\n";
    std::vector<uint8_t> out(header.begin(), header.end());
    out.insert(out.end(), pixels, pixels + width * height);
    return out;
}

void write_pgm(const std::string& path, const uint8_t* pixels, size_t width, size_t height) {
    write_file_atomic(path, encode_pgm(pixels, width, height));
}

}  // namespace mnist
