// `mnist demo`: writes demo.html for a saved model, the page where a student draws a digit and the network
// answers, offline (report/demo_page.h): a float model's page (float16 or float32 weights), or, given an int8
// model (model-int8.bin), the int8 page. The default run writes the float page beside report.html.
// See docs/14-draw-a-digit.md.
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "cli/any_model.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "data/mnist_files.h"
#include "report/demo_page.h"
#include "util/check.h"
#include "util/output_file.h"
#include "util/file.h"
#include "util/parse.h"

namespace mnist {

namespace {

const std::vector<OptionSpec>& demo_options() {
    static const std::vector<OptionSpec> specs = {
        {"model", "FILE", "out/model.bin", "the model to put in the page (mnist train's, or an int8 one)"},
        {"out", "FILE", "demo.html beside the model", "where to write the page (demo-int8.html for an int8 model)"},
        {"data", "DIR", "data", "folder with the MNIST files: the page shows the first test digit of each class"},
        {"weights", "KIND", "float16", "how the page stores a float model's weights: float16 (half the bytes) or float32"},
        {"help", "", "", "show this help"},
    };
    return specs;
}

const char* kUsage =
    "usage: mnist demo [--model FILE] [--out FILE] [--data DIR] [--weights float16|float32]\n"
    "Writes one HTML file where you draw a digit (mouse, pen or finger) and the model answers as you draw: the\n"
    "image it sees (prepared as `mnist predict` prepares files), its probabilities, the first hidden layer's\n"
    "strongest units, and test digits to try. It needs no network and nothing beside it; see\n"
    "docs/14-draw-a-digit.md. Without the MNIST files (--data) the page has no test digits. Given an int8\n"
    "model (mnist quantize's model-int8.bin), the page holds its int8 numbers and computes its integer scores.\n";

}  // namespace

int demo_command(const std::vector<std::string>& args) {
    const ParsedOptions options = parse_options("demo", args, demo_options());
    if (print_help_if_asked(options, kUsage)) return kExitOk;
    const std::string model_path = option_string(options, "model");
    const AnyModel model = load_any_model(model_path);  // float or int8, by the file's magic
    const std::string out_path = option_given(options, "out") ? option_string(options, "out")
                                 : beside(model_path, model.is_int8 ? "demo-int8.html" : "demo.html");
    if (out_path.empty()) throw UsageError("--out: expected a file name");
    const std::string data_dir = option_string(options, "data");
    WeightEncoding encoding = model.is_int8 ? WeightEncoding::int8 : default_weight_encoding(model.float_model.mlp);
    if (option_given(options, "weights")) {
        const std::string kind = option_string(options, "weights");
        if (model.is_int8)
            throw UsageError("--weights " + kind + ": " + model_path + " is an int8 model, whose page holds its int8 "
                             "numbers as they are; --weights is for float models");
        if (kind == "float16") encoding = WeightEncoding::float16;
        else if (kind == "float32") encoding = WeightEncoding::float32;
        else if (kind == "int8")
            throw UsageError("--weights int8: " + model_path + " is a float model; `mnist quantize --model " +
                             model_path + "` makes its int8 model, then `mnist demo --model` that file");
        else throw UsageError("--weights " + kind + ": expected float16 or float32");
    }
    // The page holds the model named, never another: an int8 model beside a float one is pointed out, not used.
    const std::string int8_path = beside(model_path, "model-int8.bin");
    std::error_code error;
    if (!model.is_int8 && int8_path != model_path && std::filesystem::is_regular_file(int8_path, error))
        std::fprintf(stderr, "mnist: note: %s is beside it; `mnist demo --model %s` writes that int8 model's page\n",
                     int8_path.c_str(), int8_path.c_str());

    // The test digits are a help, not a need: without the files (at the default place) the page has none.
    std::vector<DemoDigit> digits;
    try {
        const MnistData data = load_mnist(data_dir);
        if (data.test.rows != model.image_rows || data.test.cols != model.image_cols)
            throw InputError(data_dir + ": the test images are " + std::to_string(data.test.cols) + "x" +
                             std::to_string(data.test.rows) + " pixels, but " + model_path + " reads " +
                             std::to_string(model.image_cols) + "x" + std::to_string(model.image_rows));
        digits = pick_demo_digits(data.test, model.classes);
    } catch (const InputError& e) {
        if (option_given(options, "data")) throw;
        std::fprintf(stderr, "mnist: note: the page has no test digits (%s)\n", e.what());
    }

    const DemoPage page = model.is_int8 ? demo_page(model.int8_model, digits)
                                        : demo_page(model.float_model.mlp, model.image_rows, model.image_cols, digits,
                                                    encoding, model_path);
    write_file_atomic(out_path, page.html);
    std::printf("wrote %s: %s bytes (weights as %s: %s bytes, %s characters of base64; %zu test digits)\n",
                out_path.c_str(), with_thousands(page.html.size()).c_str(), weight_encoding_name(encoding),
                with_thousands(page.weights.binary_bytes).c_str(), with_thousands(page.weights.base64_chars).c_str(),
                page.digits);
    return kExitOk;
}

}  // namespace mnist
