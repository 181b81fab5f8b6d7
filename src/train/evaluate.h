// Evaluation: the network in inference mode (no dropout) over a set of images, batch by batch, giving the
// mean cross-entropy and the confusion matrix. Used for validation after each epoch and for the test set.
// See docs/07-training.md.
#pragma once

#include <cstdint>
#include <vector>

#include "data/mnist_files.h"
#include "nn/activation_stats.h"
#include "nn/mlp.h"
#include "train/metrics.h"

namespace mnist {

struct Evaluation {
    double loss = 0;       // mean cross-entropy, Eq. (5) (no L2 term)
    double accuracy = 0;   // Eq. (21)
    ConfusionMatrix confusion;
};

// Evaluates `mlp` on the images of `set` listed in `indices` (all of them, in file order, when it is empty).
// If predictions is not null it receives each image's predicted label, in order; if confidences is not
// null, each image's top probability (the softmax output of its predicted label), in the same order.
Evaluation evaluate(Compute& compute, const Mlp& mlp, MlpWorkspace& ws, const ImageSet& set,
                    const std::vector<uint32_t>& indices, std::vector<uint8_t>* predictions = nullptr,
                    std::vector<float>* confidences = nullptr);

// The sample the activation statistics are measured on: the first images of the training file, in file order
// (the same images for every model and every seed; some of them are validation images, which does not matter
// for statistics of the hidden layers).
constexpr size_t kActivationSampleImages = 10000;

// nn/activation_stats.h over the first `images` images of `set` (all of them when it has fewer), in chunks.
std::vector<LayerActivations> measure_activations(Compute& compute, const Mlp& mlp, const ImageSet& set,
                                                  size_t images = kActivationSampleImages);

}  // namespace mnist
