// `mnist export-c`: an int8 model as freestanding C99 (quant/export_c.h) in a folder: mnist_model.h and
// mnist_model.c, and with --test-images N a mnist_test_images.h for a firmware's self-test (embedded/).
// See docs/13-quantisation.md.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/run_common.h"
#include "quant/export_c.h"
#include "quant/int8_model_file.h"
#include "util/check.h"
#include "util/output_file.h"

namespace mnist {

namespace {

const std::vector<OptionSpec>& export_c_options() {
    static const std::vector<OptionSpec> specs = {
        {"model", "FILE", "out/model-int8.bin", "the int8 model to export (written by mnist quantize)"},
        {"out", "DIR", "out/c", "folder for mnist_model.h and mnist_model.c (created)"},
        {"test-images", "N", "0", "also write mnist_test_images.h with the first N test images (0: none)"},
        {"data", "DIR", "data", "folder with the MNIST files, for --test-images"},
        {"help", "", "", "show this help"},
    };
    return specs;
}

// What --help prints above the options.
const char* kUsage =
    "usage: mnist export-c [--model FILE] [--out DIR] [--test-images N [--data DIR]]\n"
    "Writes an int8 model as freestanding C99: DIR/mnist_model.h (sizes, the prototype, the\n"
    "weights as const arrays) and DIR/mnist_model.c with\n"
    "    int mnist_predict(const uint8_t pixels[784], int32_t scores[10]);\n"
    "(no heap, no library calls, no floating point; stack use stated in the header). Its scores are\n"
    "those of `mnist eval` on the same model, bit for bit. See docs/13-quantisation.md.\n";

}  // namespace

int export_c_command(const std::vector<std::string>& args) {
    const ParsedOptions options = parse_options("export-c", args, export_c_options());
    if (print_help_if_asked(options, kUsage)) return kExitOk;
    const std::string model_path = option_string(options, "model");
    const std::string out_dir = option_string(options, "out");
    const size_t test_images = static_cast<size_t>(option_unsigned(options, "test-images", 0, 10000));
    if (test_images == 0 && option_given(options, "data")) throw UsageError("--data is used only with --test-images");

    const Int8Model model = load_int8_model(model_path);
    MnistData data;
    if (test_images > 0) {
        const std::string data_dir = option_string(options, "data");
        data = load_data_verbose(data_dir, true, model.classes());  // the model's classes
        check_fits_data(model_path, model.image_rows, model.image_cols, model.classes(), data, data_dir);
        if (test_images > data.test.count)
            throw UsageError("--test-images " + std::to_string(test_images) + ": the test set has only " +
                             std::to_string(data.test.count) + " images");
    }
    const ExportedC c = export_c(model);
    make_directories(out_dir);
    write_file_atomic(out_dir + "/mnist_model.h", c.header);
    write_file_atomic(out_dir + "/mnist_model.c", c.source);
    size_t weight_bytes = 0;
    for (const Int8Layer& layer : model.layers) weight_bytes += layer.weights.size();
    std::printf("wrote %s/mnist_model.h (%zu bytes) and %s/mnist_model.c (%zu bytes): %zu weight bytes, stack "
                "buffers of %zu bytes\n",
                out_dir.c_str(), c.header.size(), out_dir.c_str(), c.source.size(), weight_bytes,
                2 * std::max<size_t>(model.max_width(), 1));
    if (test_images > 0) {
        const std::string images = export_test_images(model, data.test, test_images);
        write_file_atomic(out_dir + "/mnist_test_images.h", images);
        std::printf("wrote %s/mnist_test_images.h (%zu bytes): the first %zu test images\n", out_dir.c_str(),
                    images.size(), test_images);
    }
    return kExitOk;
}

}  // namespace mnist
