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

// A generator for stream `stream` of seed `seed`: mix64(seed ^ mix64(stream + increment)). Every stream the
// program draws is derived this way, from a RandomStream below or from a small index under one of them (a
// layer's weights, a row's dropout coins, a row's distortion).
Rng make_rng(uint64_t seed, uint64_t stream);

// Every use of the run's --seed, each with a stream of its own, listed once. A use draws from
// make_rng(seed, stream); a use that derives streams of its own per training step (dropout's masks,
// augmentation's distortions: mix64(stream_seed + step)) starts from stream_seed(seed, stream). (The init,
// dropout, augment, preview and gradcheck_dropout numbers look random because they were chosen to keep the numbers of runs
// made before this list: earlier versions derived those five seeds as mix64(seed ^ K), K = 0x1217,
// 0xD809017, 0xA6A6E17, 0x9E71E3, 0xD0; make_rng(seed, S).state equals that for these S.)
enum class RandomStream : uint64_t {
    split = 0x5EED5917ull,                // which training images are held out for validation
    init = 0x0DDD2BF7DB92245Aull,         // the initial weights (one sub-stream per layer)
    shuffle = 0x5F0FF1E5ull,              // each epoch's batch order
    dropout = 0x270FFB8610781FADull,      // dropout's masks (per step, then per row)
    augment = 0x3C4EFEC211B595A3ull,      // augmentation's distortions (per step, then per row)
    preview = 0x4BD1D29F3A6A1C0Cull,      // augment-preview's distortions
    gradcheck_sample = 0x6C4ECCull,       // which weights gradcheck perturbs
    gradcheck_data = 0x9Cull,             // gradcheck's made-up images
    gradcheck_dropout = 0xCFA2A1469DD1DF86ull,  // gradcheck's dropout masks (was mix64(seed ^ 0xD0))
};
inline Rng make_rng(uint64_t seed, RandomStream stream) { return make_rng(seed, static_cast<uint64_t>(stream)); }
inline uint64_t stream_seed(uint64_t seed, RandomStream stream) { return make_rng(seed, stream).state; }

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
