// IEEE-754 binary16 ("half precision", float16): 1 sign bit, 5 exponent bits (bias 15), 10 fraction bits.
// Used to embed the network's weights in demo.html at half the bytes of float32 (docs/14-draw-a-digit.md).
// Conversion only, by integer operations on the bit patterns, the same on every machine; no arithmetic in
// float16.
#pragma once

#include <cstdint>

namespace mnist {

// The largest finite float16, 65504 = (2 - 2^-10) * 2^15; the smallest positive normal one is 2^-14 and the
// smallest subnormal one 2^-24.
constexpr float kLargestHalf = 65504.0f;

// The float16 nearest to `value`, ties to the one with an even last fraction bit (IEEE's default rounding):
// values from 65520 up (those that round past 65504) become infinity, values of at most 2^-25 in magnitude
// become a zero of their sign, NaN stays NaN (quiet), infinities stay infinities.
uint16_t float_to_half(float value);

// The float with the same value (every float16, subnormals included, is exactly a float).
float half_to_float(uint16_t half);

}  // namespace mnist
