// Post-training quantisation, run once on the host in double precision: everything that needs real numbers
// (scales, rounding weights, the multipliers) happens here, and the int8 model keeps only the integers.
// See docs/13-quantisation.md.
#include "quant/quantize.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "data/dataset.h"
#include "util/check.h"

namespace mnist {

namespace {

constexpr double kPixelScale = 1.0 / 255.0;  // Eq. (1): a pixel byte p stands for p / 255
constexpr double kWeightLimit = 127;         // symmetric int8: -127 .. 127
constexpr double kByteLimit = 255;           // activation bytes: 0 .. 255

// Round half away from zero, then clamp: the one rounding rule of the quantiser.
double round_clamped(double value, double limit) { return std::clamp(std::round(value), -limit, limit); }

}  // namespace

// Eq. (35): the clip value of each hidden layer, from its outputs on calibration images.
std::vector<double> calibrate(Compute& compute, const Mlp& mlp, const ImageSet& set,
                              const std::vector<uint32_t>& indices, double percentile) {
    const size_t hidden_layers = mlp.layers() - 1;
    std::vector<std::vector<float>> seen(hidden_layers);  // [layer][images x units]
    MlpWorkspace ws = make_mlp_workspace(mlp, 256);
    for (size_t start = 0; start < indices.size(); start += ws.max_batch) {
        const size_t rows = std::min(ws.max_batch, indices.size() - start);
        load_batch(ws.input.top_rows(rows), ws.labels.data(), set, indices.data() + start, rows);
        mlp_forward(compute, mlp, ws, rows, false, 0.0f, 0);
        for (size_t h = 0; h < hidden_layers; ++h) {
            const ConstMatrixView out = ws.hidden[h].top_rows(rows);
            seen[h].insert(seen[h].end(), out.data, out.data + out.size());
        }
    }
    std::vector<double> clip(hidden_layers, 0.0);
    for (size_t h = 0; h < hidden_layers; ++h) {
        std::vector<float>& values = seen[h];
        if (values.empty()) continue;
        // The value with a fraction percentile/100 of all values at or below it (100: the maximum).
        const double rank = std::ceil(percentile / 100.0 * static_cast<double>(values.size()));
        const size_t k = static_cast<size_t>(std::clamp(rank, 1.0, static_cast<double>(values.size()))) - 1;
        std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
        clip[h] = values[k];
    }
    return clip;
}

// Eq. (37): real = f x 2^e with f in [0.5, 1) (frexp), so real = (f x 2^31) x 2^-(31 - e). The multiplier is
// f x 2^31 rounded, in [2^30, 2^31]; 2^31 itself becomes 2^30 with one less shift. Shifts above 62 (a real
// below 2^-32) keep 62 and give up leading bits of the multiplier instead.
FixedMultiplier quantize_multiplier(double real) {
    if (!(real > 0) || !(real < 1073741824.0))
        throw InputError("requantisation multiplier " + std::to_string(real) + " is outside (0, 2^30)");
    int exponent = 0;
    const double fraction = std::frexp(real, &exponent);
    int shift = 31 - exponent;
    double multiplier = std::round(std::ldexp(fraction, 31));
    if (multiplier == 2147483648.0) {
        multiplier = 1073741824.0;
        --shift;
    }
    if (shift > static_cast<int>(kMaxShift)) {
        multiplier = std::round(std::ldexp(real, static_cast<int>(kMaxShift)));
        shift = static_cast<int>(kMaxShift);
    }
    if (shift < static_cast<int>(kMinShift))  // real rounded up to 2^30
        throw InputError("requantisation multiplier " + std::to_string(real) + " is outside (0, 2^30)");
    FixedMultiplier result;
    result.multiplier = static_cast<uint32_t>(multiplier);
    result.shift = static_cast<unsigned>(shift);
    return result;
}

// Eq. (34): max |w| / 127, raised if the bias would not fit in +-2^30 units of s_w x s_in.
double row_weight_scale(const float* weights, size_t count, float bias, double input_scale) {
    double largest = 0;
    for (size_t k = 0; k < count; ++k) largest = std::max(largest, std::fabs(static_cast<double>(weights[k])));
    const double bias_units = std::fabs(static_cast<double>(bias)) / (input_scale * kMaxInt8Bias);
    const double scale = std::max(largest / kWeightLimit, bias_units);
    return scale > 0 ? scale : 1.0;
}

Quantized quantize_mlp(const Mlp& mlp, size_t image_rows, size_t image_cols, const std::vector<double>& clip,
                       ScaleKind kind, uint32_t float_model_crc) {
    const size_t layers = mlp.layers();
    if (clip.size() + 1 != layers) throw InputError("quantize: one clip value per hidden layer is needed");
    for (size_t l = 0; l < layers; ++l)
        if (mlp.layout.inputs(l) > kMaxInt8Inputs)
            throw InputError("quantize: layer " + std::to_string(l + 1) + " has " + std::to_string(mlp.layout.inputs(l)) +
                             " inputs, more than an int8 layer may have (" + std::to_string(kMaxInt8Inputs) + ")");
    Quantized q;
    q.model.image_rows = image_rows;
    q.model.image_cols = image_cols;
    q.model.scale_kind = kind;
    q.model.float_model_crc = float_model_crc;
    double input_scale = kPixelScale;
    for (size_t l = 0; l < layers; ++l) {
        const ConstMatrixView w = weights_of(mlp.layout, mlp.parameters, l);  // [out x in]
        const float* b = bias_of(mlp.layout, mlp.parameters, l);              // [out]
        LayerScales scales;
        scales.input_scale = input_scale;
        // Eq. (35): a hidden layer's bytes cover [0, clip]; the scores are logits in units of 2^-16.
        const bool last = l + 1 == layers;
        scales.output_scale = last ? std::ldexp(1.0, -kScoreFractionBits) : (clip[l] > 0 ? clip[l] : 1.0) / kByteLimit;
        // Eq. (34): one scale per row, or the largest of them for the whole layer.
        scales.weight_scales.resize(w.rows);
        for (size_t j = 0; j < w.rows; ++j)
            scales.weight_scales[j] = row_weight_scale(w.data + j * w.cols, w.cols, b[j], input_scale);
        if (kind == ScaleKind::per_tensor)
            std::fill(scales.weight_scales.begin(), scales.weight_scales.end(),
                      *std::max_element(scales.weight_scales.begin(), scales.weight_scales.end()));

        Int8Layer layer;
        layer.inputs = w.cols;
        layer.outputs = w.rows;
        layer.weights.resize(w.size());
        layer.biases.resize(w.rows);
        layer.multipliers.resize(w.rows);
        layer.shifts.resize(w.rows);
        for (size_t j = 0; j < w.rows; ++j) {
            const double s_w = scales.weight_scales[j];
            for (size_t k = 0; k < w.cols; ++k)
                layer.weights[j * w.cols + k] = static_cast<int8_t>(round_clamped(w.at(j, k) / s_w, kWeightLimit));
            // Eq. (36): the bias in the units of the sum, s_w x s_in.
            layer.biases[j] = static_cast<int32_t>(round_clamped(b[j] / (s_w * input_scale), kMaxInt8Bias));
            // Eq. (37): M = s_w x s_in / s_out as a multiplier and a shift.
            const FixedMultiplier m = quantize_multiplier(s_w * input_scale / scales.output_scale);
            layer.multipliers[j] = m.multiplier;
            layer.shifts[j] = static_cast<uint8_t>(m.shift);
        }
        q.model.layers.push_back(std::move(layer));
        q.scales.push_back(std::move(scales));
        input_scale = q.scales.back().output_scale;
    }
    return q;
}

}  // namespace mnist
