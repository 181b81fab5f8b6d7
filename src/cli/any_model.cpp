// Loading and running either kind of model file for eval and predict.
#include "cli/any_model.h"

#include <algorithm>
#include <cmath>

#include "cli/run_common.h"
#include "quant/int8_model_file.h"
#include "util/check.h"
#include "util/file.h"

namespace mnist {

AnyModel load_any_model(const std::string& path) {
    const std::vector<uint8_t> bytes =
        read_file(path, std::max(kMaxModelFileBytes, kMaxInt8ModelFileBytes), "a model file");
    AnyModel model;
    const ModelFileKind kind = model_file_kind(bytes);
    if (kind == ModelFileKind::unknown) throw InputError(path + ": not a model file (no MNISTMLP or MNISTINT magic)");
    model.is_int8 = kind == ModelFileKind::int8;
    if (model.is_int8) {
        model.int8_model = decode_int8_model(bytes, path);
        model.image_rows = model.int8_model.image_rows;
        model.image_cols = model.int8_model.image_cols;
        model.inputs = model.int8_model.inputs();
        model.classes = model.int8_model.classes();
    } else {
        model.float_model = decode_model(bytes, path);
        model.image_rows = model.float_model.image_rows;
        model.image_cols = model.float_model.image_cols;
        model.inputs = model.float_model.mlp.inputs();
        model.classes = model.float_model.mlp.classes();
    }
    return model;
}

void check_any_model_fits_data(const AnyModel& model, const std::string& model_name, const MnistData& data,
                               const std::string& data_dir) {
    check_fits_data(model_name, model.image_rows, model.image_cols, model.classes, data, data_dir);
}

AnyWorkspace make_any_workspace(const AnyModel& model) {
    AnyWorkspace ws;
    if (model.is_int8) ws.int8 = make_int8_workspace(model.int8_model);
    else ws.mlp = make_mlp_workspace(model.float_model.mlp, 1);
    return ws;
}

// Eq. (4), with the largest logit subtracted first so that no exponential overflows.
std::vector<double> int8_probabilities(const int32_t* scores, size_t count) {
    const double unit = std::ldexp(1.0, -kScoreFractionBits);
    const int32_t largest = *std::max_element(scores, scores + count);
    std::vector<double> p(count);
    double sum = 0;
    for (size_t j = 0; j < count; ++j) sum += p[j] = std::exp((static_cast<double>(scores[j]) - largest) * unit);
    for (double& v : p) v /= sum;
    return p;
}

AnyPrediction predict_any(Compute& compute, const AnyModel& model, AnyWorkspace& ws, const uint8_t* pixels) {
    if (!model.is_int8) return AnyPrediction{predict_image(compute, model.float_model.mlp, ws.mlp, pixels), {}};
    AnyPrediction prediction;
    prediction.scores.assign(model.classes, 0);
    prediction.label = int8_forward(model.int8_model, ws.int8, pixels, prediction.scores.data());
    for (const double p : int8_probabilities(prediction.scores.data(), prediction.scores.size()))
        prediction.probabilities.push_back(static_cast<float>(p));
    return prediction;
}

}  // namespace mnist
