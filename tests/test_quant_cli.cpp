// Tests for the int8 subcommands through run_cli, on a small MNIST-format data set in a temporary folder:
// train -> quantize (per row, per tensor) -> eval and predict with the int8 model -> export-c (with and without
// test images), and every bad use of them ending in exit status 2 with one line on stderr: bad options, a
// float model where an int8 one is needed and the other way round, a damaged int8 file, the wrong float model
// to compare with. Not the quantisation's arithmetic (test_quant.cpp). See docs/13-quantisation.md.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <vector>

#include "check.h"
#include "synthetic_data.h"
#include "test_files.h"
#include "cli/cli.h"
#include "data/mnist_files.h"
#include "quant/int8_model.h"
#include "quant/int8_model_file.h"

using namespace mnist;
namespace fs = std::filesystem;
using namespace test_files;

namespace {

int run(std::initializer_list<std::string> args) { return run_cli(std::vector<std::string>(args)); }

}  // namespace

int main(int argc, char** argv) {
    if (argc >= 2 && std::string(argv[1]) == "--child") return run_cli(std::vector<std::string>(argv + 2, argv + argc));
    const std::string self = argv[0];
    start_watchdog("test_quant_cli", 120);
    const std::string stamp = std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
    const fs::path tmp = fs::temp_directory_path() / ("mnist_test_quant_cli_" + stamp);
    fs::create_directories(tmp);
    const std::string D = (tmp / "data").string();
    synthetic::write_quadrant_data_set(D, 300, 60);
    const std::string out = (tmp / "run").string(), other = (tmp / "other").string();
    const std::string model = out + "/model.bin", q = out + "/model-int8.bin";

    // A tiny float model to quantise, and a second, different one.
    CHECK(run({"train", "--data", D, "--out", out, "--hidden", "8", "--epochs", "8", "--lr", "0.01", "--batch", "16",
               "--val-size", "50", "--quiet", "--no-eda", "--threads", "1"}) == 0);
    CHECK(run({"train", "--data", D, "--out", other, "--hidden", "8", "--epochs", "1", "--val-size", "50", "--seed",
               "7", "--quiet", "--no-eda", "--threads", "1"}) == 0);

    // quantize: the default output name beside the model, per row; then per tensor to a named file.
    CHECK(run({"quantize", "--help"}) == 0);
    CHECK(run({"quantize", "--model", model, "--data", D, "--val-size", "50", "--calibration-images", "100"}) == 0);
    CHECK(fs::exists(q));
    CHECK(decode_int8_model(read_bytes(q), q).scale_kind == ScaleKind::per_row);
    const std::string qt = (tmp / "per-tensor.bin").string();
    CHECK(run({"quantize", "--model", model, "--data", D, "--val-size", "50", "--scales", "per-tensor", "--percentile",
               "99.9", "--out", qt}) == 0);
    CHECK(decode_int8_model(read_bytes(qt), qt).scale_kind == ScaleKind::per_tensor);

    // eval and predict take the int8 model; the float model beside it is found, or given.
    CHECK(run({"eval", "--model", q, "--data", D}) == 0);
    CHECK(run({"eval", "--model", q, "--data", D, "--json"}) == 0);
    CHECK(run({"eval", "--model", qt, "--data", D, "--float-model", model}) == 0);
    CHECK(run({"eval", "--model", qt, "--data", D}) == 0);  // no model.bin beside it: a note, still exit 0
    CHECK(run({"eval", "--model", model, "--data", D}) == 0);  // the float model as before
    CHECK(run({"predict", "--model", q, "--index", "0-4", "--data", D}) == 0);
    CHECK(run({"predict", "--model", q, "--index", "3", "--data", D, "--no-preprocess", "--json"}) == 0);
    // predict --json prints an int8 model's scores, all of them, as int8_forward computes them (the browser
    // test compares the int8 page with these); a float model's output has none.
    if (child_processes_work(self)) {
        const Int8Model int8 = load_int8_model(q);
        const ImageSet test = load_mnist(D).test;
        Int8Workspace ws = make_int8_workspace(int8);
        std::vector<int32_t> scores(int8.classes());
        int8_forward(int8, ws, &test.pixels[3 * test.rows * test.cols], scores.data());
        std::string expected = "\"scores\":[";
        for (size_t j = 0; j < scores.size(); ++j) expected += (j ? "," : "") + std::to_string(scores[j]);
        expected += "]";
        const std::string json_out = (tmp / "predict.json").string();
        CHECK(run_child(self, {"predict", "--model", q, "--index", "3", "--data", D, "--no-preprocess", "--json"},
                        json_out) == 0);
        CHECK_MSG(read_text(json_out).find(expected) != std::string::npos,
                  "predict --json printed " + read_text(json_out) + ", without " + expected);
        CHECK(run_child(self, {"predict", "--model", model, "--index", "3", "--data", D, "--json"}, json_out) == 0);
        CHECK(read_text(json_out).find("\"scores\"") == std::string::npos);
    } else {
        std::printf("child processes unavailable here: predict's printed scores are not checked\n");
    }

    // export-c: the two files, and the test images with --test-images.
    const std::string c_dir = (tmp / "c").string();
    CHECK(run({"export-c", "--help"}) == 0);
    CHECK(run({"export-c", "--model", q, "--out", c_dir}) == 0);
    CHECK(fs::exists(c_dir + "/mnist_model.h") && fs::exists(c_dir + "/mnist_model.c"));
    CHECK(!fs::exists(c_dir + "/mnist_test_images.h"));
    CHECK(run({"export-c", "--model", q, "--out", c_dir, "--test-images", "7", "--data", D}) == 0);
    CHECK(read_text(c_dir + "/mnist_test_images.h").find("#define MNIST_TEST_COUNT 7\n") != std::string::npos);
    CHECK(read_text(c_dir + "/mnist_model.h").find("#define MNIST_INPUTS 64\n") != std::string::npos);

    // Bad uses: exit 2.
    CHECK(run({"quantize", "--model", model, "--data", D, "--val-size", "50", "--scales", "per-column"}) == 2);
    CHECK(run({"quantize", "--model", model, "--data", D, "--val-size", "50", "--percentile", "10"}) == 2);
    CHECK(run({"quantize", "--model", model, "--data", D, "--val-size", "50", "--calibration-images", "0"}) == 2);
    CHECK(run({"quantize", "--model", model, "--data", D}) == 2);  // --val-size 6000 of 300 images
    CHECK(run({"quantize", "--model", q, "--data", D, "--val-size", "50"}) == 2);  // an int8 model again
    CHECK(run({"quantize", "--model", (tmp / "missing.bin").string(), "--data", D, "--val-size", "50"}) == 2);
    CHECK(run({"eval", "--model", q, "--data", D, "--float-model", other + "/model.bin"}) == 2);  // not its source
    CHECK(run({"eval", "--model", model, "--data", D, "--float-model", model}) == 2);  // only for int8 models
    CHECK(run({"export-c", "--model", model, "--out", c_dir}) == 2);                  // a float model
    CHECK(run({"export-c", "--model", q, "--out", c_dir, "--test-images", "61", "--data", D}) == 2);  // 60 test images
    CHECK(run({"export-c", "--model", q, "--out", c_dir, "--data", D}) == 2);        // --data without --test-images
    {
        std::vector<uint8_t> damaged = read_bytes(q);
        damaged[damaged.size() / 2] ^= 0x40;
        const std::string bad = (tmp / "damaged-int8.bin").string();
        write_bytes(bad, damaged);
        CHECK(run({"eval", "--model", bad, "--data", D}) == 2);
        CHECK(run({"predict", "--model", bad, "--index", "0", "--data", D}) == 2);
        CHECK(run({"export-c", "--model", bad, "--out", c_dir}) == 2);
        write_bytes(bad, std::vector<uint8_t>{'n', 'o', 't', ' ', 'a', ' ', 'm', 'o', 'd', 'e', 'l'});
        CHECK(run({"eval", "--model", bad, "--data", D}) == 2);
    }
    std::error_code ignored;
    fs::remove_all(tmp, ignored);
    return check_exit("test_quant_cli");
}
