// `mnist quantize`: a trained model.bin to an int8 model-int8.bin. Calibrates each hidden layer's range on
// training images (never validation or test images), quantises (quant/quantize.h), writes the file
// (quant/int8_model_file.h) and prints the scales it chose. See docs/13-quantisation.md.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/run_common.h"
#include "codec/checksum.h"
#include "data/dataset.h"
#include "nn/model_file.h"
#include "quant/int8_model_file.h"
#include "quant/quantize.h"
#include "util/check.h"
#include "util/file.h"
#include "util/output_file.h"
#include "util/parse.h"

namespace mnist {

namespace {

const std::vector<OptionSpec>& quantize_options() {
    static const std::vector<OptionSpec> specs = {
        {"model", "FILE", "out/model.bin", "the float model to quantise (written by mnist train)"},
        {"out", "FILE", "", "where to write the int8 model (default: model-int8.bin beside --model)"},
        {"scales", "KIND", "per-row", "weight scales: per-row (one per output unit) or per-tensor (one per layer)"},
        {"data", "DIR", "data", "folder with the MNIST files; calibration uses training images"},
        {"calibration-images", "N", "2000", "training images to calibrate the activation ranges on"},
        {"percentile", "P", "100", "clip each hidden layer at this percentile of its outputs (100: the maximum)"},
        {"val-size", "N", "6000", "training images held out for validation, as in train (never used here)"},
        {"seed", "N", "42", "seed of the train/validation split, as in train"},
        {"threads", "N", "all", "threads for the float calibration pass"},
        {"help", "", "", "show this help"},
    };
    return specs;
}

std::string range_text(const std::vector<double>& values) {
    const auto [low, high] = std::minmax_element(values.begin(), values.end());
    if (*low == *high) return number_text(*low, 4);
    return number_text(*low, 4) + " to " + number_text(*high, 4);
}

// What --help prints above the options.
const char* kUsage =
    "usage: mnist quantize [--model FILE] [--out FILE] [--scales per-row|per-tensor]\n"
    "Post-training int8 quantisation: weights become int8 with one scale per output unit (or per\n"
    "layer), biases int32, and each hidden layer's outputs bytes whose range is calibrated on\n"
    "training images; inference is then integer-only. `mnist eval --model FILE` evaluates the\n"
    "result, `mnist export-c` turns it into C. See docs/13-quantisation.md.\n";

}  // namespace

int quantize_command(const std::vector<std::string>& args) {
    const ParsedOptions options = parse_options("quantize", args, quantize_options());
    if (print_help_if_asked(options, kUsage)) return kExitOk;
    const std::string model_path = option_string(options, "model");
    const std::string out_path =
        option_given(options, "out") ? option_string(options, "out") : beside(model_path, "model-int8.bin");
    const std::string scales = option_string(options, "scales");
    if (scales != "per-row" && scales != "per-tensor")
        throw UsageError("--scales " + scales + ": expected per-row or per-tensor");
    const ScaleKind kind = scales == "per-row" ? ScaleKind::per_row : ScaleKind::per_tensor;
    const size_t calibration_images = static_cast<size_t>(option_unsigned(options, "calibration-images", 1, 1000000));
    const double percentile = option_real(options, "percentile", 50, 100);
    const size_t validation_size = static_cast<size_t>(option_unsigned(options, "val-size", 0, 1000000000));
    const uint64_t seed = option_unsigned(options, "seed", 0, UINT64_MAX);
    const std::string data_dir = option_string(options, "data");
    const size_t threads = threads_option(options);

    const std::vector<uint8_t> float_bytes = read_file(model_path, kMaxModelFileBytes, "a model file");
    const SavedModel model = decode_model(float_bytes, model_path);
    const MnistData data = load_data_verbose(data_dir, false, model.mlp.classes());  // the model's classes
    check_model_fits_data(model, model_path, data, data_dir);
    if (validation_size >= data.train.count)
        throw UsageError("--val-size " + std::to_string(validation_size) + ": must be smaller than the " +
                         std::to_string(data.train.count) + " training images");

    // Calibration images: the first N of the training part of train's seeded split, so none of them is a
    // validation or test image.
    Split split = split_train_validation(data.train.count, validation_size, seed);
    split.train.resize(std::min(calibration_images, split.train.size()));
    Compute compute(threads);
    const std::vector<double> clip = calibrate(compute, model.mlp, data.train, split.train, percentile);
    // The float model is identified by its CRC-32 field (the CRC of the file without it: a CRC over a whole
    // file that ends in its own CRC is the same constant for every file).
    const Quantized q = quantize_mlp(model.mlp, model.image_rows, model.image_cols, clip, kind,
                                     crc32(float_bytes.data(), float_bytes.size() - 4));

    const std::string method = percentile < 100 ? number_text(percentile) + "th percentile" : "maximum";
    std::printf("calibration: %zu training images (seed %llu split, %zu held out), each hidden layer clipped at the "
                "%s of its outputs\n",
                split.train.size(), static_cast<unsigned long long>(seed), validation_size, method.c_str());
    for (size_t l = 0; l < q.model.layers.size(); ++l) {
        const Int8Layer& layer = q.model.layers[l];
        const LayerScales& s = q.scales[l];
        const bool last = l + 1 == q.model.layers.size();
        std::printf("layer %zu: %zu -> %zu, input scale %.4g, weight scales %s (%s), ", l + 1, layer.inputs,
                    layer.outputs, s.input_scale, range_text(s.weight_scales).c_str(), scale_kind_name(kind));
        if (last) std::printf("scores in units of 2^-%d\n", kScoreFractionBits);
        else std::printf("outputs clipped at %.4g (scale %.4g)\n", clip[l], s.output_scale);
    }
    const std::vector<uint8_t> bytes = encode_int8_model(q.model);
    write_file_atomic(out_path, bytes);
    std::printf("wrote %s: %zu bytes (the float model: %zu bytes, %.2fx as large)\n", out_path.c_str(), bytes.size(),
                float_bytes.size(), static_cast<double>(float_bytes.size()) / static_cast<double>(bytes.size()));
    return kExitOk;
}

}  // namespace mnist
