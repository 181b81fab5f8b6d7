// Tests for util/float16 (docs/14-draw-a-digit.md): hand-worked values (rounding ties, subnormals, overflow,
// NaN), every float16 back and forth, and a million floats against a search for the nearest float16.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>

#include "check.h"
#include "util/byte_io.h"
#include "util/float16.h"
#include "util/rng.h"

using namespace mnist;

namespace {

// The float16 nearest to x, by search: positive codes 0 .. 0x7BFF are in increasing order of value.
uint16_t nearest_half_by_search(float x) {
    const uint16_t sign = std::signbit(x) ? 0x8000 : 0;
    const double a = std::fabs(static_cast<double>(x));
    if (a >= 65520.0) return sign | 0x7C00;  // at or past the midpoint between 65504 and 65536
    uint16_t lo = 0, hi = 0x7BFF;              // the largest code whose value is <= a
    while (lo < hi) {
        const uint16_t mid = static_cast<uint16_t>((lo + hi + 1) / 2);
        if (static_cast<double>(half_to_float(mid)) <= a) lo = mid;
        else hi = static_cast<uint16_t>(mid - 1);
    }
    if (lo == 0x7BFF) return sign | lo;
    const double below = a - half_to_float(lo), above = half_to_float(static_cast<uint16_t>(lo + 1)) - a;
    const uint16_t code = below < above || (below == above && lo % 2 == 0) ? lo : static_cast<uint16_t>(lo + 1);
    return sign | code;
}

void test_float16() {
    // Hand-worked: 1 = 0 01111 0000000000; 0.1 rounds to 0x2E66 (0.0999755859375); the extremes.
    CHECK(float_to_half(0.0f) == 0x0000);
    CHECK(float_to_half(-0.0f) == 0x8000);
    CHECK(float_to_half(1.0f) == 0x3C00);
    CHECK(float_to_half(-2.0f) == 0xC000);
    CHECK(float_to_half(0.5f) == 0x3800);
    CHECK(float_to_half(0.1f) == 0x2E66);
    CHECK(half_to_float(0x2E66) == 0.0999755859375f);
    CHECK(float_to_half(65504.0f) == 0x7BFF);
    CHECK(float_to_half(65519.0f) == 0x7BFF);            // below the midpoint to 65536
    CHECK(float_to_half(65520.0f) == 0x7C00);            // the midpoint: ties to even, which is infinity
    CHECK(float_to_half(1e6f) == 0x7C00);
    CHECK(float_to_half(std::ldexp(1.0f, -14)) == 0x0400);   // smallest normal
    CHECK(float_to_half(std::ldexp(1.0f, -24)) == 0x0001);   // smallest subnormal
    CHECK(float_to_half(std::ldexp(1.0f, -25)) == 0x0000);   // half of it: a tie, to even (0)
    CHECK(float_to_half(std::ldexp(3.0f, -26)) == 0x0001);   // 0.75 of it
    CHECK(float_to_half(std::ldexp(3.0f, -25)) == 0x0002);   // 1.5 units: a tie, to even (2)
    CHECK(float_to_half(std::numeric_limits<float>::denorm_min()) == 0x0000);
    CHECK(float_to_half(1.0f + std::ldexp(1.0f, -11)) == 0x3C00);      // a tie: to even
    CHECK(float_to_half(1.0f + 3 * std::ldexp(1.0f, -11)) == 0x3C02);  // a tie: to even, up
    CHECK(float_to_half(std::numeric_limits<float>::infinity()) == 0x7C00);
    CHECK(float_to_half(-std::numeric_limits<float>::infinity()) == 0xFC00);
    const uint16_t nan = float_to_half(std::numeric_limits<float>::quiet_NaN());
    CHECK((nan & 0x7C00) == 0x7C00 && (nan & 0x3FF) != 0);
    CHECK(std::isnan(half_to_float(0x7E00)));
    CHECK(half_to_float(0x7BFF) == kLargestHalf);
    CHECK(half_to_float(0x0001) == std::ldexp(1.0f, -24));
    CHECK(half_to_float(0x8000) == 0.0f && std::signbit(half_to_float(0x8000)));

    // Every float16 (NaNs aside) survives float16 -> float -> float16.
    size_t round_trip_failures = 0;
    for (uint32_t h = 0; h < 65536; ++h) {
        const uint16_t code = static_cast<uint16_t>(h);
        if ((code & 0x7C00) == 0x7C00 && (code & 0x3FF) != 0) continue;
        round_trip_failures += float_to_half(half_to_float(code)) != code;
    }
    CHECK(round_trip_failures == 0);

    // Random bit patterns (every exponent) and values near the float16 range, against the search.
    Rng rng = make_rng(19, 0);
    size_t mismatches = 0, tried = 0;
    for (int i = 0; i < 1000000; ++i) {
        const uint32_t bits = static_cast<uint32_t>(next_u64(rng));
        float x = bits_to_float(bits);
        if (i % 2) x = std::ldexp(bits_to_float((bits & 0x807FFFFFu) | 0x3F800000u), static_cast<int>(bits >> 27) - 26);
        if (std::isnan(x)) continue;
        ++tried;
        mismatches += float_to_half(x) != nearest_half_by_search(x);
    }
    CHECK(tried > 900000);
    CHECK_MSG(mismatches == 0,
              format_message("float_to_half: %zu of %zu differ from the nearest float16", mismatches, tried));
}

}  // namespace

int main() {
    test_float16();
    return check_exit("test_float16");
}
