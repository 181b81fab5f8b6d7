// The figures of a finished training run: loss and accuracy per epoch (training against validation, the
// best epoch marked), the test confusion matrix as a heat map, per-class precision/recall/F1 as bars, the
// test images the model got wrong most confidently, and the first layer's weights as images. Drawn from
// the results of train/ and nn/; nothing here trains or evaluates. See docs/10-figures.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "data/mnist_files.h"
#include "nn/mlp.h"
#include "report/figure.h"
#include "train/metrics.h"
#include "train/trainer.h"

namespace mnist {

// One misclassified image: its index in its set, the true and predicted labels, and the probability the
// model gave its (wrong) prediction.
struct Mistake {
    uint32_t index = 0;
    uint8_t true_label = 0, predicted = 0;
    float confidence = 0;
};

// The misclassified images of `set` (predictions and confidences in file order, as evaluate() gives them
// for all of a set), most confident first (ties: lower index first), at most `count` of them.
std::vector<Mistake> most_confident_mistakes(const ImageSet& set, const std::vector<uint8_t>& predictions,
                                             const std::vector<float>& confidences, size_t count);

Figure loss_curve_figure(const TrainResult& result);
Figure accuracy_curve_figure(const TrainResult& result);
Figure confusion_figure(const ConfusionMatrix& confusion);
Figure class_metrics_figure(const Metrics& metrics);
// A grid of the mistakes' images, `columns` across, each captioned "true -> predicted", the confidence and
// the image's index. Needs at least one mistake.
Figure mistakes_figure(const ImageSet& set, const std::vector<Mistake>& mistakes, size_t columns);
// The weights into each of the first `max_units` units of layer 1, each unit's row of W(1) drawn as an
// image_rows x image_cols tile: blue negative, white 0, red positive, scaled per unit by its largest |w|.
Figure first_layer_figure(const Mlp& mlp, size_t image_rows, size_t image_cols, size_t max_units);

// All of the above for a run, grouped as the report shows them.
struct TrainingFigures {
    std::vector<Figure> curves;  // loss, accuracy
    std::vector<Figure> test;    // confusion matrix, per-class metrics, mistakes (when there are any)
    std::vector<Figure> model;   // first-layer weights
};
TrainingFigures training_figures(const TrainResult& result, const ConfusionMatrix& confusion, const Metrics& metrics,
                                 const ImageSet& test_set, const std::vector<uint8_t>& predictions,
                                 const std::vector<float>& confidences, const Mlp& mlp);

}  // namespace mnist
