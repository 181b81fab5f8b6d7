// Post-training quantisation: from a trained float network to the int8 network of quant/int8_model.h.
// calibrate() measures how large each hidden layer's outputs get on training images; quantize_mlp() turns
// weights into int8 with per-row (or per-layer) scales, biases into int32, and every scale ratio into an
// integer multiplier and shift. Not the inference (quant/int8_model.h) and not the file (int8_model_file.h).
// See docs/13-quantisation.md, Eq. (34)-(37).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "data/mnist_files.h"
#include "nn/mlp.h"
#include "quant/int8_model.h"
#include "tensor/gemm.h"

namespace mnist {

// Eq. (35): runs `mlp` (inference mode) on the images `indices` of `set` and returns, for each hidden layer,
// the clip value: the `percentile`-th percentile (0 < percentile <= 100; 100 is the maximum) of all its
// outputs over all those images, zeros included. The largest value an output byte of that layer can stand for.
std::vector<double> calibrate(Compute& compute, const Mlp& mlp, const ImageSet& set,
                              const std::vector<uint32_t>& indices, double percentile);

// Eq. (37): a positive real multiplier as multiplier x 2^-shift, the multiplier in [2^30, 2^31) (31 bits of
// precision) when the shift allows it. Throws InputError when real is not in (0, 2^30): no layer of a
// trained network needs that, and the sums could not be scaled by it without overflow.
struct FixedMultiplier {
    uint32_t multiplier = 0;
    unsigned shift = 0;
};
FixedMultiplier quantize_multiplier(double real);

// The scales behind an int8 layer, for printing and for the docs' worked example (inference needs none).
struct LayerScales {
    double input_scale = 0;              // s_in: an input byte q stands for q x s_in
    double output_scale = 0;             // s_out: likewise for an output byte; 2^-16 for the scores
    std::vector<double> weight_scales;   // s_w, one per row (all equal for per-tensor scales)
};

struct Quantized {
    Int8Model model;
    std::vector<LayerScales> scales;  // one per layer
};

// Eq. (34)-(37). `clip` holds one calibrated value per hidden layer (calibrate()); the pixels' scale is
// 1/255 (Eq. (1)) and the scores' 2^-16. float_model_crc identifies the model.bin it came from.
Quantized quantize_mlp(const Mlp& mlp, size_t image_rows, size_t image_cols, const std::vector<double>& clip,
                       ScaleKind kind, uint32_t float_model_crc);

// Eq. (34): the weight scale of one row: the smallest that puts every weight of the row in [-127, 127] and the
// bias (in units of s_w x s_in) within +-2^30; 1 for a row of zeros. Per-tensor scales are the largest of a
// layer's row scales.
double row_weight_scale(const float* weights, size_t count, float bias, double input_scale);

}  // namespace mnist
