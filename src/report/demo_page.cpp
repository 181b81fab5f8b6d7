// demo.html from a model, float or int8: the weights and test digits as JSON blocks of base64 that the page's
// script reads, the sentences that state sizes, and the fixed style, markup and script of demo_page_script.cpp.
#include "report/demo_page.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "codec/byte_io.h"
#include "report/demo_page_script.h"
#include "report/svg.h"
#include "util/base64.h"
#include "util/check.h"
#include "util/float16.h"
#include "util/json.h"
#include "util/parse.h"

namespace mnist {
namespace {

// The largest weight magnitude in the model (biases excluded).
float largest_weight(const Mlp& mlp) {
    float largest = 0;
    for (size_t l = 0; l < mlp.layers(); ++l) {
        const size_t offset = mlp.layout.weight_offset[l], count = mlp.layout.outputs(l) * mlp.layout.inputs(l);
        for (size_t i = 0; i < count; ++i) largest = std::max(largest, std::fabs(mlp.parameters[offset + i]));
    }
    return largest;
}

// count floats from `values` in the encoding's byte layout, little-endian.
std::vector<uint8_t> encode_numbers(const float* values, size_t count, bool half) {
    ByteWriter out;
    out.bytes.reserve(count * (half ? 2 : 4));
    for (size_t i = 0; i < count; ++i) {
        if (half) out.u16(float_to_half(values[i]));
        else out.f32(values[i]);
    }
    return std::move(out.bytes);
}

std::string shape_text(const std::vector<size_t>& sizes) {
    std::string text;
    for (size_t i = 0; i < sizes.size(); ++i) text += (i ? " \u2192 " : "") + std::to_string(sizes[i]);
    return text;
}

// What the page says about its model: in the title, in the lead (which network), and in "This file" (how the
// numbers are stored and how the script computes with them).
struct PageWords {
    std::string title, network, numbers, arithmetic;
};

PageWords float_words(const EmbeddedWeights& weights, WeightEncoding encoding) {
    const bool half = encoding == WeightEncoding::float16;
    PageWords words;
    words.title = "Draw a digit: mnist";
    words.network = "The network of this run";
    words.numbers = "the " + with_thousands(weights.weight_count) + " weights as " +
                    (half ? "float16 (2 bytes each" : "float32 (4 bytes each") + ") and the " +
                    with_thousands(weights.bias_count) + " biases as float32";
    words.arithmetic = std::string("runs the network as the C++ program does") +
                       (half ? " (with the weights rounded to float16, so its probabilities may differ from the "
                               "program's slightly: by less than 0.0001 in the tests)."
                             : ".");
    return words;
}

PageWords int8_words(const EmbeddedWeights& weights, const Int8Model& model) {
    PageWords words;
    words.title = "Draw a digit: mnist, int8";
    words.network = "The int8 network of this run";
    words.numbers = "the int8 model: its " + with_thousands(weights.weight_count) + " weights as int8 (1 byte each, " +
                    scale_kind_name(model.scale_kind) + " scales) and, for each of its " +
                    with_thousands(weights.bias_count) + " units, an int32 bias, a 31-bit multiplier and a shift";
    words.arithmetic = "runs the network in integers only, as <code>mnist predict</code> does with this model "
                       "(<code>int8_forward</code>): the same ten int32 scores (logit &times; 2<sup>16</sup>), "
                       "the same answer, in every test.";
    return words;
}

// The page around the data. `total_bytes` is the size of the page itself, stated in it.
std::string assemble(const std::vector<size_t>& sizes, const PageWords& words, const EmbeddedWeights& weights,
                     const std::string& weights_json, const std::string& digits_json, size_t digit_count,
                     uint64_t total_bytes) {
    std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                       "<title>" + words.title + "</title>\n<style>\n";
    html += demo_page_style();
    html += "</style>\n</head>\n<body>\n<header>\n<h1>Draw a digit</h1>\n<p class=\"lead\">" + words.network + " (" +
            xml_escape(shape_text(sizes)) +
            ") answers while you draw. Everything happens in this page: no network, no server.</p>\n"
            "<noscript><p class=\"warning\">This page needs JavaScript to draw and to run the network.</p></noscript>\n"
            "</header>\n";
    html += demo_page_markup();
    html += "<section id=\"about\">\n<h2>This file</h2>\n<p>" + with_thousands(total_bytes) +
            " bytes, one file that opens offline. It holds " + words.numbers + ": " +
            with_thousands(weights.binary_bytes) + " bytes, written as " + with_thousands(weights.base64_chars) +
            " characters of base64; " + std::to_string(digit_count) + " test digits; and the script that prepares " +
            "your drawing as <code>mnist predict</code> prepares an image file and " + words.arithmetic +
            " Made by <code>mnist demo</code>; see docs/14-draw-a-digit.md.</p>\n</section>\n";
    html += "<pre id=\"selftest-results\" hidden></pre>\n";
    // JSON inside a script element ends at the first "</script": base64, digits and numbers hold no '<'.
    html += "<script type=\"application/json\" id=\"mnist-weights\">" + weights_json + "</script>\n";
    html += "<script type=\"application/json\" id=\"mnist-digits\">" + digits_json + "</script>\n";
    html += "<script>\n";
    html += demo_page_script();
    html += "</script>\n</body>\n</html>\n";
    return html;
}

// The digits as the page embeds them: {"rows": 28, "cols": 28, "digits": [{"index", "label", "pixels"}, ...]}.
std::string digits_json(size_t rows, size_t cols, const std::vector<DemoDigit>& digits) {
    JsonWriter json;
    json.begin_object();
    json.key("rows").value(static_cast<uint64_t>(rows)).key("cols").value(static_cast<uint64_t>(cols));
    json.key("digits").begin_array();
    for (const DemoDigit& d : digits)
        json.begin_object()
            .key("index").value(static_cast<uint64_t>(d.index))
            .key("label").value(static_cast<uint64_t>(d.label))
            .key("pixels").value(base64_encode(d.pixels))
            .end_object();
    json.end_array();
    json.end_object();
    return json.text();
}

// The page states its own size, which depends on how many digits that number has: assemble until the stated
// size is the real one (twice at most, unless the count crosses a power of ten).
DemoPage finish_page(const std::vector<size_t>& sizes, const PageWords& words, EmbeddedWeights weights,
                     size_t rows, size_t cols, const std::vector<DemoDigit>& digits) {
    DemoPage page;
    page.weights = std::move(weights);
    page.digits = digits.size();
    const std::string digits_text = digits_json(rows, cols, digits);
    uint64_t stated = 0;
    for (;;) {
        page.html = assemble(sizes, words, page.weights, page.weights.json, digits_text, digits.size(), stated);
        if (page.html.size() == stated) break;
        stated = page.html.size();
    }
    page.weights.json.clear();
    return page;
}

// The fields every encoding's JSON starts with, up to "sizes".
void begin_weights_json(JsonWriter& json, const char* encoding, size_t rows, size_t cols,
                        const std::vector<size_t>& sizes) {
    json.begin_object();
    json.key("format").value("mnist-demo-weights").key("version").value(uint64_t{1});
    json.key("encoding").value(encoding);
    json.key("rows").value(static_cast<uint64_t>(rows)).key("cols").value(static_cast<uint64_t>(cols));
    json.key("sizes").begin_array();
    for (const size_t s : sizes) json.value(static_cast<uint64_t>(s));
    json.end_array();
}

// The layer sizes of an int8 model, input first, as Mlp's layout.sizes.
// A layer field: the bytes as base64, counted.
void bytes_field(JsonWriter& json, const char* key, const std::vector<uint8_t>& bytes, EmbeddedWeights& result) {
    const std::string text = base64_encode(bytes);
    json.key(key).value(text);
    result.binary_bytes += bytes.size();
    result.base64_chars += text.size();
}

}  // namespace

const char* weight_encoding_name(WeightEncoding encoding) {
    switch (encoding) {
        case WeightEncoding::float16: return "float16";
        case WeightEncoding::float32: return "float32";
        case WeightEncoding::int8: return "int8";
    }
    return "?";
}

WeightEncoding default_weight_encoding(const Mlp& mlp) {
    return largest_weight(mlp) <= kLargestHalf ? WeightEncoding::float16 : WeightEncoding::float32;
}

std::vector<DemoDigit> pick_demo_digits(const ImageSet& test, size_t classes) {
    std::vector<DemoDigit> digits;
    const size_t pixels = test.rows * test.cols;
    for (size_t label = 0; label < classes; ++label)
        for (size_t i = 0; i < test.count; ++i)
            if (test.labels[i] == label) {
                DemoDigit digit;
                digit.index = i;
                digit.label = static_cast<uint8_t>(label);
                digit.pixels.assign(test.pixels.begin() + static_cast<std::ptrdiff_t>(i * pixels),
                                    test.pixels.begin() + static_cast<std::ptrdiff_t>((i + 1) * pixels));
                digits.push_back(std::move(digit));
                break;
            }
    return digits;
}

EmbeddedWeights embed_weights(const Mlp& mlp, size_t rows, size_t cols, WeightEncoding encoding,
                              const std::string& model_name) {
    if (encoding == WeightEncoding::int8)
        throw std::invalid_argument("embed_weights: a float network has no int8 encoding (quantise it first)");
    const bool half = encoding == WeightEncoding::float16;
    if (half) {
        const float largest = largest_weight(mlp);
        if (!(largest <= kLargestHalf))
            throw InputError(model_name + ": a weight of magnitude " + std::to_string(largest) +
                             " does not fit float16 (largest 65504); use --weights float32");
    }
    EmbeddedWeights result;
    JsonWriter json;
    begin_weights_json(json, weight_encoding_name(encoding), rows, cols, mlp.layout.sizes);
    json.key("layers").begin_array();
    for (size_t l = 0; l < mlp.layers(); ++l) {
        const size_t outputs = mlp.layout.outputs(l), count = outputs * mlp.layout.inputs(l);
        json.begin_object();
        bytes_field(json, "weights", encode_numbers(&mlp.parameters[mlp.layout.weight_offset[l]], count, half), result);
        bytes_field(json, "bias", encode_numbers(&mlp.parameters[mlp.layout.bias_offset[l]], outputs, false), result);
        json.end_object();
        result.weight_count += count;
        result.bias_count += outputs;
    }
    json.end_array();
    json.end_object();
    result.json = json.text();
    return result;
}

EmbeddedWeights embed_int8_weights(const Int8Model& model) {
    EmbeddedWeights result;
    JsonWriter json;
    begin_weights_json(json, weight_encoding_name(WeightEncoding::int8), model.image_rows, model.image_cols,
                       model.sizes());
    json.key("scales").value(scale_kind_name(model.scale_kind));
    json.key("score_fraction_bits").value(static_cast<uint64_t>(kScoreFractionBits));
    json.key("layers").begin_array();
    for (const Int8Layer& layer : model.layers) {
        // The byte layout of model-int8.bin's layer (quant/int8_model_file.h), one field per array.
        ByteWriter weights, biases, multipliers, shifts;
        for (const int8_t w : layer.weights) weights.u8(static_cast<uint8_t>(w));  // two's complement
        for (const int32_t b : layer.biases) biases.u32(static_cast<uint32_t>(b));
        for (const uint32_t m : layer.multipliers) multipliers.u32(m);
        for (const uint8_t r : layer.shifts) shifts.u8(r);
        json.begin_object();
        bytes_field(json, "weights", weights.bytes, result);
        bytes_field(json, "bias", biases.bytes, result);
        bytes_field(json, "multipliers", multipliers.bytes, result);
        bytes_field(json, "shifts", shifts.bytes, result);
        json.end_object();
        result.weight_count += layer.weights.size();
        result.bias_count += layer.outputs;
    }
    json.end_array();
    json.end_object();
    result.json = json.text();
    return result;
}

DemoPage demo_page(const Mlp& mlp, size_t rows, size_t cols, const std::vector<DemoDigit>& digits,
                   WeightEncoding encoding, const std::string& model_name) {
    EmbeddedWeights weights = embed_weights(mlp, rows, cols, encoding, model_name);
    const PageWords words = float_words(weights, encoding);
    return finish_page(mlp.layout.sizes, words, std::move(weights), rows, cols, digits);
}

DemoPage demo_page(const Int8Model& model, const std::vector<DemoDigit>& digits) {
    EmbeddedWeights weights = embed_int8_weights(model);
    const PageWords words = int8_words(weights, model);
    return finish_page(model.sizes(), words, std::move(weights), model.image_rows, model.image_cols, digits);
}

}  // namespace mnist
