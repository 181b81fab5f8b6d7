// float <-> float16 on bit patterns. A float is sign | 8-bit exponent (bias 127) | 23-bit fraction; a float16
// is sign | 5-bit exponent (bias 15) | 10-bit fraction. Narrowing drops fraction bits with round-to-nearest-
// even; widening is exact.
#include "util/float16.h"

#include <cmath>

#include "util/float_bits.h"

namespace mnist {
namespace {

// value >> shift (1 <= shift <= 31), rounded to nearest, ties to even.
uint32_t shift_right_rounded(uint32_t value, int shift) {
    const uint32_t kept = value >> shift, dropped = value & ((uint32_t{1} << shift) - 1);
    const uint32_t halfway = uint32_t{1} << (shift - 1);
    return dropped > halfway || (dropped == halfway && (kept & 1)) ? kept + 1 : kept;
}

}  // namespace

uint16_t float_to_half(float value) {
    const uint32_t bits = float_to_bits(value);
    const uint32_t sign = (bits >> 16) & 0x8000u;
    const uint32_t exponent = (bits >> 23) & 0xFFu, fraction = bits & 0x7FFFFFu;
    if (exponent == 0xFF) return static_cast<uint16_t>(sign | 0x7C00u | (fraction != 0 ? 0x200u : 0u));  // inf, NaN
    // The float16 biased exponent the value would have if it were a normal float16.
    const int e = static_cast<int>(exponent) - 127 + 15;
    if (e >= 31) return static_cast<uint16_t>(sign | 0x7C00u);  // |value| >= 2^16: infinity
    if (e <= 0) {
        // Below 2^-14: a float16 subnormal, a count of 2^-24 units. |value| = mantissa * 2^(exponent - 150),
        // so the count is mantissa / 2^(126 - exponent) = mantissa >> (14 - e), rounded. At e < -10 the value is
        // below 2^-25, half the smallest unit, and rounds to zero (float subnormals, exponent 0, included).
        if (e < -10) return static_cast<uint16_t>(sign);
        const uint32_t mantissa = fraction | 0x800000u;  // the implicit leading 1
        return static_cast<uint16_t>(sign | shift_right_rounded(mantissa, 14 - e));
    }
    // Normal: keep the top 10 of the 23 fraction bits, rounded. A carry out of the fraction correctly bumps the
    // exponent, and from exponent 30 to 31 makes infinity (values from 65520 up).
    const uint32_t rounded = shift_right_rounded((static_cast<uint32_t>(e) << 23) | fraction, 13);
    return static_cast<uint16_t>(sign | rounded);
}

float half_to_float(uint16_t half) {
    const uint32_t sign = (uint32_t{half} & 0x8000u) << 16;
    const uint32_t exponent = (half >> 10) & 0x1Fu, fraction = half & 0x3FFu;
    if (exponent == 0x1F) return bits_to_float(sign | 0x7F800000u | (fraction << 13));  // inf, NaN
    if (exponent == 0) {  // zero or subnormal: fraction * 2^-24, exact in a float
        const float magnitude = std::ldexp(static_cast<float>(fraction), -24);
        return sign != 0 ? -magnitude : magnitude;
    }
    return bits_to_float(sign | ((exponent + 127 - 15) << 23) | (fraction << 13));
}

}  // namespace mnist
