// SplitMix64 and the transforms built on it. See rng.h for why we do not use <random>'s distributions.
#include "util/rng.h"

#include <cmath>

namespace mnist {

Rng make_rng(uint64_t seed, uint64_t stream) {
    Rng rng;
    rng.state = mix64(seed ^ mix64(stream + kSplitMixIncrement));
    return rng;
}

uint64_t next_u64(Rng& rng) {
    rng.state += kSplitMixIncrement;
    return mix64(rng.state);
}

uint64_t uniform_below(Rng& rng, uint64_t bound) {
    // Accept only draws below the largest multiple of bound that fits in 2^64, so every residue is
    // equally likely. The rejected region is smaller than bound, so a retry is rare.
    const uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
    uint64_t draw = next_u64(rng);
    while (draw >= limit) draw = next_u64(rng);
    return draw % bound;
}

double uniform_double(Rng& rng) {
    return static_cast<double>(next_u64(rng) >> 11) * 0x1.0p-53;  // 53 bits -> [0, 1)
}

double normal_double(Rng& rng) {
    // Box-Muller: with u1 in (0, 1] and u2 in [0, 1), sqrt(-2 ln u1) cos(2 pi u2) is standard normal.
    // We use the cosine branch only, spending two uniforms per sample, so the stream is simple to follow.
    const double u1 = 1.0 - uniform_double(rng);
    const double u2 = uniform_double(rng);
    const double two_pi = 6.283185307179586476925286766559;
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(two_pi * u2);
}

void shuffle(Rng& rng, uint32_t* values, size_t count) {
    // Fisher-Yates: walk from the end, swapping each slot with a uniformly chosen slot at or before it.
    for (size_t i = count; i > 1; --i) {
        const size_t j = static_cast<size_t>(uniform_below(rng, i));
        const uint32_t t = values[i - 1];
        values[i - 1] = values[j];
        values[j] = t;
    }
}

}  // namespace mnist
