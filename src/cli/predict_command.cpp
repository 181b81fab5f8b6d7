// `mnist predict`: classify a person's own digit images (PNG, PBM, PGM, PPM), or test-set images by index to
// compare. Each image is read, preprocessed as MNIST was made (data/preprocess.h) unless --no-preprocess,
// and classified (train/predict.h); a file that fails is reported and the others still run.
// See docs/11-predict.md.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "cli/any_model.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "cli/run_common.h"
#include "codec/image_file.h"
#include "codec/png_writer.h"
#include "data/preprocess.h"
#include "nn/model_file.h"
#include "train/predict.h"
#include "util/check.h"
#include "util/json.h"
#include "util/output_file.h"
#include "util/printable.h"

namespace mnist {

namespace {

constexpr size_t kTopCount = 3;

const std::vector<OptionSpec>& predict_options() {
    static const std::vector<OptionSpec> specs = {
        {"model", "FILE", "out/model.bin", "the model to classify with (mnist train's, or an int8 one)"},
        {"json", "", "", "print one JSON object per image instead of a line of text"},
        {"no-preprocess", "", "", "use images that already have the model's size as they are"},
        {"save-preprocessed", "DIR", "", "write what the network saw, per image, to DIR as PNG"},
        {"index", "I", "", "classify test-set image I, or images I-J, instead of files"},
        {"data", "DIR", "data", "folder with the MNIST files, for --index"},
        {"threads", "N", "all", "threads to compute with"},
        {"help", "", "", "show this help"},
    };
    return specs;
}

const char* kUsage =
    "usage: mnist predict [--model FILE] [options] IMAGE...\n"
    "       mnist predict [--model FILE] --index I[-J] [--data DIR]\n"
    "Classifies your own images of digits: PNG (any colour type and bit depth, interlaced or not), PBM\n"
    "(P1, P4), PGM (P2, P5) or PPM (P3, P6). Each image is turned into an MNIST-style digit first: grey,\n"
    "light ink on\n"
    "dark, scaled to fit 20x20 (for 28x28 models) and centred by its centre of mass; see\n"
    "docs/11-predict.md. Prints the predicted digit, its probability and the three most probable.\n"
    "Test-set images (--index) go through the same steps; with --no-preprocess they get eval's answers.\n"
    "Exit status: 0 every image read, 1 some image failed (the others still ran), 2 bad usage or model.\n";

// One image's label for messages and JSON: a file name, or "test image I".
struct Source {
    std::string file;       // empty for a test-set image
    size_t index = 0;       // test-set index, when file is empty
    int true_label = -1;    // known for test-set images
    std::string describe() const { return file.empty() ? "test image " + std::to_string(index) : file; }
};

// "digit.png: 7 (0.9812); top 3: 7 0.9812, 1 0.0123, 9 0.0040" (a file name's control characters and
// stray bytes escaped, so that the line stays one line: util/printable.h)
void print_text(const Source& source, const Prediction& p, const std::vector<size_t>& top, const std::string& saved) {
    std::string line = printable(source.describe());
    if (source.true_label >= 0) line += " (label " + std::to_string(source.true_label) + ")";
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, ": %zu (%.4f); top %zu:", p.label, p.probabilities[p.label], top.size());
    line += buffer;
    for (size_t i = 0; i < top.size(); ++i) {
        std::snprintf(buffer, sizeof buffer, "%s %zu %.4f", i > 0 ? "," : "", top[i], p.probabilities[top[i]]);
        line += buffer;
    }
    if (!saved.empty()) line += "; saved as " + printable(saved);
    std::printf("%s\n", line.c_str());
}

void begin_json(JsonWriter& json, const Source& source) {
    json.begin_object();
    if (source.file.empty()) {
        json.key("index").value(static_cast<uint64_t>(source.index));
        json.key("true_label").value(static_cast<int64_t>(source.true_label));
    } else {
        json.key("file").value(source.file);
    }
}

// {"file": "digit.png", "label": 7, "probability": 0.98, "top": [{"label": 7, "probability": 0.98}, ...],
//  "preprocessed": true, "inverted": true}, and for an int8 model "scores": [all its int32 scores]
void print_json(const Source& source, const AnyPrediction& p, const std::vector<size_t>& top, bool preprocessed,
                bool inverted, const std::string& saved) {
    JsonWriter json;
    begin_json(json, source);
    json.key("label").value(static_cast<uint64_t>(p.label));
    json.key("probability").value(static_cast<double>(p.probabilities[p.label]));
    json.key("top").begin_array();
    for (const size_t label : top)
        json.begin_object()
            .key("label").value(static_cast<uint64_t>(label))
            .key("probability").value(static_cast<double>(p.probabilities[label]))
            .end_object();
    json.end_array();
    if (!p.scores.empty()) {
        json.key("scores").begin_array();
        for (const int32_t score : p.scores) json.value(static_cast<int64_t>(score));
        json.end_array();
    }
    json.key("preprocessed").value(preprocessed);
    json.key("inverted").value(inverted);
    if (!saved.empty()) json.key("saved").value(saved);
    json.end_object();
    std::printf("%s\n", json.text().c_str());
}

// The file name without folders and without its last extension: "scans/seven.png" -> "seven".
std::string stem(const std::string& path) {
    const size_t slash = path.find_last_of('/');
    std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
    const size_t dot = base.find_last_of('.');
    if (dot != std::string::npos && dot > 0) base.resize(dot);
    return base.empty() ? "image" : base;
}

// Where --save-preprocessed writes each input's picture: DIR/<stem>.png, unless that name is taken, by an
// earlier input with the same stem (a/x.png and b/x.png, or x.png and x.ppm) or by an input itself
// (saving into the inputs' own folder): then DIR/<stem>-2.png, -3, ... whichever is free. Names are
// compared ignoring ASCII case (as macOS and Windows file systems do) and inputs by what file they are
// (std::filesystem::equivalent), so no input is ever written over and no two inputs share a picture.
std::vector<std::string> saved_paths(const std::vector<std::string>& inputs, const std::string& dir) {
    namespace fs = std::filesystem;
    const auto folded = [](std::string text) {
        for (char& c : text) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        return text;
    };
    const auto is_an_input = [&](const std::string& path) {
        std::error_code error;
        for (const std::string& input : inputs) {
            if (fs::equivalent(path, input, error)) return true;
            if (fs::path(path).lexically_normal() == fs::path(input).lexically_normal()) return true;
        }
        return false;
    };
    std::set<std::string> taken;
    std::vector<std::string> paths;
    for (const std::string& input : inputs) {
        const std::string base = stem(input);
        std::string path = dir + "/" + base + ".png";
        for (size_t n = 2; taken.count(folded(path)) || is_an_input(path); ++n)
            path = dir + "/" + base + "-" + std::to_string(n) + ".png";
        taken.insert(folded(path));
        paths.push_back(path);
    }
    return paths;
}

// A model whose outputs for an image are not finite numbers: the model's fault, not the image's, so it
// ends the command (exit 2) instead of counting as one image that failed.
struct ModelOutputError : InputError {
    using InputError::InputError;
};

// --index I or I-J, each within the test set.
void parse_index_range(const ParsedOptions& options, size_t count, size_t* first, size_t* last) {
    const std::string value = option_string(options, "index");
    if (count == 0) throw UsageError("--index " + value + ": the test set is empty");
    const std::string expected = "expected a test-set index from 0 to " + std::to_string(count - 1) +
                                 ", or a range like 0-99";
    const size_t dash = value.find('-');
    const std::string a = value.substr(0, dash), b = dash == std::string::npos ? a : value.substr(dash + 1);
    auto parse = [&](const std::string& text) {
        if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos)
            throw UsageError("--index " + value + ": " + expected);
        return static_cast<size_t>(std::stoul(text));
    };
    *first = parse(a);
    *last = parse(b);
    if (*first > *last || *last >= count) throw UsageError("--index " + value + ": " + expected);
}

// What classifying one image needs: the model, its workspace and threads, and how to prepare and print.
struct Predictor {
    const AnyModel& model;
    const std::string& model_path;
    Compute& compute;
    AnyWorkspace& ws;
    bool preprocess, json;
    size_t failures = 0;  // images that could not be read or prepared
};

// One image: preprocessed (or checked for size), optionally saved, classified, printed. Throws InputError or
// SystemError for this image alone. The image is taken by value and released once it is grey levels, so that
// a large photo is not held twice (docs/11-predict.md gives the memory).
void classify(Predictor& p, const Source& source, Image image, const std::string& save_path) {
    const size_t rows = p.model.image_rows, cols = p.model.image_cols;
    std::vector<uint8_t> pixels;
    bool inverted = false;
    if (p.preprocess) {
        const size_t width = image.width, height = image.height;
        std::vector<float> grey = image_to_grey(image);
        image = Image();
        Preprocessed digit = preprocess_grey(std::move(grey), width, height, rows, cols, source.describe());
        pixels = std::move(digit.pixels);
        inverted = digit.inverted;
    } else {
        pixels = image_as_input(image, rows, cols, source.describe());
    }
    if (!save_path.empty()) write_png(save_path, pixels.data(), cols, rows, 1);
    const AnyPrediction prediction = predict_any(p.compute, p.model, p.ws, pixels.data());
    for (const float probability : prediction.probabilities)
        if (!std::isfinite(probability))
            throw ModelOutputError(p.model_path + ": its outputs for " + source.describe() +
                                   " are not finite numbers (its weights are too large to compute with)");
    const std::vector<size_t> top = top_classes(prediction.probabilities, kTopCount);
    if (p.json) print_json(source, prediction, top, p.preprocess, inverted, save_path);
    else print_text(source, prediction, top, save_path);
}

// Runs classify on the image load_image() gives, turning a failure into a message (and a JSON line with
// --json) so that the other images still run. A model whose outputs are not finite ends the command.
template <class LoadImage>
void try_classify(Predictor& p, const Source& source, const LoadImage& load_image, const std::string& save_path) {
    std::string error;
    try {
        classify(p, source, load_image(), save_path);
        return;
    } catch (const ModelOutputError&) {
        throw;
    } catch (const InputError& e) {
        error = e.what();
    } catch (const SystemError& e) {
        error = e.what();
    }
    ++p.failures;
    std::fflush(stdout);
    std::fprintf(stderr, "mnist: %s\n", printable(error).c_str());
    if (p.json) {
        JsonWriter out;
        begin_json(out, source);
        out.key("error").value(error).end_object();
        std::printf("%s\n", out.text().c_str());
    }
}

// Test-set image i as an Image, so that it goes through the same steps as a file (and --no-preprocess gives
// eval's answers).
Image test_image(const ImageSet& test, size_t i) {
    Image image;
    image.width = test.cols;
    image.height = test.rows;
    image.channels = 1;
    image.max_value = 255;
    const uint8_t* pixels = test.pixels.data() + i * test.rows * test.cols;
    image.samples.assign(pixels, pixels + test.rows * test.cols);
    return image;
}

}  // namespace

int predict_command(const std::vector<std::string>& args) {
    const ParsedOptions options = parse_options("predict", args, predict_options(), true);
    if (print_help_if_asked(options, kUsage)) return kExitOk;
    const bool by_index = option_given(options, "index");
    if (by_index && !options.positionals.empty())
        throw UsageError("predict takes image files or --index, not both");
    if (!by_index && options.positionals.empty()) throw UsageError("predict needs image files (or --index; see --help)");
    if (!by_index && option_given(options, "data")) throw UsageError("--data is used only with --index");
    const bool json = option_flag(options, "json");
    const bool preprocess = !option_flag(options, "no-preprocess");
    const std::string save_dir = option_given(options, "save-preprocessed") ? option_string(options, "save-preprocessed") : "";
    const std::string model_path = option_string(options, "model");
    const size_t threads = threads_option(options);

    for (const std::string& path : options.positionals)
        if (path.empty()) throw UsageError("predict: an image file name is empty (\"\")");

    const AnyModel model = load_any_model(model_path);  // float or int8
    Compute compute(threads);
    AnyWorkspace ws = make_any_workspace(model);
    if (!model.is_int8) check_model_outputs(compute, model.float_model, model_path);  // int8 scores are integers
    if (!save_dir.empty()) make_directories(save_dir);
    const std::vector<std::string> saved =
        save_dir.empty() || by_index ? std::vector<std::string>() : saved_paths(options.positionals, save_dir);

    Predictor predictor{model, model_path, compute, ws, preprocess, json};
    if (by_index) {
        const std::string data_dir = option_string(options, "data");
        const MnistData data = load_data_verbose(data_dir, true, model.classes);  // the model's classes
        check_any_model_fits_data(model, model_path, data, data_dir);
        size_t first = 0, last = 0;
        parse_index_range(options, data.test.count, &first, &last);
        for (size_t i = first; i <= last; ++i) {
            Source source;
            source.index = i;
            source.true_label = data.test.labels[i];
            try_classify(predictor, source, [&] { return test_image(data.test, i); },
                         save_dir.empty() ? std::string() : save_dir + "/test-" + std::to_string(i) + ".png");
        }
    } else {
        for (size_t k = 0; k < options.positionals.size(); ++k) {
            const std::string& path = options.positionals[k];
            Source source;
            source.file = path;
            try_classify(predictor, source, [&] { return read_image_file(path); },
                         saved.empty() ? std::string() : saved[k]);
        }
    }
    return predictor.failures == 0 ? kExitOk : kExitFailure;  // run_cli flushes stdout and checks that it was written
}

}  // namespace mnist
