// Binary PGM output: a text header, then the pixel bytes as they are.
#include "codec/pnm_writer.h"

#include <string>

namespace mnist {

std::vector<uint8_t> encode_pgm(const uint8_t* pixels, size_t width, size_t height) {
    const std::string header = "P5\n" + std::to_string(width) + " " + std::to_string(height) + "\n255\n";
    std::vector<uint8_t> bytes(header.begin(), header.end());
    bytes.insert(bytes.end(), pixels, pixels + width * height);
    return bytes;
}

}  // namespace mnist
