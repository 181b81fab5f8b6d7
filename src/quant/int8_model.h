// The int8 network and its integer-only inference: int8 weights with one scale per output unit (per row) or
// one per layer, activations as bytes, int32 sums, and each unit's output brought back to a byte by an
// integer multiplier and a right shift. Not the quantiser (quant/quantize.h), not the file format
// (quant/int8_model_file.h), not the exported C (quant/export_c.h). See docs/13-quantisation.md, Eq. (34)-(37).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace mnist {

// How the weight scales were chosen: one per output unit (a row of W), or one for the whole layer.
enum class ScaleKind : uint8_t { per_row = 0, per_tensor = 1 };
const char* scale_kind_name(ScaleKind kind);  // "per-row", "per-tensor"

// Limits that keep every sum inside int32 and every product inside uint64 (checked by the file reader,
// respected by the quantiser): at most kMaxInt8Inputs inputs per layer, so |sum of weight x byte| is at most
// 2^15 x 127 x 255 < 2^30; biases within +-2^30; multipliers below 2^31; shifts 1 to 62.
constexpr uint64_t kMaxInt8Inputs = uint64_t(1) << 15;
constexpr int32_t kMaxInt8Bias = int32_t(1) << 30;
constexpr uint32_t kMaxMultiplier = uint32_t(1) << 31;  // exclusive
constexpr unsigned kMinShift = 1, kMaxShift = 62;

// The last layer's outputs, the scores, are logits in fixed point: score = round(logit x 2^16).
constexpr int kScoreFractionBits = 16;

// One dense layer, [outputs x inputs]. Its input bytes q_in mean q_in x s_in (s_in = 1/255 for pixels).
// Unit j computes sum_j = biases[j] + sum_k weights[j][k] q_in[k] (Eq. (36)); a hidden unit's output byte is
// requantize(sum_j, multipliers[j], shifts[j]) clamped to [0, 255] (Eq. (37), ReLU included), the last
// layer's outputs are requantize(...) themselves: the scores.
struct Int8Layer {
    size_t inputs = 0, outputs = 0;
    std::vector<int8_t> weights;        // [outputs x inputs] row-major, each in [-127, 127]
    std::vector<int32_t> biases;        // [outputs], in the units of the sum, within +-kMaxInt8Bias
    std::vector<uint32_t> multipliers;  // [outputs], below 2^31; M_j = multipliers[j] x 2^-shifts[j]
    std::vector<uint8_t> shifts;        // [outputs], kMinShift .. kMaxShift
};

struct Int8Model {
    size_t image_rows = 0, image_cols = 0;
    ScaleKind scale_kind = ScaleKind::per_row;
    uint32_t float_model_crc = 0;  // the CRC-32 field of the model.bin it was quantised from (to find it again)
    std::vector<Int8Layer> layers;
    size_t inputs() const { return layers.front().inputs; }
    size_t classes() const { return layers.back().outputs; }
    std::vector<size_t> sizes() const;  // inputs, then each layer's outputs: {784, 512, 256, 128, 10}
    size_t max_width() const;  // the widest hidden layer (0 when there is none)
};

// Eq. (37): round(sum x multiplier x 2^-shift), halves rounded away from zero, saturated to int32. Computed
// on the magnitude in 64-bit unsigned arithmetic, so nothing depends on how a machine shifts negative numbers.
int32_t requantize(int32_t sum, uint32_t multiplier, unsigned shift);

// Buffers for one image: two rows of max_width() bytes, used in turn by the hidden layers.
struct Int8Workspace {
    std::vector<uint8_t> a, b;
};
Int8Workspace make_int8_workspace(const Int8Model& model);

// One image of model.inputs() bytes (0 background .. 255 ink) through the network: writes the
// model.classes() scores and returns the index of the largest (ties: the lowest index).
size_t int8_forward(const Int8Model& model, Int8Workspace& ws, const uint8_t* pixels, int32_t* scores);

// The index of the largest score (ties: the lowest index), as int8_forward returns it.
size_t argmax_scores(const int32_t* scores, size_t count);

// Continues a CRC-32 (codec/checksum.h) over `count` scores, each as 4 little-endian bytes: the checksum that
// `mnist eval`, the exported C's checks and the firmware print for all the scores of a set of images.
uint32_t crc32_scores(uint32_t crc, const int32_t* scores, size_t count);

}  // namespace mnist
