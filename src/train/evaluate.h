// Evaluation: the network in inference mode (no dropout) over a set of images, batch by batch, giving the
// mean cross-entropy and the confusion matrix. Used for validation after each epoch and for the test set.
// See docs/07-training.md.
#pragma once

#include <cstdint>
#include <vector>

#include "data/mnist_files.h"
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

}  // namespace mnist
