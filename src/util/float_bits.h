// The bit pattern of a float (IEEE-754 binary32) or a double (binary64), and back: std::memcpy, the portable
// way to look at a number's bits (no unions, no reinterpret_cast). Not a byte order: codec/byte_io.h writes
// these bits to files least significant byte first. See docs/07-training.md.
#pragma once

#include <cstdint>
#include <cstring>

namespace mnist {

inline uint32_t float_to_bits(float value) {
    uint32_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    return bits;
}

inline float bits_to_float(uint32_t bits) {
    float value;
    std::memcpy(&value, &bits, sizeof value);
    return value;
}

inline uint64_t double_to_bits(double value) {
    uint64_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    return bits;
}

inline double bits_to_double(uint64_t bits) {
    double value;
    std::memcpy(&value, &bits, sizeof value);
    return value;
}

}  // namespace mnist
