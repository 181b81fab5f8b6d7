// `mnist eval --model model-int8.bin`: the int8 model on the test set, one image at a time on one thread
// (int8_forward), beside the float model it came from. See docs/13-quantisation.md.
#include "cli/eval_int8.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <vector>

#include "cli/commands.h"
#include "cli/run_common.h"
#include "cli/any_model.h"
#include "codec/checksum.h"
#include "nn/model_file.h"
#include "report/run_files.h"
#include "data/dataset.h"
#include "train/evaluate.h"
#include "util/check.h"
#include "util/file.h"
#include "util/json.h"

namespace mnist {

namespace {

// The float model beside an int8 one, if it is there and is the one the int8 model was quantised from (its
// CRC-32 says so); else a note saying why there is none.
struct FloatModel {
    bool present = false;
    std::string path, note;
    SavedModel model;
};
FloatModel find_float_model(const ParsedOptions& options, const Int8Model& model, const std::string& model_path) {
    FloatModel found;
    const bool given = option_given(options, "float-model");
    found.path = given ? option_string(options, "float-model") : beside(model_path, "model.bin")  /* the int8 file's folder */;
    if (!given && !file_exists(found.path)) {
        found.note = "no " + found.path + " to compare with; give the float model with --float-model";
        return found;
    }
    const std::vector<uint8_t> bytes = read_file(found.path, kMaxModelFileBytes, "a model file");
    // Its CRC-32 field, which is the CRC of the rest of the file (quantize stored the same).
    const uint32_t crc = bytes.size() >= 4 ? crc32(bytes.data(), bytes.size() - 4) : 0;
    if (bytes.size() >= 4 && crc == model.float_model_crc) {
        found.model = decode_model(bytes, found.path);
        found.present = true;
    } else if (given) {
        throw InputError(found.path + ": not the model " + model_path + " was quantised from (its CRC-32 differs)");
    } else {
        found.note = found.path + " is not the model it was quantised from; give that one with --float-model";
    }
    return found;
}

// The int8 model on the test set, image by image on one thread: predictions, every score, the cross-entropy
// of softmax(score / 2^16) (Eq. (5)) and the time it took.
struct Int8Run {
    std::vector<int32_t> scores;  // [images x classes]
    std::vector<uint8_t> predictions;
    Evaluation result;
    Metrics metrics;
    double seconds = 0;
};
Int8Run run_int8_on(const Int8Model& model, const ImageSet& test) {
    const size_t inputs = model.inputs(), classes = model.classes();
    Int8Run run;
    Int8Workspace ws = make_int8_workspace(model);
    run.scores.resize(test.count * classes);
    run.predictions.resize(test.count);
    const auto start = std::chrono::steady_clock::now();
    for (size_t i = 0; i < test.count; ++i)
        run.predictions[i] = static_cast<uint8_t>(
            int8_forward(model, ws, test.pixels.data() + i * inputs, run.scores.data() + i * classes));
    run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    run.result.confusion = make_confusion_matrix(classes);
    double loss_sum = 0;
    for (size_t i = 0; i < test.count; ++i) {
        add_prediction(run.result.confusion, test.labels[i], run.predictions[i]);
        const std::vector<double> p = int8_probabilities(run.scores.data() + i * classes, classes);
        loss_sum -= std::log(std::max(p[test.labels[i]], 1e-300));
    }
    run.metrics = compute_metrics(run.result.confusion);
    run.result.accuracy = run.metrics.accuracy;
    run.result.loss = test.count > 0 ? loss_sum / static_cast<double>(test.count) : 0.0;
    return run;
}

// The float model on the same images: its accuracy, the images where the two predict differently, and how
// far the int8 scores read as logits (score / 2^16) are from its logits.
struct Comparison {
    size_t differ = 0, only_int8_right = 0, only_float_right = 0;
    double float_accuracy = 0, logit_error_mean = 0, logit_error_max = 0;
};
Comparison compare_with_float(const SavedModel& float_model, const Int8Run& run, const ImageSet& test,
                              size_t threads) {
    Comparison c;
    const size_t classes = float_model.mlp.classes();
    size_t float_correct = 0;
    double logit_error_sum = 0;
    Compute compute(threads);
    MlpWorkspace float_ws = make_mlp_workspace(float_model.mlp, 256);
    std::vector<uint32_t> order(test.count);
    for (size_t i = 0; i < test.count; ++i) order[i] = static_cast<uint32_t>(i);
    for (size_t first = 0; first < test.count; first += float_ws.max_batch) {
        const size_t rows = std::min(float_ws.max_batch, test.count - first);
        load_batch(float_ws.input.top_rows(rows), float_ws.labels.data(), test, order.data() + first, rows);
        mlp_forward(compute, float_model.mlp, float_ws, rows, false, 0.0f, 0);
        for (size_t r = 0; r < rows; ++r) {
            const size_t i = first + r;
            const size_t float_prediction = argmax_row(float_ws.probs, r);
            float_correct += float_prediction == test.labels[i];
            for (size_t j = 0; j < classes; ++j) {
                const double error = std::fabs(std::ldexp(run.scores[i * classes + j], -kScoreFractionBits) -
                                               float_ws.logits.values[r * classes + j]);
                logit_error_sum += error;
                c.logit_error_max = std::max(c.logit_error_max, error);
            }
            if (run.predictions[i] == float_prediction) continue;
            ++c.differ;
            c.only_int8_right += run.predictions[i] == test.labels[i];
            c.only_float_right += float_prediction == test.labels[i];
        }
    }
    if (test.count > 0) {
        c.float_accuracy = static_cast<double>(float_correct) / static_cast<double>(test.count);
        c.logit_error_mean = logit_error_sum / static_cast<double>(test.count * classes);
    }
    return c;
}

}  // namespace

int eval_int8_model(const ParsedOptions& options, const Int8Model& model, const std::string& model_path) {
    const std::string data_dir = option_string(options, "data");
    const size_t threads = threads_option(options);
    const bool json = option_flag(options, "json");
    const FloatModel float_model = find_float_model(options, model, model_path);

    const MnistData data = load_data_verbose(data_dir, json, model.classes());  // the model's classes
    check_fits_data(model_path, model.image_rows, model.image_cols, model.classes(), data, data_dir);
    if (float_model.present) check_model_fits_data(float_model.model, float_model.path, data, data_dir);

    const ImageSet& test = data.test;
    const Int8Run run = run_int8_on(model, test);
    const uint32_t scores_crc = crc32_scores(0, run.scores.data(), run.scores.size());
    const Comparison c = float_model.present ? compare_with_float(float_model.model, run, test, threads) : Comparison{};

    const double per_second = run.seconds > 0 ? static_cast<double>(test.count) / run.seconds : 0;
    if (json) {
        JsonWriter config;
        config.begin_object().key("model").value(model_path).key("data").value(data_dir);
        config.key("int8").begin_object();
        config.key("scales").value(scale_kind_name(model.scale_kind));
        config.key("scores_crc32").value(static_cast<uint64_t>(scores_crc));
        config.key("images_per_second_1_thread").value(per_second);
        if (float_model.present) {
            config.key("float_model").value(float_model.path);
            config.key("float_test_accuracy").value(c.float_accuracy);
            config.key("predictions_differing").value(static_cast<uint64_t>(c.differ));
            config.key("right_only_int8").value(static_cast<uint64_t>(c.only_int8_right));
            config.key("right_only_float").value(static_cast<uint64_t>(c.only_float_right));
            config.key("logit_error_mean").value(c.logit_error_mean);
            config.key("logit_error_max").value(c.logit_error_max);
        }
        config.end_object().end_object();
        std::fputs(metrics_json(nullptr, run.result.accuracy, run.result.loss, run.metrics, run.result.confusion,
                                config.text())
                       .c_str(),
                   stdout);
        return kExitOk;
    }
    std::printf("int8 model (%s weight scales), integer-only inference\n", scale_kind_name(model.scale_kind));
    print_test_report(run.result, run.metrics);
    std::printf("\nscores: CRC-32 0x%08x over all %zu x %zu int32 scores\n", scores_crc, test.count, model.classes());
    std::printf("inference: %zu test images in %.3f s on 1 thread (%.0f images per second)\n", test.count, run.seconds,
                per_second);
    if (float_model.present) {
        std::printf("float model %s: test accuracy %.4f; the int8 model's prediction differs on %zu of %zu test images "
                    "(%zu right only with int8, %zu right only with float)\n",
                    float_model.path.c_str(), c.float_accuracy, c.differ, test.count, c.only_int8_right,
                    c.only_float_right);
        std::printf("logits: the int8 scores / 2^16 differ from the float logits by %.4f on average, %.4f at most\n",
                    c.logit_error_mean, c.logit_error_max);
    } else {
        std::printf("float model: %s\n", float_model.note.c_str());
    }
    return kExitOk;
}

}  // namespace mnist
