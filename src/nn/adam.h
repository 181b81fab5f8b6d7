// The Adam optimiser (Kingma and Ba, 2015) over a flat parameter block: per-parameter first and second
// moment estimates with bias correction. See docs/06-adam.md, which works one step by hand; the test
// suite checks the same numbers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "tensor/gemm.h"

namespace mnist {

struct AdamSettings {
    float learning_rate = 0.001f;
    float beta1 = 0.9f;
    float beta2 = 0.999f;
    float epsilon = 1e-8f;
};

struct AdamState {
    std::vector<float> first_moment;   // m, same layout as the parameters
    std::vector<float> second_moment;  // v
    uint64_t step = 0;                 // t: updates done so far
};

AdamState make_adam_state(size_t parameter_count);

// One update, Eq. (17)-(20), of parameters[begin, end) (the caller may split the block over threads; every
// element's update depends only on its own m, v, g). Uses state.step + 1 as t: call adam_finish_step once
// after all ranges are done.
void adam_update(std::vector<float>& parameters, const std::vector<float>& gradients, AdamState& state,
                 const AdamSettings& settings, size_t begin, size_t end);
void adam_finish_step(AdamState& state);

// The whole step: adam_update over disjoint slices of the block on the compute threads, then
// adam_finish_step. Identical results for any thread count (each element is updated once, by itself).
void adam_step(Compute& compute, std::vector<float>& parameters, const std::vector<float>& gradients,
               AdamState& state, const AdamSettings& settings);

}  // namespace mnist
