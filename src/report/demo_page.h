// demo.html: one self-contained page where a student draws a digit and the trained network answers, offline.
// The page holds the weights and a few test digits as base64, and a script (demo_page_script.cpp) that ports
// the preprocessing of data/preprocess.h and the forward pass of nn/mlp.h (or, for an int8 model, the integer
// inference of quant/int8_model.h) to JavaScript. Building the page only: `mnist demo` and the default run
// write it. See docs/14-draw-a-digit.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "data/mnist_files.h"
#include "nn/mlp.h"
#include "quant/int8_model.h"

namespace mnist {

// How the weights are stored in the page; weight_encoding_name() is the page's format tag ("encoding").
//   float16: each weight as an IEEE binary16 (util/float16.h), 2 bytes little-endian; biases as float32
//   float32: weights and biases exactly as model.bin holds them, 4 bytes little-endian each
//   int8:    an int8 model's numbers exactly as model-int8.bin holds them (quant/int8_model_file.h): weights
//            1 byte each (two's complement), biases int32 and multipliers uint32 (4 bytes little-endian
//            each), shifts 1 byte; only from an Int8Model (embed_int8_weights), never from a float network
// Every layer's weights are [out x in] row-major, as in nn/parameters.h and quant/int8_model.h.
enum class WeightEncoding { float16, float32, int8 };

const char* weight_encoding_name(WeightEncoding encoding);

// float16 when every weight fits in it (|w| <= 65504, always so for a trained network), else float32.
WeightEncoding default_weight_encoding(const Mlp& mlp);

// A test digit shown in the page, to load into the drawing pad.
struct DemoDigit {
    size_t index = 0;             // in the test set
    uint8_t label = 0;
    std::vector<uint8_t> pixels;  // [rows x cols], 0 background .. 255 ink
};

// The first test image of each label 0, 1, ..., classes - 1 (a label the set lacks is left out).
std::vector<DemoDigit> pick_demo_digits(const ImageSet& test, size_t classes);

// The weights as the page embeds them: a JSON object
//   {"format": "mnist-demo-weights", "version": 1, "encoding": "float16", "rows": 28, "cols": 28,
//    "sizes": [784, 512, 256, 128, 10], "layers": [{"weights": "<base64>", "bias": "<base64>"}, ...]}
// and what it costs. Throws InputError("<model_name>: ...") when a weight does not fit the encoding, and
// std::invalid_argument for WeightEncoding::int8 (a float network has no int8 numbers: quantise it first).
struct EmbeddedWeights {
    std::string json;
    size_t weight_count = 0, bias_count = 0;
    size_t binary_bytes = 0;   // the numbers' bytes before base64
    size_t base64_chars = 0;   // the characters of base64 in the JSON
};
EmbeddedWeights embed_weights(const Mlp& mlp, size_t rows, size_t cols, WeightEncoding encoding,
                              const std::string& model_name);

// An int8 model as the page embeds it, encoding "int8": the same object with the scales' kind and the
// scores' fixed point added, and four fields per layer,
//   {..., "encoding": "int8", ..., "scales": "per-row", "score_fraction_bits": 16,
//    "layers": [{"weights": "<base64>", "bias": "<base64>", "multipliers": "<base64>", "shifts": "<base64>"}]}
// bias_count counts the units (each with a bias, a multiplier and a shift).
EmbeddedWeights embed_int8_weights(const Int8Model& model);

// The whole page, UTF-8, and its sizes.
struct DemoPage {
    std::string html;
    EmbeddedWeights weights;  // json emptied: it is inside html
    size_t digits = 0;
};
DemoPage demo_page(const Mlp& mlp, size_t rows, size_t cols, const std::vector<DemoDigit>& digits,
                   WeightEncoding encoding, const std::string& model_name);
// The page of an int8 model: its integer inference in the script, the same ten int32 scores as int8_forward.
DemoPage demo_page(const Int8Model& model, const std::vector<DemoDigit>& digits);

}  // namespace mnist
