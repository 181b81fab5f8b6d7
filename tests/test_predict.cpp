// Tests for train/predict and `mnist predict`: images written to files and read back through predict's
// steps (read_image_file, image_as_input, predict_image) get exactly the labels evaluate() gives them
// (on test-set images when data/ is present, and always on synthetic ones); top_classes; and the
// command's exit statuses: 0 all read, 1 some image failed (the rest still ran), 2 bad usage or model.
// See docs/11-predict.md.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "check.h"
#include "test_files.h"
#include "cli/cli.h"
#include "data/image_file.h"
#include "data/mnist_files.h"
#include "data/pnm_writer.h"
#include "data/preprocess.h"
#include "nn/model_file.h"
#include "train/evaluate.h"
#include "train/predict.h"
#include "util/check.h"
#include "util/rng.h"

using namespace mnist;
namespace fs = std::filesystem;
using namespace test_files;

namespace {

// 28x28 images of random strokes: a few bright rectangles on a dark, slightly noisy background.
ImageSet synthetic_images(size_t count, uint64_t seed) {
    ImageSet set;
    set.count = count;
    set.rows = set.cols = 28;
    set.pixels.assign(count * 784, 0);
    Rng rng = make_rng(seed, 0);
    for (size_t i = 0; i < count; ++i) {
        uint8_t* image = &set.pixels[i * 784];
        for (size_t p = 0; p < 784; ++p) image[p] = static_cast<uint8_t>(uniform_below(rng, 20));
        for (int stroke = 0; stroke < 3; ++stroke) {
            const size_t r0 = 4 + uniform_below(rng, 16), c0 = 4 + uniform_below(rng, 16);
            const size_t h = 2 + uniform_below(rng, 8), w = 2 + uniform_below(rng, 8);
            for (size_t r = r0; r < r0 + h && r < 28; ++r)
                for (size_t c = c0; c < c0 + w && c < 28; ++c) image[r * 28 + c] = static_cast<uint8_t>(150 + uniform_below(rng, 106));
        }
        set.labels.push_back(static_cast<uint8_t>(uniform_below(rng, 10)));
    }
    return set;
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

void test_command(const fs::path& tmp) {
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
    auto idx = [](std::vector<uint32_t> dims, const std::vector<uint8_t>& values) {
        std::vector<uint8_t> bytes = {0, 0, 0x08, static_cast<uint8_t>(dims.size())};
        for (const uint32_t d : dims)
            for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<uint8_t>(d >> shift));
        bytes.insert(bytes.end(), values.begin(), values.end());
        return bytes;
    };
    write_bytes(data / "train-images-idx3-ubyte", idx({12, 28, 28}, set.pixels));
    write_bytes(data / "train-labels-idx1-ubyte", idx({12}, set.labels));
    write_bytes(data / "t10k-images-idx3-ubyte", idx({12, 28, 28}, set.pixels));
    write_bytes(data / "t10k-labels-idx1-ubyte", idx({12}, set.labels));
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

int main() {
    const std::string stamp = std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
    const fs::path tmp = fs::temp_directory_path() / ("mnist_test_predict_" + stamp);
    fs::create_directories(tmp);
    try {
        test_same_as_evaluate(tmp);
        test_top_classes();
        test_command(tmp);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "unexpected exception: %s\n", e.what());
        CHECK(false);
    }
    fs::remove_all(tmp);
    return check_exit("test_predict");
}
