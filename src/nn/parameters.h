// Where every weight and bias lives. All of a network's parameters sit in ONE flat float block, layer by
// layer (W(1), b(1), W(2), b(2), ...); gradients and Adam's two moments use blocks of the same layout, so
// Adam is one loop over the block and L2 walks only the weight ranges. See docs/02-forward.md.
#pragma once

#include <cstddef>
#include <vector>

#include "tensor/matrix.h"

namespace mnist {

struct ParameterLayout {
    std::vector<size_t> sizes;           // units per layer, input first: {784, 512, 256, 128, 10}
    std::vector<size_t> weight_offset;   // [layers]: where W(l) [sizes[l+1] x sizes[l]] starts
    std::vector<size_t> bias_offset;     // [layers]: where b(l) [sizes[l+1]] starts
    size_t total = 0;                    // floats in the block
    size_t layers() const { return weight_offset.size(); }
    size_t inputs(size_t layer) const { return sizes[layer]; }
    size_t outputs(size_t layer) const { return sizes[layer + 1]; }
};

// sizes must hold at least two positive entries (input and output).
ParameterLayout make_parameter_layout(const std::vector<size_t>& sizes);

// Layer `layer`'s weights [out x in] and bias [out] inside a block laid out by `layout`.
inline MatrixView weights_of(const ParameterLayout& layout, std::vector<float>& block, size_t layer) {
    return {block.data() + layout.weight_offset[layer], layout.outputs(layer), layout.inputs(layer)};
}
inline ConstMatrixView weights_of(const ParameterLayout& layout, const std::vector<float>& block, size_t layer) {
    return {block.data() + layout.weight_offset[layer], layout.outputs(layer), layout.inputs(layer)};
}
inline float* bias_of(const ParameterLayout& layout, std::vector<float>& block, size_t layer) {
    return block.data() + layout.bias_offset[layer];
}
inline const float* bias_of(const ParameterLayout& layout, const std::vector<float>& block, size_t layer) {
    return block.data() + layout.bias_offset[layer];
}

}  // namespace mnist
