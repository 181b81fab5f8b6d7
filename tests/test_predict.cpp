// Tests for train/predict and `mnist predict`: images written to files and read back through predict's
// steps (read_image_file, image_as_input, predict_image) get exactly the labels evaluate() gives them
// (on test-set images when data/ is present, and always on synthetic ones); top_classes; and the
// command's exit statuses: 0 all read, 1 some image failed (the rest still ran), 2 bad usage or model.
// See docs/11-predict.md.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "check.h"
#include "synthetic_data.h"
#include "test_files.h"
#include "cli/cli.h"
#include "cli/run_common.h"
#include "data/image_file.h"
#include "data/mnist_files.h"
#include "data/pnm_writer.h"
#include "data/preprocess.h"
#include "nn/model_file.h"
#include "train/evaluate.h"
#include "train/predict.h"
#include "util/check.h"
#include "util/printable.h"

using namespace mnist;
namespace fs = std::filesystem;
using namespace test_files;

namespace {

// 28x28 images in 10 classes, MNIST's shape: a never-lit 4-pixel border around a 20 x 20 field whose class
// lights one band of two rows (150-255) over a dark, slightly noisy background (0-19).
ImageSet synthetic_images(size_t count, uint64_t seed) {
    synthetic::Spec spec(count, 28, 28, seed);
    spec.classes = 10;
    spec.pattern = synthetic::Pattern::bands;
    spec.border = 4;
    spec.lit_low = 150;
    spec.lit_span = 106;
    spec.noise_span = 20;
    return synthetic::make_images(spec);
}

// Writes images [0, count) of `set` as PGM files, reads each back as predict does, and counts the images
// whose predicted label differs from evaluate()'s.
size_t disagreements(const Mlp& mlp, const ImageSet& set, size_t count, const fs::path& dir) {
    Compute compute(2);
    MlpWorkspace batch_ws = make_mlp_workspace(mlp, 256), one_ws = make_mlp_workspace(mlp, 1);
    std::vector<uint32_t> indices(count);
    for (size_t i = 0; i < count; ++i) indices[i] = static_cast<uint32_t>(i);
    std::vector<uint8_t> expected;
    evaluate(compute, mlp, batch_ws, set, indices, &expected);

    size_t differ = 0;
    for (size_t i = 0; i < count; ++i) {
        const fs::path file = dir / ("image-" + std::to_string(i) + ".pgm");
        write_bytes(file, encode_pgm(&set.pixels[i * set.rows * set.cols], set.cols, set.rows));
        const Image image = read_image_file(file.string());
        const std::vector<uint8_t> input = image_as_input(image, set.rows, set.cols, file.string());
        const Prediction p = predict_image(compute, mlp, one_ws, input.data());
        if (p.label != expected[i]) ++differ;
        fs::remove(file);
    }
    return differ;
}

void test_same_as_evaluate(const fs::path& tmp) {
    const Mlp mlp = make_mlp({784, 64, 32, 10}, 7);
    const ImageSet synthetic = synthetic_images(300, 3);
    CHECK(disagreements(mlp, synthetic, synthetic.count, tmp) == 0);

    MnistData data;
    try {
        data = load_mnist("data");
    } catch (const InputError& e) {
        std::printf("no MNIST files in data/ (%s): the test-set comparison is skipped\n", e.what());
        return;
    }
    const size_t count = 2000;
    const size_t differ = disagreements(mlp, data.test, count, tmp);
    std::printf("test-set images through files: %zu of %zu predicted differently from evaluate()\n", differ, count);
    CHECK(differ == 0);
}

void test_top_classes() {
    const std::vector<float> p = {0.1f, 0.3f, 0.05f, 0.3f, 0.25f};
    const std::vector<size_t> top = top_classes(p, 3);
    CHECK(top.size() == 3 && top[0] == 1 && top[1] == 3 && top[2] == 4);  // the tie in label order
    CHECK(top_classes(p, 9).size() == 5);

    const Mlp mlp = make_mlp({784, 16, 10}, 1);
    Compute compute(1);
    MlpWorkspace ws = make_mlp_workspace(mlp, 1);
    const std::vector<uint8_t> pixels(784, 100);
    const Prediction prediction = predict_image(compute, mlp, ws, pixels.data());
    double sum = 0;
    for (const float v : prediction.probabilities) sum += v;
    CHECK(prediction.probabilities.size() == 10);
    CHECK_NEAR(sum, 1.0, 1e-5);
    CHECK(top_classes(prediction.probabilities, 1)[0] == prediction.label);
}

int run(const std::vector<std::string>& args) { return run_cli(args); }

// The JSON lines of a predict run's output, each checked to be one well-formed object: balanced quotes
// (escapes skipped), starting with '{' and ending with '}', and valid UTF-8 throughout.
bool json_lines_valid(const std::string& text, size_t expected_lines) {
    size_t lines = 0, start = 0;
    while (start < text.size()) {
        const size_t end = text.find('\n', start);
        if (end == std::string::npos) return false;
        const std::string line = text.substr(start, end - start);
        if (line.empty() || line.front() != '{' || line.back() != '}') return false;
        bool in_string = false;
        for (size_t i = 0; i < line.size(); ++i) {
            const unsigned char c = static_cast<unsigned char>(line[i]);
            if (c < 0x20) return false;  // a raw control character (a newline from a file name, say)
            if (c >= 0x80) {
                const size_t n = utf8_sequence_length(line, i);
                if (n == 0) return false;
                i += n - 1;
                continue;
            }
            if (in_string && c == '\\') ++i;
            else if (c == '"') in_string = !in_string;
        }
        if (in_string) return false;
        ++lines;
        start = end + 1;
    }
    return lines == expected_lines;
}

void test_command(const fs::path& tmp, const std::string& self) {
    const std::string model = (tmp / "model.bin").string();
    save_model(model, make_mlp({784, 16, 10}, 5), 28, 28);

    // Files: a digit drawn dark on light at 60x80 (PGM), a 28x28 one light on dark (PPM), a broken PNG.
    std::vector<uint8_t> big(60 * 80, 230);
    for (size_t y = 10; y < 70; ++y)
        for (size_t x = 25; x < 33; ++x) big[y * 60 + x] = 20;
    const std::string drawn = (tmp / "drawn.pgm").string(), small = (tmp / "small.ppm").string(),
                      broken = (tmp / "broken.png").string(), missing = (tmp / "missing.png").string();
    write_bytes(drawn, encode_pgm(big.data(), 60, 80));
    std::string ppm = "P3\n28 28\n255\n";
    for (size_t i = 0; i < 784; ++i) ppm += (i % 28 > 10 && i % 28 < 15 ? "200 200 200\n" : "0 0 0\n");
    write_bytes(small, std::vector<uint8_t>(ppm.begin(), ppm.end()));
    write_bytes(broken, {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0});

    CHECK(run({"predict", "--help"}) == 0);
    CHECK(run({"predict", "--model", model, drawn, small}) == 0);
    CHECK(run({"predict", "--model", model, "--json", drawn, small}) == 0);
    CHECK(run({"predict", "--model", model, "--threads", "1", small, drawn}) == 0);
    // A failing image: exit 1, after the others ran.
    CHECK(run({"predict", "--model", model, drawn, broken, small}) == 1);
    CHECK(run({"predict", "--model", model, "--json", missing}) == 1);
    // --no-preprocess takes the 28x28 image and refuses the 60x80 one.
    CHECK(run({"predict", "--model", model, "--no-preprocess", small}) == 0);
    CHECK(run({"predict", "--model", model, "--no-preprocess", small, drawn}) == 1);

    // --save-preprocessed writes what the network saw: a 28x28 grey PNG per image, named after the file.
    const fs::path saved = tmp / "seen" / "deeper";
    CHECK(run({"predict", "--model", model, "--save-preprocessed", saved.string(), drawn, small}) == 0);
    const std::vector<uint8_t> seen = read_bytes(saved / "drawn.png");
    CHECK(seen.size() > 8);
    if (seen.size() > 8) {
        const Image image = decode_image(seen, "drawn.png");
        const Preprocessed expected = preprocess_digit(read_image_file(drawn), 28, 28, drawn);
        bool same = image.width == 28 && image.height == 28;
        for (size_t i = 0; same && i < 784; ++i) same = image.samples[i] == expected.pixels[i];
        CHECK(same);
        CHECK(expected.inverted);
    }
    CHECK(fs::exists(saved / "small.png"));

    // Issue 15, item 14: sizes are width x height in every message. A model for images 784 wide and 1 high
    // was "1x784" to eval and "784x1" to predict.
    {
        SavedModel flat;
        flat.mlp = make_mlp({784, 4, 10}, 1);
        flat.image_rows = 1;
        flat.image_cols = 784;
        MnistData square;
        square.test.rows = square.test.cols = 28;
        square.num_classes = 10;
        const auto message = [](const auto& f) {
            try {
                f();
            } catch (const InputError& e) {
                return std::string(e.what());
            }
            return std::string();
        };
        CHECK(message([&] { check_model_fits_data(flat, "flat.bin", square, "data"); }).find(
                  "the model reads 784x1 images, but data holds 28x28 images") != std::string::npos);
        Image image;
        image.width = image.height = 28;
        image.channels = 1;
        image.max_value = 255;
        image.samples.assign(784, 0);
        CHECK(message([&] { image_as_input(image, 1, 784, "i.pgm"); }).find("is 28x28 pixels, but the model reads 784x1") !=
              std::string::npos);
    }

    // Issue 15, item 2: --save-preprocessed never writes over an input, and never gives two inputs one
    // name. Saving into the inputs' own folder: the input seven.png stays as it was, its picture goes to
    // seven-2.png; inputs a/x.png, b/x.png and x.ppm (one stem) get x.png, x-2.png, x-3.png.
    {
        const fs::path own = tmp / "own";
        fs::create_directories(own / "a");
        fs::create_directories(own / "b");
        const std::vector<uint8_t> seven = read_bytes(drawn);
        write_bytes(own / "seven.png", read_bytes(saved / "drawn.png"));  // a PNG input
        const std::vector<uint8_t> seven_bytes = read_bytes(own / "seven.png");
        CHECK(run({"predict", "--model", model, "--save-preprocessed", own.string(), (own / "seven.png").string()}) == 0);
        CHECK(read_bytes(own / "seven.png") == seven_bytes);
        CHECK(fs::exists(own / "seven-2.png"));
        // The same with the input named another way (./ and ..): still the same file, still not written.
        const std::string other_spelling = (own / "a" / ".." / "seven.png").string();
        CHECK(run({"predict", "--model", model, "--save-preprocessed", own.string(), other_spelling}) == 0);
        CHECK(read_bytes(own / "seven.png") == seven_bytes);

        write_bytes(own / "a" / "x.png", seven_bytes);
        std::vector<uint8_t> across(40 * 40, 0);  // a horizontal bar (a PGM file: readers go by content)
        for (size_t x = 5; x < 35; ++x) across[20 * 40 + x] = across[21 * 40 + x] = 255;
        write_bytes(own / "b" / "x.png", encode_pgm(across.data(), 40, 40));
        write_bytes(own / "x.ppm", read_bytes(small));
        const fs::path pictures = tmp / "pictures";
        CHECK(run({"predict", "--model", model, "--save-preprocessed", pictures.string(), (own / "a" / "x.png").string(),
                   (own / "b" / "x.png").string(), (own / "x.ppm").string()}) == 0);
        CHECK(fs::exists(pictures / "x.png") && fs::exists(pictures / "x-2.png") && fs::exists(pictures / "x-3.png"));
        // Different inputs, different pictures: the first two differ, so their files must too.
        CHECK(read_bytes(pictures / "x.png") != read_bytes(pictures / "x-2.png"));
        (void)seven;
    }

    // Issue 15, item 9: a device or a FIFO among the images is refused by its kind (not read until memory
    // runs out, or waited on for ever), and the images after it still run: exit 1. As the model: exit 2.
    if (fs::exists("/dev/zero")) {
        CHECK(run({"predict", "--model", model, small, "/dev/zero", drawn}) == 1);
        CHECK(run({"predict", "--model", "/dev/zero", small}) == 2);
    }
    CHECK(run({"predict", "--model", model, tmp.string()}) == 1);  // a folder

    // Issue 15, item 8: a model whose weights are finite but huge (3e38) is refused (2), not answered with
    // "0 (-nan)".
    {
        Mlp huge = make_mlp({784, 16, 10}, 5);
        for (float& w : huge.parameters) w = 3e38f;
        const std::string huge_model = (tmp / "huge.bin").string();
        save_model(huge_model, huge, 28, 28);
        CHECK(run({"predict", "--model", huge_model, small}) == 2);
        CHECK(run({"predict", "--model", huge_model, "--json", small, drawn}) == 2);
    }

    // Issue 15, item 14: file names with a newline, a tab or bytes that are not UTF-8 keep predict's output
    // one line per image: escaped in text, and valid UTF-8 JSON (a stray byte becomes U+FFFD). An empty file
    // name is a usage error, not "test image 0".
    {
        const std::string odd = (tmp / "new\nline\tand \xff\xfe bytes.ppm").string();
        write_bytes(odd, read_bytes(small));
        const std::string out = (tmp / "odd-output.txt").string(), err = (tmp / "odd-errors.txt").string();
        if (child_processes_work(self)) {
            CHECK(run_child(self, {"predict", "--model", model, "--json", odd, odd + ".missing"}, out, err) == 1);
            CHECK(json_lines_valid(read_text(out), 2));
            const std::string errors = read_text(err);
            CHECK(errors.find("new\\nline\\tand \\xFF\\xFE bytes.ppm.missing: cannot open") != std::string::npos);
            CHECK(std::count(errors.begin(), errors.end(), '\n') == 1);
            CHECK(run_child(self, {"predict", "--model", model, odd}, out, err) == 0);
            const std::string text = read_text(out);
            CHECK(std::count(text.begin(), text.end(), '\n') == 1 && text.find("new\\nline") != std::string::npos);
        } else {
            std::printf("child processes unavailable here: the output checks are skipped\n");
        }
        CHECK(run({"predict", "--model", model, ""}) == 2);
    }

    // Usage errors and a bad model: exit 2.
    CHECK(run({"predict", "--model", model}) == 2);                                   // no images
    CHECK(run({"predict", "--model", model, "--index", "3", drawn}) == 2);            // both
    CHECK(run({"predict", "--model", model, "--data", "data", drawn}) == 2);         // --data without --index
    CHECK(run({"predict", "--model", model, "--frobnicate", drawn}) == 2);
    CHECK(run({"predict", "--model", (tmp / "no-model.bin").string(), drawn}) == 2);
    CHECK(run({"predict", "--model", drawn, drawn}) == 2);                           // not a model
    // A model for other image sizes still takes preprocessed images (scaled to its size), and refuses
    // images of another size with --no-preprocess.
    const std::string model8 = (tmp / "model8.bin").string();
    save_model(model8, make_mlp({64, 8, 3}, 5), 8, 8);
    CHECK(run({"predict", "--model", model8, drawn}) == 0);
    CHECK(run({"predict", "--model", model8, "--no-preprocess", small}) == 1);

    // --index on a small data set in MNIST's format, and its mistakes.
    const fs::path data = tmp / "data";
    fs::create_directories(data);
    const ImageSet set = synthetic_images(12, 9);
    synthetic::write_mnist_files(data, set, set);
    const std::string D = data.string();
    CHECK(run({"predict", "--model", model, "--data", D, "--index", "3"}) == 0);
    CHECK(run({"predict", "--model", model, "--data", D, "--index", "0-11", "--json", "--no-preprocess"}) == 0);
    CHECK(run({"predict", "--model", model, "--data", D, "--index", "12"}) == 2);
    CHECK(run({"predict", "--model", model, "--data", D, "--index", "5-2"}) == 2);
    CHECK(run({"predict", "--model", model, "--data", D, "--index", "x"}) == 2);
    CHECK(run({"predict", "--model", model, "--data", D, "--index", "-3"}) == 2);
    CHECK(run({"predict", "--model", model8, "--data", D, "--index", "3"}) == 2);  // the model reads 8x8
}

}  // namespace

int main(int argc, char** argv) {
    if (argc >= 2 && std::string(argv[1]) == "--child") return run_cli(std::vector<std::string>(argv + 2, argv + argc));
    const std::string self = argv[0];
    const std::string stamp = std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
    const fs::path tmp = fs::temp_directory_path() / ("mnist_test_predict_" + stamp);
    fs::create_directories(tmp);
    try {
        test_same_as_evaluate(tmp);
        test_top_classes();
        test_command(tmp, self);
    } catch (const std::exception& e) {
        CHECK_MSG(false, std::string("unexpected exception: ") + e.what());
    }
    fs::remove_all(tmp);
    return check_exit("test_predict");
}
