// Subnormal floats, and the one rule the program keeps about them: no float it computes with is ever
// subnormal. Every place that produces a float which can fall below the smallest normal number (Adam's
// moments and update, the L2 gradient, a GEMM's write-out, softmax, max-norm, a value read from a file)
// passes it through flush_subnormal. Portable C++: a comparison, no CPU mode. See docs/06-adam.md
// ("Subnormal numbers"), which explains why they appear and what they cost.
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>

namespace mnist {

// The smallest positive normal float, 2^-126 ~ 1.18e-38. Below it (and above 0) lie the subnormals, down to
// 2^-149 ~ 1.4e-45, which some CPUs (Intel's among them) handle through a microcode path ~100x slower.
constexpr float kSmallestNormal = std::numeric_limits<float>::min();

// log(kSmallestNormal) = -126 log 2, rounded up: exp(d) for d below it would be subnormal.
constexpr float kLogSmallestNormal = -87.33654f;

// x, or a zero of x's sign when |x| is subnormal (as a CPU's flush-to-zero mode does). Zeros, normal numbers,
// infinities and NaN pass through unchanged (NaN must survive: it is how divergence is noticed). Compilers
// turn it into a vector compare and blend.
inline float flush_subnormal(float x) { return std::fabs(x) < kSmallestNormal ? std::copysign(0.0f, x) : x; }

// flush_subnormal over an array, in place.
inline void flush_subnormals(float* values, size_t count) {
    for (size_t i = 0; i < count; ++i) values[i] = flush_subnormal(values[i]);
}

// x, or 0 when |x| < limit. Used BEFORE a multiplication by a small factor c, with limit = kSmallestNormal / c
// computed once outside the loop: flush_below(x, kSmallestNormal / c) * c is c * x, or 0 where c * x would be
// subnormal, and the subnormal product is never formed (on the CPUs that pay, producing one costs as much as
// reading one).
inline float flush_below(float x, float limit) { return std::fabs(x) < limit ? std::copysign(0.0f, x) : x; }

// How many values of an array are subnormal (tests and `mnist bench` count with it).
inline size_t count_subnormals(const float* values, size_t count) {
    size_t subnormal = 0;
    for (size_t i = 0; i < count; ++i) subnormal += std::fpclassify(values[i]) == FP_SUBNORMAL;
    return subnormal;
}

}  // namespace mnist
