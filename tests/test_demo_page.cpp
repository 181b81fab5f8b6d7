// Tests for demo.html's C++ side (docs/14-draw-a-digit.md): the embedded weights (decoded back, bit for bit),
// the test digits picked, the page (offline, its stated size, the elements its script looks up), and
// `mnist demo`'s files and exit statuses. The page's script runs in a browser: tests/browser/demo_page_test.py;
// float16 itself: tests/test_float16.cpp. The int8 page (an int8 model's numbers as model-int8.bin holds them)
// is checked here byte for byte; its integer scores against the C++ program's in the browser test.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "check.h"
#include "synthetic_data.h"
#include "test_files.h"
#include "cli/cli.h"
#include "nn/model_file.h"
#include "quant/int8_model_file.h"
#include "quant/quantize.h"
#include "report/demo_page.h"
#include "util/parse.h"
#include "report/demo_page_script.h"
#include "util/base64.h"
#include "util/check.h"
#include "util/float16.h"
#include "util/float_bits.h"

using namespace mnist;
namespace fs = std::filesystem;
using namespace test_files;

namespace {

// Base64 back to bytes (RFC 4648 alphabet, '=' padding), for reading the page's data.
std::vector<uint8_t> base64_decode(const std::string& text) {
    const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::vector<uint8_t> out;
    uint32_t group = 0;
    int bits = 0;
    for (const char c : text) {
        if (c == '=') break;
        group = (group << 6) | static_cast<uint32_t>(alphabet.find(c));
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<uint8_t>(group >> bits));
        }
    }
    return out;
}

// The value of the JSON string field `key` that follows position `from` in `json`.
std::string json_string(const std::string& json, const std::string& key, size_t from = 0) {
    const size_t at = json.find("\"" + key + "\":\"", from);
    if (at == std::string::npos) return "";
    const size_t start = at + key.size() + 4;
    return json.substr(start, json.find('"', start) - start);
}

// A 3 -> 2 -> 2 network with chosen parameters.
Mlp small_mlp() {
    Mlp mlp = make_mlp({3, 2, 2}, 1);
    const std::vector<float> values = {1.0f, -2.0f, 0.1f, 65504.0f, 1e-8f, 0.333f,   // W(1) [2 x 3]
                                       0.25f, -0.125f,                                // b(1)
                                       3.0f, -1e-3f, 7.5f, 0.0f,                       // W(2) [2 x 2]
                                       1.0f / 3.0f, -0.7f};                            // b(2)
    CHECK(values.size() == mlp.parameters.size());
    mlp.parameters = values;
    return mlp;
}

void test_embedded_weights() {
    const Mlp mlp = small_mlp();
    const EmbeddedWeights half = embed_weights(mlp, 1, 3, WeightEncoding::float16, "small.bin");
    CHECK(half.json.find("\"format\":\"mnist-demo-weights\",\"version\":1,\"encoding\":\"float16\"") != std::string::npos);
    CHECK(half.json.find("\"rows\":1,\"cols\":3,\"sizes\":[3,2,2]") != std::string::npos);
    CHECK(half.weight_count == 10 && half.bias_count == 4);
    CHECK(half.binary_bytes == 10 * 2 + 4 * 4);
    // Layer by layer: weights as float16 codes, little-endian; biases as float32 bits, little-endian.
    size_t from = 0, wrong = 0, base64 = 0;
    for (size_t l = 0; l < mlp.layers(); ++l) {
        from = half.json.find("{\"weights\"", from + 1);
        const std::string w64 = json_string(half.json, "weights", from), b64 = json_string(half.json, "bias", from);
        base64 += w64.size() + b64.size();
        const std::vector<uint8_t> w = base64_decode(w64), b = base64_decode(b64);
        const size_t count = mlp.layout.outputs(l) * mlp.layout.inputs(l), outputs = mlp.layout.outputs(l);
        CHECK(w.size() == 2 * count && b.size() == 4 * outputs);
        for (size_t i = 0; i < count && 2 * i + 1 < w.size(); ++i) {
            const uint16_t code = static_cast<uint16_t>(w[2 * i] | (w[2 * i + 1] << 8));
            wrong += code != float_to_half(mlp.parameters[mlp.layout.weight_offset[l] + i]);
        }
        for (size_t o = 0; o < outputs && 4 * o + 3 < b.size(); ++o) {
            const uint32_t bits = b[4 * o] | (b[4 * o + 1] << 8) | (b[4 * o + 2] << 16) | (uint32_t{b[4 * o + 3]} << 24);
            wrong += bits_to_float(bits) != mlp.parameters[mlp.layout.bias_offset[l] + o];
        }
    }
    CHECK(wrong == 0);
    CHECK(base64 == half.base64_chars);
    // The first weights, by hand: 1 -> 00 3C, -2 -> 00 C0, 0.1 -> 66 2E, 65504 -> FF 7B, 1e-8 -> 00 00 (below
    // 2^-25), 0.333 -> 0x3554.
    CHECK(base64_decode(json_string(half.json, "weights")) ==
          std::vector<uint8_t>({0x00, 0x3C, 0x00, 0xC0, 0x66, 0x2E, 0xFF, 0x7B, 0x00, 0x00, 0x54, 0x35}));

    const EmbeddedWeights full = embed_weights(mlp, 1, 3, WeightEncoding::float32, "small.bin");
    CHECK(full.json.find("\"encoding\":\"float32\"") != std::string::npos);
    CHECK(full.binary_bytes == 14 * 4);
    const std::vector<uint8_t> w = base64_decode(json_string(full.json, "weights"));
    CHECK(w.size() == 24 && bits_to_float(w[4] | (w[5] << 8) | (w[6] << 16) | (uint32_t{w[7]} << 24)) == -2.0f);

    // A weight past float16's range: float32 by default, refused as float16, naming the model.
    CHECK(default_weight_encoding(mlp) == WeightEncoding::float16);
    Mlp big = mlp;
    big.parameters[3] = -70000.0f;
    CHECK(default_weight_encoding(big) == WeightEncoding::float32);
    check_error_message<InputError>([&] { embed_weights(big, 1, 3, WeightEncoding::float16, "big.bin"); }, "big.bin",
                                    "does not fit float16", __FILE__, __LINE__);
    big.parameters[3] = 1.0f;
    big.parameters[6] = 70000.0f;  // a bias: biases are float32 in either encoding
    CHECK(default_weight_encoding(big) == WeightEncoding::float16);
    CHECK(embed_weights(big, 1, 3, WeightEncoding::float16, "big.bin").bias_count == 4);
}

void test_digits() {
    ImageSet set;
    set.count = 6;
    set.rows = 1;
    set.cols = 2;
    set.labels = {3, 1, 1, 0, 3, 2};
    set.pixels = {30, 31, 10, 11, 12, 13, 0, 1, 32, 33, 20, 21};
    const std::vector<DemoDigit> digits = pick_demo_digits(set, 5);  // no 4 in the set
    CHECK(digits.size() == 4);
    const size_t index[] = {3, 1, 5, 0};
    for (size_t k = 0; k < digits.size() && k < 4; ++k) {
        CHECK(digits[k].label == k && digits[k].index == index[k]);
        CHECK(digits[k].pixels == std::vector<uint8_t>(set.pixels.begin() + 2 * index[k], set.pixels.begin() + 2 * index[k] + 2));
    }
    CHECK(pick_demo_digits(set, 2).size() == 2);
    CHECK(with_thousands(0) == "0" && with_thousands(999) == "999" && with_thousands(1000) == "1,000" &&
          with_thousands(1562825) == "1,562,825");
}

// A 3 -> 2 -> 2 int8 model with chosen numbers: negative weights (two's complement in the page), a negative
// bias, the largest multiplier and shift the format allows.
Int8Model small_int8_model() {
    Int8Model model;
    model.image_rows = 1;
    model.image_cols = 3;
    model.scale_kind = ScaleKind::per_row;
    Int8Layer hidden;
    hidden.inputs = 3;
    hidden.outputs = 2;
    hidden.weights = {1, -1, 127, -127, 0, 64};
    hidden.biases = {-5, 1 << 30};
    hidden.multipliers = {0x7FFFFFFF, 1};
    hidden.shifts = {62, 1};
    Int8Layer last;
    last.inputs = 2;
    last.outputs = 2;
    last.weights = {-2, 3, 4, -127};
    last.biases = {-(1 << 30), 7};
    last.multipliers = {1 << 30, 12345};
    last.shifts = {31, 9};
    model.layers = {hidden, last};
    return model;
}

void test_int8_weights() {
    const Int8Model model = small_int8_model();
    const EmbeddedWeights q = embed_int8_weights(model);
    CHECK(q.json.find("\"format\":\"mnist-demo-weights\",\"version\":1,\"encoding\":\"int8\","
                      "\"rows\":1,\"cols\":3,\"sizes\":[3,2,2],\"scales\":\"per-row\",\"score_fraction_bits\":16")
          != std::string::npos);
    CHECK(q.weight_count == 10 && q.bias_count == 4);
    CHECK(q.binary_bytes == 10 + 4 * (4 + 4 + 1));
    // Each layer's fields are the bytes model-int8.bin holds for it, in the same order.
    const std::vector<uint8_t> file = encode_int8_model(model);
    std::vector<uint8_t> fields;
    size_t from = 0, base64 = 0;
    for (size_t l = 0; l < model.layers.size(); ++l) {
        from = q.json.find("{\"weights\"", from + 1);
        for (const char* key : {"weights", "bias", "multipliers", "shifts"}) {
            const std::string text = json_string(q.json, key, from);
            base64 += text.size();
            const std::vector<uint8_t> bytes = base64_decode(text);
            fields.insert(fields.end(), bytes.begin(), bytes.end());
        }
    }
    CHECK(base64 == q.base64_chars);
    const size_t header = 24 + 4 * 3 + 5;  // magic .. sizes, scale kind, float model CRC
    CHECK(file.size() == header + fields.size() + 4);
    CHECK(std::equal(fields.begin(), fields.end(), file.begin() + static_cast<std::ptrdiff_t>(header)));
    // By hand: weights 1 -1 127 -127 0 64 -> 01 FF 7F 81 00 40; the first bias -5 -> FB FF FF FF; the shifts.
    CHECK(base64_decode(json_string(q.json, "weights")) == std::vector<uint8_t>({0x01, 0xFF, 0x7F, 0x81, 0x00, 0x40}));
    CHECK(base64_decode(json_string(q.json, "bias")) ==
          std::vector<uint8_t>({0xFB, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x40}));
    CHECK(base64_decode(json_string(q.json, "shifts")) == std::vector<uint8_t>({62, 1}));
    // A float network has no int8 encoding.
    bool refused = false;
    try {
        embed_weights(small_mlp(), 1, 3, WeightEncoding::int8, "small.bin");
    } catch (const std::invalid_argument&) {
        refused = true;
    }
    CHECK(refused);

    // The int8 page: says what it holds, states its own size, the same script.
    DemoDigit digit;
    digit.index = 4;
    digit.label = 1;
    digit.pixels = {0, 128, 255};
    const DemoPage page = demo_page(model, {digit});
    CHECK(page.digits == 1 && page.weights.json.empty() && page.weights.binary_bytes == q.binary_bytes);
    CHECK(page.html.find("<p>" + with_thousands(page.html.size()) + " bytes, one file") != std::string::npos);
    CHECK(page.html.find("<title>Draw a digit: mnist, int8</title>") != std::string::npos);
    CHECK(page.html.find("The int8 network of this run (3 \u2192 2 \u2192 2)") != std::string::npos);
    CHECK(page.html.find("\"encoding\":\"int8\"") != std::string::npos);
    CHECK(page.html.find(demo_page_script()) != std::string::npos);
}

void test_page() {
    const Mlp mlp = make_mlp({16, 8, 3}, 7);
    DemoDigit digit;
    digit.index = 12;
    digit.label = 2;
    digit.pixels.assign(16, 200);
    const DemoPage page = demo_page(mlp, 4, 4, {digit}, WeightEncoding::float16, "m.bin");
    const std::string& html = page.html;
    CHECK(html.compare(0, 15, "<!DOCTYPE html>") == 0);
    CHECK(page.digits == 1 && page.weights.json.empty() && page.weights.weight_count == 16 * 8 + 8 * 3);
    // The size it states is its own.
    CHECK(html.find("<p>" + with_thousands(html.size()) + " bytes, one file") != std::string::npos);
    // Offline: no URL, no external script, style sheet or image.
    for (const char* bad : {"http:", "https:", "src=", "<link", "@import", "url("}) {
        CHECK_MSG(html.find(bad) == std::string::npos, format_message("the page holds \"%s\"", bad));
    }
    // Three scripts: the weights and the digits (JSON, no '<' inside), then the program.
    size_t scripts = 0;
    for (size_t at = html.find("<script"); at != std::string::npos; at = html.find("<script", at + 1)) ++scripts;
    CHECK(scripts == 3);
    const size_t weights = html.find("<script type=\"application/json\" id=\"mnist-weights\">");
    const size_t digits = html.find("<script type=\"application/json\" id=\"mnist-digits\">");
    CHECK(weights != std::string::npos && digits != std::string::npos);
    CHECK(html.find('<', weights + 10) == html.find("</script>", weights));
    CHECK(html.find('<', digits + 10) == html.find("</script>", digits));
    CHECK(html.find("\"index\":12,\"label\":2,\"pixels\":\"" + base64_encode(digit.pixels) + "\"") != std::string::npos);
    CHECK(html.find("\"encoding\":\"float16\",\"rows\":4,\"cols\":4,\"sizes\":[16,8,3]") != std::string::npos);
    // Every element the script looks up is in the page.
    size_t lookups = 0;
    for (size_t at = html.find("getElementById('"); at != std::string::npos; at = html.find("getElementById('", at + 1)) {
        const size_t start = at + 16;
        const std::string id = html.substr(start, html.find('\'', start) - start);
        ++lookups;
        CHECK_MSG(html.find("id=\"" + id + "\"") != std::string::npos, "no element with id " + id);
    }
    CHECK(lookups >= 8);
    // The script, style and markup are each one raw string literal: under the 65,536 characters compilers
    // must support.
    CHECK(std::strlen(demo_page_script()) < 65536 && std::strlen(demo_page_style()) < 65536 &&
          std::strlen(demo_page_markup()) < 65536);
    // float32 pages are twice the weights' bytes, and say so.
    const DemoPage full = demo_page(mlp, 4, 4, {}, WeightEncoding::float32, "m.bin");
    CHECK(full.weights.binary_bytes == (16 * 8 + 8 * 3) * 4 + (8 + 3) * 4);
    CHECK(full.html.find("as float32 (4 bytes each)") != std::string::npos);
    CHECK(full.html.find("\"digits\":[]") != std::string::npos);
}

void test_command(const fs::path& tmp) {
    const fs::path data = tmp / "data";
    synthetic::write_quadrant_data_set(data, 40, 30, 8);  // 8 x 8 images, 3 classes
    const fs::path model_dir = tmp / "model";
    fs::create_directories(model_dir);
    const std::string model = (model_dir / "model.bin").string();
    const Mlp mlp = make_mlp({64, 8, 3}, 3);
    save_model(model, mlp, 8, 8);
    const std::string D = data.string();

    // Default --out: demo.html beside the model; the same page demo_page() makes.
    CHECK(run_cli({"demo", "--model", model, "--data", D}) == 0);
    CHECK(fs::exists(model_dir / "demo.html"));
    const ImageSet test = load_mnist(D).test;
    const std::string expected = demo_page(mlp, 8, 8, pick_demo_digits(test, 3), WeightEncoding::float16, model).html;
    CHECK(read_text(model_dir / "demo.html") == expected);
    const fs::path out = tmp / "page.html";
    CHECK(run_cli({"demo", "--model", model, "--data", D, "--out", out.string(), "--weights", "float32"}) == 0);
    CHECK(read_text(out).find("\"encoding\":\"float32\"") != std::string::npos);
    CHECK(run_cli({"demo", "--help"}) == 0);

    // An int8 model: demo-int8.html beside it by default, the page demo_page() makes of it; --weights is for
    // float models, and --weights int8 on a float model points to quantize.
    const Int8Model int8 = quantize_mlp(mlp, 8, 8, {1.0}, ScaleKind::per_row, 0).model;
    const std::string q = (model_dir / "model-int8.bin").string();
    save_int8_model(q, int8);
    CHECK(run_cli({"demo", "--model", q, "--data", D}) == 0);
    CHECK(fs::exists(model_dir / "demo-int8.html"));
    CHECK(read_text(model_dir / "demo-int8.html") == demo_page(int8, pick_demo_digits(test, 3)).html);
    CHECK(run_cli({"demo", "--model", q, "--data", D, "--weights", "float16"}) == 2);
    CHECK(run_cli({"demo", "--model", model, "--data", D, "--weights", "int8"}) == 2);

    // Exit 2: bad usage, a missing model or data folder named on the command line, data of another size.
    CHECK(run_cli({"demo", "--model", model, "--data", D, "--weights", "int4"}) == 2);
    CHECK(run_cli({"demo", "--model", model, "--data", D, "--frobnicate"}) == 2);
    CHECK(run_cli({"demo", "--model", model, "--data", D, "stray"}) == 2);
    CHECK(run_cli({"demo", "--model", (tmp / "none.bin").string(), "--data", D}) == 2);
    CHECK(run_cli({"demo", "--model", model, "--data", (tmp / "no-data").string()}) == 2);
    synthetic::write_quadrant_data_set(tmp / "six", 40, 30, 6);
    CHECK(run_cli({"demo", "--model", model, "--data", (tmp / "six").string()}) == 2);
    // Exit 1: the page cannot be written.
    CHECK(run_cli({"demo", "--model", model, "--data", D, "--out", (tmp / "no-folder" / "x.html").string()}) == 1);
}

}  // namespace

int main() {
    const std::string stamp = std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
    const fs::path tmp = fs::temp_directory_path() / ("mnist_test_demo_page_" + stamp);
    fs::create_directories(tmp);
    try {
        test_embedded_weights();
        test_digits();
        test_page();
        test_int8_weights();
        test_command(tmp);
    } catch (const std::exception& e) {
        CHECK_MSG(false, std::string("unexpected exception: ") + e.what());
    }
    fs::remove_all(tmp);
    return check_exit("test_demo_page");
}
