// Either kind of model file, for the subcommands that take both (eval, predict): model.bin (float,
// nn/model_file.h) or model-int8.bin (quant/int8_model_file.h), told apart by their magic. Not a format of
// its own. See docs/13-quantisation.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/mnist_files.h"
#include "nn/model_file.h"
#include "quant/int8_model.h"
#include "tensor/gemm.h"
#include "train/predict.h"

namespace mnist {

struct AnyModel {
    bool is_int8 = false;
    SavedModel float_model;  // when !is_int8
    Int8Model int8_model;    // when is_int8
    size_t image_rows = 0, image_cols = 0, inputs = 0, classes = 0;
};

// Reads either kind; InputError("<path>: not a model file (...)") for anything else.
AnyModel load_any_model(const std::string& path);

// Throws InputError when the model cannot read the images of `data` or lacks an output for a label.
void check_any_model_fits_data(const AnyModel& model, const std::string& model_name, const MnistData& data,
                               const std::string& data_dir);

struct AnyWorkspace {
    MlpWorkspace mlp;     // float models: one image
    Int8Workspace int8;   // int8 models
};
AnyWorkspace make_any_workspace(const AnyModel& model);

// A prediction, and for an int8 model its scores: int8_forward's model.classes int32 values (logit x 2^16),
// which `mnist predict --json` prints. Empty for a float model.
struct AnyPrediction : Prediction {
    std::vector<int32_t> scores;
};

// One image (model.inputs bytes). For an int8 model the label is the largest score's and the probabilities
// are the softmax of the scores read as logits (score / 2^16), computed in double.
AnyPrediction predict_any(Compute& compute, const AnyModel& model, AnyWorkspace& ws, const uint8_t* pixels);

// Eq. (4) on int8 scores: softmax(score / 2^16), in double.
std::vector<double> int8_probabilities(const int32_t* scores, size_t count);

}  // namespace mnist
