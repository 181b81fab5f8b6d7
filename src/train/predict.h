// Class probabilities for one image at a time, computed exactly as evaluate() computes them for a data
// set (the same byte -> [0, 1] scaling, the same inference-mode forward pass, the same argmax), so that
// an image gets the same answer whichever way it arrives. Not the image reading or preprocessing
// (codec/image_file.h, data/preprocess.h). See docs/11-predict.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "nn/mlp.h"

namespace mnist {

struct Prediction {
    size_t label = 0;                 // the most probable class (ties: the lowest), as evaluate() picks it
    std::vector<float> probabilities;  // [classes], the softmax output
};

// Runs the network on one image of mlp.inputs() bytes (0 background .. 255 ink, row-major).
Prediction predict_image(Compute& compute, const Mlp& mlp, MlpWorkspace& ws, const uint8_t* pixels);

// The k most probable classes (k at most the number of classes), most probable first; equal
// probabilities in label order.
std::vector<size_t> top_classes(const std::vector<float>& probabilities, size_t k);

}  // namespace mnist
