// demo.html from a model: the weights and test digits as JSON blocks of base64 that the page's script reads,
// the sentences that state sizes, and the fixed style, markup and script of demo_page_script.cpp.
#include "report/demo_page.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "codec/byte_io.h"
#include "report/demo_page_script.h"
#include "report/svg.h"
#include "util/base64.h"
#include "util/check.h"
#include "util/float16.h"
#include "util/json.h"

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

// The page around the data. `total_bytes` is the size of the page itself, stated in it.
std::string assemble(const Mlp& mlp, const EmbeddedWeights& weights, const std::string& weights_json,
                     const std::string& digits_json, size_t digit_count, WeightEncoding encoding,
                     uint64_t total_bytes) {
    const bool half = encoding == WeightEncoding::float16;
    std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                       "<title>Draw a digit: mnist</title>\n<style>\n";
    html += demo_page_style();
    html += "</style>\n</head>\n<body>\n<header>\n<h1>Draw a digit</h1>\n<p class=\"lead\">The network of this run (" +
            xml_escape(shape_text(mlp.layout.sizes)) +
            ") answers while you draw. Everything happens in this page: no network, no server.</p>\n"
            "<noscript><p class=\"warning\">This page needs JavaScript to draw and to run the network.</p></noscript>\n"
            "</header>\n";
    html += demo_page_markup();
    html += "<section id=\"about\">\n<h2>This file</h2>\n<p>" + with_thousands(total_bytes) +
            " bytes, one file that opens offline. It holds the " + with_thousands(weights.weight_count) +
            " weights as " + (half ? "float16 (2 bytes each" : "float32 (4 bytes each") + ") and the " +
            with_thousands(weights.bias_count) + " biases as float32: " + with_thousands(weights.binary_bytes) +
            " bytes, written as " + with_thousands(weights.base64_chars) + " characters of base64; " +
            std::to_string(digit_count) + " test digits; and the script that prepares your drawing as " +
            "<code>mnist predict</code> prepares an image file and runs the network as the C++ program does" +
            (half ? " (with the weights rounded to float16, so its probabilities may differ from the program's "
                    "slightly: by less than 0.0001 in the tests)."
                  : ".") +
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

}  // namespace

const char* weight_encoding_name(WeightEncoding encoding) {
    return encoding == WeightEncoding::float16 ? "float16" : "float32";
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
    const bool half = encoding == WeightEncoding::float16;
    if (half) {
        const float largest = largest_weight(mlp);
        if (!(largest <= kLargestHalf))
            throw InputError(model_name + ": a weight of magnitude " + std::to_string(largest) +
                             " does not fit float16 (largest 65504); use --weights float32");
    }
    EmbeddedWeights result;
    JsonWriter json;
    json.begin_object();
    json.key("format").value("mnist-demo-weights").key("version").value(uint64_t{1});
    json.key("encoding").value(weight_encoding_name(encoding));
    json.key("rows").value(static_cast<uint64_t>(rows)).key("cols").value(static_cast<uint64_t>(cols));
    json.key("sizes").begin_array();
    for (const size_t s : mlp.layout.sizes) json.value(static_cast<uint64_t>(s));
    json.end_array();
    json.key("layers").begin_array();
    for (size_t l = 0; l < mlp.layers(); ++l) {
        const size_t outputs = mlp.layout.outputs(l), count = outputs * mlp.layout.inputs(l);
        const std::vector<uint8_t> w = encode_numbers(&mlp.parameters[mlp.layout.weight_offset[l]], count, half);
        const std::vector<uint8_t> b = encode_numbers(&mlp.parameters[mlp.layout.bias_offset[l]], outputs, false);
        const std::string w64 = base64_encode(w), b64 = base64_encode(b);
        json.begin_object().key("weights").value(w64).key("bias").value(b64).end_object();
        result.weight_count += count;
        result.bias_count += outputs;
        result.binary_bytes += w.size() + b.size();
        result.base64_chars += w64.size() + b64.size();
    }
    json.end_array();
    json.end_object();
    result.json = json.text();
    return result;
}

DemoPage demo_page(const Mlp& mlp, size_t rows, size_t cols, const std::vector<DemoDigit>& digits,
                   WeightEncoding encoding, const std::string& model_name) {
    DemoPage page;
    page.weights = embed_weights(mlp, rows, cols, encoding, model_name);
    page.digits = digits.size();
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
    // The page states its own size, which depends on how many digits that number has: assemble until the
    // stated size is the real one (twice at most, unless the count crosses a power of ten).
    uint64_t stated = 0;
    for (;;) {
        page.html = assemble(mlp, page.weights, page.weights.json, json.text(), digits.size(), encoding, stated);
        if (page.html.size() == stated) break;
        stated = page.html.size();
    }
    page.weights.json.clear();
    return page;
}

std::string with_thousands(uint64_t value) {
    std::string digits = std::to_string(value), out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

}  // namespace mnist
