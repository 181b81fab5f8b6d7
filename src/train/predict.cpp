// One image through the same path as a batch of the test set: load_batch, mlp_forward, argmax_row.
#include "train/predict.h"

#include <algorithm>
#include <numeric>

#include "data/dataset.h"
#include "data/mnist_files.h"

namespace mnist {

Prediction predict_image(Compute& compute, const Mlp& mlp, MlpWorkspace& ws, const uint8_t* pixels) {
    // A one-image set, so that the scaling is load_batch's own (Eq. (1)) and cannot drift from it.
    ImageSet one;
    one.count = 1;
    one.rows = 1;
    one.cols = mlp.inputs();
    one.pixels.assign(pixels, pixels + mlp.inputs());
    one.labels.assign(1, 0);
    const uint32_t index = 0;
    load_batch(ws.input.top_rows(1), ws.labels.data(), one, &index, 1);
    mlp_forward(compute, mlp, ws, 1, false, 0.0f, 0);

    Prediction prediction;
    prediction.label = argmax_row(ws.probs, 0);
    prediction.probabilities.assign(ws.probs.values.begin(),
                                    ws.probs.values.begin() + static_cast<std::ptrdiff_t>(mlp.classes()));
    return prediction;
}

std::vector<size_t> top_classes(const std::vector<float>& probabilities, size_t k) {
    std::vector<size_t> order(probabilities.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return probabilities[a] > probabilities[b]; });
    order.resize(std::min(k, order.size()));
    return order;
}

}  // namespace mnist
