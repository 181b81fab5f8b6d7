// Inference over a data set in batches of the workspace's size. See docs/07-training.md.
#include "train/evaluate.h"

#include <algorithm>

#include "data/dataset.h"
#include "train/parallel_batch.h"

namespace mnist {

Evaluation evaluate(Compute& compute, const Mlp& mlp, MlpWorkspace& ws, const ImageSet& set,
                    const std::vector<uint32_t>& indices, std::vector<uint8_t>* predictions,
                    std::vector<float>* confidences) {
    std::vector<uint32_t> all;
    const std::vector<uint32_t>* order = &indices;
    if (indices.empty()) {  // every image, in file order
        all.resize(set.count);
        for (size_t i = 0; i < set.count; ++i) all[i] = static_cast<uint32_t>(i);
        order = &all;
    }
    Evaluation result;
    result.confusion = make_confusion_matrix(mlp.classes());
    if (predictions) predictions->clear();
    if (confidences) confidences->clear();
    double loss_sum = 0.0;
    for (size_t start = 0; start < order->size(); start += ws.max_batch) {
        const size_t rows = std::min(ws.max_batch, order->size() - start);
        load_batch_parallel(compute, ws.input.top_rows(rows), ws.labels.data(), set, order->data() + start, rows);
        loss_sum += mlp_forward(compute, mlp, ws, rows, false, 0.0f, 0);
        for (size_t r = 0; r < rows; ++r) {
            const size_t predicted = argmax_row(ws.probs, r);
            add_prediction(result.confusion, ws.labels[r], predicted);
            if (predictions) predictions->push_back(static_cast<uint8_t>(predicted));
            if (confidences) confidences->push_back(ws.probs.values[r * ws.probs.cols + predicted]);
        }
    }
    const Metrics metrics = compute_metrics(result.confusion);
    result.accuracy = metrics.accuracy;
    result.loss = order->empty() ? 0.0 : loss_sum / static_cast<double>(order->size());
    return result;
}

std::vector<LayerActivations> measure_activations(Compute& compute, const Mlp& mlp, const ImageSet& set,
                                                  size_t images) {
    constexpr size_t kChunk = 256;
    const size_t count = std::min(images, set.count);
    ActivationSums sums = make_activation_sums(mlp, kChunk);
    Matrix input(kChunk, mlp.inputs());            // [chunk x inputs]
    std::vector<uint8_t> labels(kChunk);           // [chunk], unused
    std::vector<uint32_t> indices(kChunk);
    for (size_t start = 0; start < count; start += kChunk) {
        const size_t rows = std::min(kChunk, count - start);
        for (size_t r = 0; r < rows; ++r) indices[r] = static_cast<uint32_t>(start + r);
        load_batch_parallel(compute, input.top_rows(rows), labels.data(), set, indices.data(), rows);
        add_activations(compute, mlp, input.top_rows(rows), sums);
    }
    return activation_statistics(sums);
}

}  // namespace mnist
