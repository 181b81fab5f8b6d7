// Integer-only inference for the int8 network: after the input bytes, every step is an integer operation
// whose result is defined by the C++ standard alone, so every machine computes the same scores. The same
// arithmetic, written again in C, is what `mnist export-c` emits (quant/export_c.cpp); tests compare the two.
// See docs/13-quantisation.md.
#include "quant/int8_model.h"

#include <algorithm>

#include "codec/byte_io.h"
#include "codec/checksum.h"

namespace mnist {

const char* scale_kind_name(ScaleKind kind) { return kind == ScaleKind::per_row ? "per-row" : "per-tensor"; }

size_t Int8Model::max_width() const {
    size_t width = 0;
    for (size_t l = 0; l + 1 < layers.size(); ++l) width = std::max(width, layers[l].outputs);
    return width;
}

// Eq. (37): the real multiplier M = s_w s_in / s_out is stored as multiplier x 2^-shift, so the output is
// round(sum x M). The magnitude |sum| < 2^31 times a multiplier < 2^31 is below 2^62; adding half of 2^shift
// (at most 2^61) stays below 2^63: no step can overflow uint64.
int32_t requantize(int32_t sum, uint32_t multiplier, unsigned shift) {
    const bool negative = sum < 0;
    const uint64_t magnitude = static_cast<uint64_t>(negative ? -static_cast<int64_t>(sum) : sum);
    uint64_t scaled = (magnitude * multiplier + (uint64_t(1) << (shift - 1))) >> shift;
    if (negative) {
        scaled = std::min<uint64_t>(scaled, uint64_t(1) << 31);  // int32's most negative value is -2^31
        return static_cast<int32_t>(-static_cast<int64_t>(scaled));
    }
    return static_cast<int32_t>(std::min<uint64_t>(scaled, 0x7FFFFFFF));
}

std::vector<size_t> Int8Model::sizes() const {
    std::vector<size_t> sizes = {inputs()};
    for (const Int8Layer& layer : layers) sizes.push_back(layer.outputs);
    return sizes;
}

Int8Workspace make_int8_workspace(const Int8Model& model) {
    Int8Workspace ws;
    ws.a.assign(std::max<size_t>(model.max_width(), 1), 0);
    ws.b.assign(ws.a.size(), 0);
    return ws;
}

size_t argmax_scores(const int32_t* scores, size_t count) {
    size_t best = 0;
    for (size_t j = 1; j < count; ++j)
        if (scores[j] > scores[best]) best = j;
    return best;
}

uint32_t crc32_scores(uint32_t crc, const int32_t* scores, size_t count) {
    for (size_t i = 0; i < count; ++i) {
        uint8_t bytes[4];
        write_le32(bytes, static_cast<uint32_t>(scores[i]));
        crc = crc32_update(crc, bytes, 4);
    }
    return crc;
}

size_t int8_forward(const Int8Model& model, Int8Workspace& ws, const uint8_t* pixels, int32_t* scores) {
    const uint8_t* in = pixels;  // [inputs] bytes
    const size_t last = model.layers.size() - 1;
    for (size_t l = 0; l <= last; ++l) {
        const Int8Layer& layer = model.layers[l];
        uint8_t* out = (l % 2 == 0 ? ws.a : ws.b).data();  // [outputs] bytes, for hidden layers
        for (size_t j = 0; j < layer.outputs; ++j) {
            // Eq. (36): the bias and the products of int8 weights and bytes, summed in int32 (below 2^31 in
            // magnitude by the limits of int8_model.h).
            const int8_t* w = layer.weights.data() + j * layer.inputs;
            int32_t sum = layer.biases[j];
            for (size_t k = 0; k < layer.inputs; ++k) sum += int32_t{w[k]} * int32_t{in[k]};
            // Eq. (37): back to the output's scale; for a hidden unit, clamping at 0 is the ReLU.
            const int32_t value = requantize(sum, layer.multipliers[j], layer.shifts[j]);
            if (l == last) scores[j] = value;
            else out[j] = static_cast<uint8_t>(std::clamp<int32_t>(value, 0, 255));
        }
        in = out;
    }
    return argmax_scores(scores, model.classes());
}

}  // namespace mnist
