// Our own seeded randomness: SplitMix64 as the generator, and our own uniform, normal and shuffle transforms,
// so that one seed gives the same split, initial weights, batch order and dropout masks on every compiler
// and standard library (std::*_distribution differ between libstdc++ and libc++). Not cryptographic.
// Explained in docs/04-init-dropout-l2.md (initialisation) and docs/07-training.md (shuffling).
#pragma once

#include <cstddef>
#include <cstdint>

namespace mnist {

// SplitMix64 (Steele, Lea and Flood, 2014): a 64-bit counter stepped by the golden-ratio constant and
// hashed by a fixed mixing function. Its whole state is one integer, so it can be saved and restored.
struct Rng {
    uint64_t state = 0;
};

// The increment of SplitMix64's counter: 2^64 divided by the golden ratio, rounded to odd.
constexpr uint64_t kSplitMixIncrement = 0x9E3779B97F4A7C15ull;

// The mixing function on its own: a good 64-bit hash. Used to derive independent streams from a seed.
// Inline, so that loops drawing many numbers (dropout) can vectorise it.
inline uint64_t mix64(uint64_t x) {
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

// A generator for stream `stream` of seed `seed` (e.g. one stream for the split, one for initialisation).
Rng make_rng(uint64_t seed, uint64_t stream);

// The next 64 random bits.
uint64_t next_u64(Rng& rng);

// A uniform integer in [0, bound), without modulo bias (rejection sampling). bound must be >= 1.
uint64_t uniform_below(Rng& rng, uint64_t bound);

// A uniform double in [0, 1) with 53 random bits.
double uniform_double(Rng& rng);

// A standard normal sample (mean 0, variance 1) by the Box-Muller transform, in double precision.
double normal_double(Rng& rng);

// Fisher-Yates shuffle of values[0..count).
void shuffle(Rng& rng, uint32_t* values, size_t count);

}  // namespace mnist
