// Tests for quant/export_c (`mnist export-c`): the C it writes for a small synthetic int8 network is kept in
// tests/export_c/ and compiled by the C compiler (strict C99, freestanding, warnings as errors: the Makefile
// and CMakeLists.txt link it into this test), so this test can check, on whatever machine it runs on:
//   - export_c() still writes exactly those files (else: `obj/tests/test_export_c --update` rewrites them);
//   - the compiled C's mnist_predict gives the same ten int32 scores and class as int8_forward (the C++
//     path) for 20,000 random and hand-made images, with sums, shifts and saturation at their limits;
//   - the exported text uses no floating point, no library and no heap;
//   - export_test_images() states the count, right answers and CRC-32 that int8_forward gives.
// See docs/13-quantisation.md.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "check.h"
#include "test_files.h"
#include "quant/export_c.h"
#include "quant/int8_model.h"
#include "util/output_file.h"
#include "util/rng.h"

extern "C" {
#include "export_c/mnist_model.h"  // the prototype and sizes only (the tables are in the compiled .c)
}

using namespace mnist;

namespace {

// The synthetic network of tests/export_c/: 16 -> 12 -> 8 -> 5 on 4 x 4 images, drawn from a fixed seed
// with integers only (so it is the same on every machine). Weights cover -127..127; biases are mostly
// moderate with some at +-2^30; most hidden shifts put outputs inside 0..255, a few saturate at 0 or 255 or
// round everything to 0; the output layer mixes small scores, large ones and ones saturated at the int32
// limits (shift 1 with the largest multiplier).
Int8Model synthetic_model() {
    Rng rng = make_rng(2024, 18);
    auto below = [&](uint64_t n) { return uniform_below(rng, n); };
    Int8Model m;
    m.image_rows = 4;
    m.image_cols = 4;
    m.scale_kind = ScaleKind::per_row;
    m.float_model_crc = 0x12345678u;
    const size_t sizes[] = {16, 12, 8, 5};
    for (size_t l = 0; l < 3; ++l) {
        Int8Layer layer;
        layer.inputs = sizes[l];
        layer.outputs = sizes[l + 1];
        const bool last = l == 2;
        for (size_t i = 0; i < layer.inputs * layer.outputs; ++i)
            layer.weights.push_back(static_cast<int8_t>(static_cast<int>(below(255)) - 127));
        for (size_t j = 0; j < layer.outputs; ++j) {
            const uint64_t kind = below(8);
            const int32_t bias = kind == 0   ? kMaxInt8Bias
                                 : kind == 1 ? -kMaxInt8Bias
                                             : static_cast<int32_t>(below(200001)) - 100000;
            layer.biases.push_back(bias);
            uint32_t multiplier = static_cast<uint32_t>((uint64_t(1) << 30) + below(uint64_t(1) << 30));
            unsigned shift = last ? static_cast<unsigned>(20 + below(21)) : static_cast<unsigned>(36 + below(8));
            if (j == 0) shift = last ? 1 : 62;                 // saturates (scores) / rounds to 0 (hidden)
            if (j == 1 && last) multiplier = 0x7FFFFFFFu;     // with shift 1 below: beyond int32 either way
            if (j == 1) shift = last ? 1 : 30;                 // hidden: saturates at 255 or 0
            if (j == 2) multiplier = static_cast<uint32_t>(below(1000));  // not normalised: allowed
            layer.multipliers.push_back(multiplier);
            layer.shifts.push_back(static_cast<uint8_t>(shift));
        }
        m.layers.push_back(layer);
    }
    return m;
}

bool contains(const std::string& text, const char* word) { return text.find(word) != std::string::npos; }

// The identifiers and keywords of C source text, in order, leaving out /* comments */ and "strings".
std::vector<std::string> identifiers_outside_comments(const std::string& text) {
    std::vector<std::string> words;
    std::string word;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text.compare(i, 2, "/*") == 0) {
            const size_t end = text.find("*/", i + 2);
            i = end == std::string::npos ? text.size() : end + 1;
        } else if (text[i] == '"') {
            const size_t end = text.find('"', i + 1);
            i = end == std::string::npos ? text.size() : end;
        } else if (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '_') {
            word += text[i];
            continue;
        }
        if (!word.empty() && !std::isdigit(static_cast<unsigned char>(word[0]))) words.push_back(word);
        word.clear();
    }
    return words;
}

}  // namespace

int main(int argc, char** argv) {
    const Int8Model model = synthetic_model();
    const ExportedC c = export_c(model);

    // ---- The files in tests/export_c/ are what export_c() writes today.
    if (argc > 1 && std::string(argv[1]) == "--update") {
        write_file_atomic("tests/export_c/mnist_model.h", c.header);
        write_file_atomic("tests/export_c/mnist_model.c", c.source);
        std::printf("rewrote tests/export_c/mnist_model.h and .c; rebuild and run the test again\n");
        return 0;
    }
    const std::string header = test_files::read_text("tests/export_c/mnist_model.h");
    const std::string source = test_files::read_text("tests/export_c/mnist_model.c");
    if (header.empty() || source.empty()) SKIP_TEST("run from the top folder: tests/export_c/ not found");
    const char* update = "export_c() writes other text than tests/export_c/: if that is intended, run "
                         "obj/tests/test_export_c --update from the top folder, rebuild, and look at the diff";
    CHECK_MSG(header == c.header, update);
    CHECK_MSG(source == c.source, update);

    // ---- The compiled C against int8_forward, score by score.
    CHECK(MNIST_INPUTS == 16 && MNIST_CLASSES == 5 && MNIST_LAYERS == 3 && MNIST_MAX_WIDTH == 12);
    Int8Workspace ws = make_int8_workspace(model);
    Rng rng = make_rng(7, 18);
    size_t images = 0, differing = 0, saturated = 0, zero_hidden = 0;
    std::vector<uint8_t> pixels(16);
    for (int i = 0; i < 20000; ++i) {
        // Random bytes, then images of all 0, all 255, and alternating 0/255.
        for (size_t k = 0; k < 16; ++k) {
            pixels[k] = i == 0 ? 0 : i == 1 ? 255 : i == 2 ? static_cast<uint8_t>(k % 2 ? 255 : 0)
                                                           : static_cast<uint8_t>(uniform_below(rng, 256));
            if (i > 2 && i % 3 == 0) pixels[k] = static_cast<uint8_t>(uniform_below(rng, 2) * 255);  // extremes
        }
        int32_t cpp[5], exported[5];
        const size_t cpp_class = int8_forward(model, ws, pixels.data(), cpp);
        std::memset(exported, 0x55, sizeof exported);
        const int exported_class = mnist_predict(pixels.data(), exported);
        ++images;
        if (std::memcmp(cpp, exported, sizeof cpp) != 0 || static_cast<size_t>(exported_class) != cpp_class) {
            if (differing++ < 5)
                std::fprintf(stderr, "image %d: C++ %d %d %d %d %d (class %zu), C %d %d %d %d %d (class %d)\n", i,
                             cpp[0], cpp[1], cpp[2], cpp[3], cpp[4], cpp_class, exported[0], exported[1], exported[2],
                             exported[3], exported[4], exported_class);
        }
        saturated += cpp[0] == INT32_MAX || cpp[0] == INT32_MIN || cpp[1] == INT32_MAX || cpp[1] == INT32_MIN;
        zero_hidden += ws.b[0] == 0;  // layer 2's unit 0 (shift 62): always rounds to 0
    }
    std::printf("%zu images: %zu differ between the C++ path and the compiled C (%zu with saturated scores)\n", images,
                differing, saturated);
    CHECK(differing == 0);
    CHECK(saturated == images);      // units 0 and 1 of the output layer saturate on every image
    CHECK(zero_hidden == images);

    // ---- No floating point, no library, no heap in what a microcontroller compiles: outside comments, no such
    // identifier appears, and the only header included is <stdint.h>.
    for (const std::string* text : {&c.header, &c.source}) {
        const std::vector<std::string> words = identifiers_outside_comments(*text);
        for (const char* banned : {"float", "double", "malloc", "calloc", "realloc", "free", "printf", "memcpy",
                                   "memset", "long"})
            CHECK(std::find(words.begin(), words.end(), banned) == words.end());
        CHECK(std::count(words.begin(), words.end(), "include") == 1);
    }
    CHECK(contains(c.header, "#include <stdint.h>") && contains(c.source, "#include \"mnist_model.h\""));
    CHECK(contains(c.header, "static const int8_t mnist_weights_1[192]"));
    CHECK(contains(c.header, "#define MNIST_STACK_BUFFER_BYTES (2 * MNIST_MAX_WIDTH)"));

    // ---- The firmware's test-image header: the count, the right answers and the CRC-32 of int8_forward.
    {
        ImageSet set;
        set.count = 3;
        set.rows = 4;
        set.cols = 4;
        for (size_t i = 0; i < 48; ++i) set.pixels.push_back(static_cast<uint8_t>(i * 5));
        set.labels = {1, 2, 3};
        uint32_t crc = 0;
        size_t correct = 0;
        for (size_t i = 0; i < 2; ++i) {
            int32_t scores[5];
            correct += int8_forward(model, ws, &set.pixels[i * 16], scores) == set.labels[i];
            crc = crc32_scores(crc, scores, 5);
        }
        const std::string text = export_test_images(model, set, 2);
        char expected[96];
        std::snprintf(expected, sizeof expected, "#define MNIST_TEST_EXPECTED_CRC32 0x%08xu\n", crc);
        CHECK(contains(text, expected));
        std::snprintf(expected, sizeof expected, "#define MNIST_TEST_EXPECTED_CORRECT %zuu\n", correct);
        CHECK(contains(text, expected));
        CHECK(contains(text, "#define MNIST_TEST_COUNT 2\n"));
        CHECK(contains(text, "static const uint8_t mnist_test_pixels[32] = {"));
        CHECK(contains(text, "static const uint8_t mnist_test_labels[2] = {\n    1, 2\n};"));
    }
    return check_exit("test_export_c");
}
