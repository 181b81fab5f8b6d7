// Writing the int8 network as C99 source text. mnist_model.c is fixed text (kSource below): the integer
// inference of quant/int8_model.cpp written again in C, reading the sizes and tables that mnist_model.h
// defines. tests/test_export_c.cpp compiles both with a C compiler and compares the scores with int8_forward.
// See docs/13-quantisation.md.
#include "quant/export_c.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <vector>

#include "quant/int8_model.h"

namespace mnist {

namespace {

// The inference, as every export writes it. Same arithmetic as int8_forward and requantize (Eq. (36), (37)).
const char* const kSource = R"(/* mnist_model.c: integer-only inference for the network in mnist_model.h, written by `mnist export-c`
 * (the same text for every model: the sizes and the weights are in the header). Freestanding C99: no heap,
 * no library calls, no floating point. See mnist_model.h for how to call it. */
#define MNIST_MODEL_DATA
#include "mnist_model.h"

/* round(sum * multiplier / 2^shift), halves rounded away from zero, saturated to int32. Computed on the
 * magnitude in unsigned 64-bit arithmetic: |sum| <= 2^31 times multiplier < 2^31, plus 2^(shift-1) <= 2^61,
 * stays below 2^63, and nothing depends on how negative numbers shift. */
static int32_t mnist_requantize(int32_t sum, uint32_t multiplier, uint32_t shift)
{
    uint64_t magnitude = sum < 0 ? (uint64_t)(-(int64_t)sum) : (uint64_t)sum;
    uint64_t scaled = (magnitude * multiplier + ((uint64_t)1 << (shift - 1u))) >> shift;
    if (sum < 0)
        return scaled >= 0x80000000u ? (int32_t)(-2147483647 - 1) : -(int32_t)scaled;
    return scaled > 0x7FFFFFFFu ? (int32_t)2147483647 : (int32_t)scaled;
}

int mnist_predict(const uint8_t pixels[MNIST_INPUTS], int32_t scores[MNIST_CLASSES])
{
    uint8_t buffers[2][MNIST_MAX_WIDTH]; /* the hidden layers' output bytes, used in turn */
    const uint8_t *in = pixels;
    uint32_t l, j, k;
    int best = 0;
    for (l = 0; l < MNIST_LAYERS; ++l) {
        const struct mnist_layer *layer = &mnist_layers[l];
        uint8_t *out = buffers[l % 2u];
        for (j = 0; j < layer->outputs; ++j) {
            /* the bias plus int8 weights times bytes, summed in int32 (|sum| < 2^31 by the export's limits) */
            const int8_t *w = layer->weights + j * layer->inputs;
            int32_t sum = layer->biases[j];
            int32_t value;
            for (k = 0; k < layer->inputs; ++k)
                sum += (int32_t)w[k] * (int32_t)in[k];
            /* back to the output's scale; for a hidden unit, clamping at 0 is the ReLU */
            value = mnist_requantize(sum, layer->multipliers[j], layer->shifts[j]);
            if (l + 1u == MNIST_LAYERS)
                scores[j] = value;
            else
                out[j] = (uint8_t)(value < 0 ? 0 : value > 255 ? 255 : value);
        }
        in = out;
    }
    for (j = 1; j < MNIST_CLASSES; ++j)
        if (scores[j] > scores[best])
            best = (int)j;
    return best;
}
)";

// What mnist_predict's frame may hold beside its two buffers: saved registers and a few scalars. Measured with
// -fstack-usage at -O2 (gcc 12 unless said): 72 bytes for a Cortex-M4 (arm-none-eabi-gcc), 80 on armhf, 48 on
// aarch64, 24 with clang 14 on x86-64, 224 on s390x (whose ABI reserves a 160-byte register save area).
constexpr uint64_t kStackOverhead = 256;

void append(std::string& out, const char* format, uint64_t a, uint64_t b = 0) {
    char buffer[160];
    std::snprintf(buffer, sizeof buffer, format, a, b);
    out += buffer;
}

// `static const type name[n] = { values };`, per_line values to a line; when row > 0, each row of `row` values
// starts on a new line after a comment "/* <row_name> i */".
template <typename T, typename Print>
void append_array(std::string& out, const char* type, const std::string& name, const std::vector<T>& values,
                  size_t row, const char* row_name, size_t per_line, Print print) {
    out += "static const " + std::string(type) + " " + name + "[" + std::to_string(values.size()) + "] = {\n";
    for (size_t i = 0; i < values.size(); ++i) {
        if (row > 0 && i % row == 0)
            out += (i > 0 ? "\n    /* " : "    /* ") + std::string(row_name) + " " + std::to_string(i / row) + " */\n";
        const size_t in_row = row > 0 ? i % row : i;
        if (in_row % per_line == 0) out += "    ";
        out += print(values[i]);
        out += i + 1 < values.size() ? "," : "";
        const bool line_ends = in_row % per_line == per_line - 1 || (row > 0 && in_row == row - 1) || i + 1 == values.size();
        out += line_ends ? "\n" : " ";
    }
    out += "};\n";
}

std::string layer_sizes_text(const Int8Model& model) {
    std::string text = std::to_string(model.inputs());
    for (const Int8Layer& layer : model.layers) text += " -> " + std::to_string(layer.outputs);
    return text;
}

}  // namespace

ExportedC export_c(const Int8Model& model) {
    ExportedC c;
    c.source = kSource;
    size_t weight_bytes = 0, table_bytes = 0;
    for (const Int8Layer& layer : model.layers) {
        weight_bytes += layer.weights.size();
        table_bytes += layer.outputs * 9;  // an int32 bias, a uint32 multiplier and a uint8 shift per unit
    }
    const size_t width = std::max<size_t>(model.max_width(), 1);
    std::string& h = c.header;
    h += "/* mnist_model.h: a " + layer_sizes_text(model) + " network with int8 weights (" +
         scale_kind_name(model.scale_kind) + " scales), written by `mnist export-c`\n";
    append(h, " * from an int8 model quantised from the model.bin whose CRC-32 field is 0x%08" PRIx64 ".\n",
           model.float_model_crc);
    h += " *\n"
         " *     int mnist_predict(const uint8_t pixels[MNIST_INPUTS], int32_t scores[MNIST_CLASSES]);\n"
         " *\n";
    append(h, " * pixels: one %" PRIu64 "x%" PRIu64
              " image, row-major, 0 background .. 255 ink (MNIST's bytes, unscaled).\n",
           model.image_rows, model.image_cols);
    h += " * scores: the logits in fixed point, logit x 2^16 (score / 65536.0 is the logit; softmax them for\n"
         " * probabilities). Returns the index of the largest score (ties: the lowest), the predicted class.\n"
         " *\n"
         " * Freestanding C99: needs only <stdint.h>; no heap, no writable static data, no library calls, no\n"
         " * floating point, no recursion. The weights and tables are const, so they stay in read-only memory\n";
    append(h, " * (flash on a microcontroller): %" PRIu64 " bytes of weights and %" PRIu64
              " bytes of biases, multipliers and shifts.\n", weight_bytes, table_bytes);
    append(h, " * Stack: mnist_predict's frame holds two buffers of MNIST_MAX_WIDTH bytes (%" PRIu64
              " bytes) and a few scalars,\n", 2 * width);
    append(h, " * MNIST_STACK_BYTES_MAX = %" PRIu64
              " bytes at most, and it calls no function: that is all the stack it uses.\n",
           2 * width + kStackOverhead);
    h += " * (`make embedded-test` checks the frame with arm-none-eabi-gcc -fstack-usage.) Nothing is allocated.\n"
         " * Build: compile mnist_model.c beside this file; include this file where you call mnist_predict.\n"
         " * The arithmetic: docs/13-quantisation.md of the mnist project. */\n"
         "#ifndef MNIST_MODEL_H\n"
         "#define MNIST_MODEL_H\n"
         "\n"
         "#include <stdint.h>\n"
         "\n";
    append(h, "#define MNIST_IMAGE_ROWS %" PRIu64 "\n", model.image_rows);
    append(h, "#define MNIST_IMAGE_COLS %" PRIu64 "\n", model.image_cols);
    append(h, "#define MNIST_INPUTS %" PRIu64 "\n", model.inputs());
    append(h, "#define MNIST_CLASSES %" PRIu64 "\n", model.classes());
    append(h, "#define MNIST_LAYERS %" PRIu64 "\n", model.layers.size());
    append(h, "#define MNIST_MAX_WIDTH %" PRIu64 "\n", width);
    h += "#define MNIST_STACK_BUFFER_BYTES (2 * MNIST_MAX_WIDTH)\n";
    append(h, "#define MNIST_STACK_BYTES_MAX (MNIST_STACK_BUFFER_BYTES + %" PRIu64 ")\n", kStackOverhead);
    append(h, "#define MNIST_SCORE_FRACTION_BITS %" PRIu64 "\n", kScoreFractionBits);
    h += "\n"
         "int mnist_predict(const uint8_t pixels[MNIST_INPUTS], int32_t scores[MNIST_CLASSES]);\n"
         "\n"
         "#ifdef MNIST_MODEL_DATA /* defined by mnist_model.c only: the tables below live in its object file */\n"
         "\n"
         "/* One dense layer: unit j's sum is biases[j] + the sum over k of weights[j * inputs + k] x input byte k; its\n"
         " * output is round(sum x multipliers[j] / 2^shifts[j]), clamped to 0..255 in hidden layers (ReLU). */\n"
         "struct mnist_layer {\n"
         "    uint32_t inputs, outputs;\n"
         "    const int8_t *weights;       /* [outputs x inputs], row-major, -127..127 */\n"
         "    const int32_t *biases;       /* [outputs] */\n"
         "    const uint32_t *multipliers; /* [outputs], below 2^31 */\n"
         "    const uint8_t *shifts;       /* [outputs], 1..62 */\n"
         "};\n";
    for (size_t l = 0; l < model.layers.size(); ++l) {
        const Int8Layer& layer = model.layers[l];
        const std::string n = std::to_string(l + 1);
        h += "\n/* Layer " + n + ": " + std::to_string(layer.inputs) + " inputs -> " + std::to_string(layer.outputs) +
             (l + 1 == model.layers.size() ? " outputs, the scores. */\n" : " outputs. */\n");
        append_array(h, "int8_t", "mnist_weights_" + n, layer.weights, layer.inputs, "unit", 24,
                     [](int8_t w) { return std::to_string(w); });
        append_array(h, "int32_t", "mnist_biases_" + n, layer.biases, 0, "", 12,
                     [](int32_t b) { return std::to_string(b); });
        append_array(h, "uint32_t", "mnist_multipliers_" + n, layer.multipliers, 0, "", 8,
                     [](uint32_t m) { return std::to_string(m) + "u"; });
        append_array(h, "uint8_t", "mnist_shifts_" + n, layer.shifts, 0, "", 24,
                     [](uint8_t s) { return std::to_string(s); });
    }
    h += "\nstatic const struct mnist_layer mnist_layers[MNIST_LAYERS] = {\n";
    for (size_t l = 0; l < model.layers.size(); ++l) {
        const std::string n = std::to_string(l + 1);
        append(h, "    {%" PRIu64 ", %" PRIu64 ", ", model.layers[l].inputs, model.layers[l].outputs);
        h += "mnist_weights_" + n + ", mnist_biases_" + n + ", mnist_multipliers_" + n + ", mnist_shifts_" + n + "}" +
             (l + 1 < model.layers.size() ? "," : "") + "\n";
    }
    h += "};\n"
         "\n"
         "#endif /* MNIST_MODEL_DATA */\n"
         "#endif /* MNIST_MODEL_H */\n";
    return c;
}

std::string export_test_images(const Int8Model& model, const ImageSet& set, size_t count) {
    count = std::min(count, set.count);
    const size_t inputs = model.inputs();
    Int8Workspace ws = make_int8_workspace(model);
    std::vector<int32_t> scores(model.classes());
    uint32_t crc = 0;
    size_t correct = 0;
    std::vector<uint8_t> labels(set.labels.begin(), set.labels.begin() + static_cast<std::ptrdiff_t>(count));
    std::vector<uint8_t> pixels(set.pixels.begin(), set.pixels.begin() + static_cast<std::ptrdiff_t>(count * inputs));
    for (size_t i = 0; i < count; ++i) {
        correct += int8_forward(model, ws, &pixels[i * inputs], scores.data()) == labels[i];
        crc = crc32_scores(crc, scores.data(), scores.size());
    }
    std::string t;
    append(t, "/* mnist_test_images.h: the first %" PRIu64 " test images, their labels, and what the C++ int8 path of\n"
              " * `mnist` computed for them: %" PRIu64 " classified right", count, correct);
    t += ", and the CRC-32 of all their scores (each int32 as 4\n"
         " * little-endian bytes, image by image). Written by `mnist export-c --test-images`. */\n"
         "#ifndef MNIST_TEST_IMAGES_H\n"
         "#define MNIST_TEST_IMAGES_H\n"
         "\n"
         "#include <stdint.h>\n"
         "\n";
    append(t, "#define MNIST_TEST_COUNT %" PRIu64 "\n", count);
    append(t, "#define MNIST_TEST_EXPECTED_CORRECT %" PRIu64 "u\n", correct);
    append(t, "#define MNIST_TEST_EXPECTED_CRC32 0x%08" PRIx64 "u\n\n", crc);
    append_array(t, "uint8_t", "mnist_test_labels", labels, 0, "", 24, [](uint8_t v) { return std::to_string(v); });
    append_array(t, "uint8_t", "mnist_test_pixels", pixels, inputs, "image", 28, [](uint8_t v) { return std::to_string(v); });
    t += "\n#endif /* MNIST_TEST_IMAGES_H */\n";
    return t;
}

}  // namespace mnist
