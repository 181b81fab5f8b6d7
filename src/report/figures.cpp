// Each figure: pick the numbers, fill a chart struct, write a caption from the same numbers.
#include "report/figures.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "codec/image.h"
#include "codec/png_writer.h"
#include "nn/parameters.h"
#include "report/colour_map.h"
#include "report/image_grid.h"
#include "report/svg_charts.h"

namespace mnist {
namespace {

std::string format(const char* pattern, double value) {
    char text[64];
    std::snprintf(text, sizeof text, pattern, value);
    return text;
}

// The training and validation series of one quantity per epoch, with the best epoch marked. The training
// series is measured on the batches as they were trained (with dropout and augmentation when they are on).
Figure curve_figure(const TrainResult& result, bool accuracy) {
    LineChart chart;
    chart.integer_x = true;
    chart.x_label = "epoch";
    LineSeries train{"training (batches as trained)", {}, {}}, validation{"validation", {}, {}};
    LineSeries after_epoch{"training set after the epoch", {}, {}};  // --train-metrics after-epoch
    bool evaluated = !result.history.empty();
    for (const EpochRecord& r : result.history) {
        train.x.push_back(static_cast<double>(r.epoch));
        validation.x.push_back(static_cast<double>(r.epoch));
        after_epoch.x.push_back(static_cast<double>(r.epoch));
        train.y.push_back(accuracy ? r.train_accuracy : r.train_loss);
        validation.y.push_back(accuracy ? r.validation_accuracy : r.validation_loss);
        after_epoch.y.push_back(accuracy ? r.train_eval_accuracy : r.train_eval_loss);
        evaluated = evaluated && r.train_evaluated;
    }
    chart.series = {train, validation};
    if (evaluated) chart.series.push_back(after_epoch);
    const EpochRecord* best = nullptr;
    for (const EpochRecord& r : result.history)
        if (r.epoch == result.best_epoch) best = &r;
    if (best) {
        chart.has_marker = true;
        chart.marker_x = static_cast<double>(best->epoch);
        chart.marker_y = accuracy ? best->validation_accuracy : best->validation_loss;
        chart.marker_label = "best epoch " + std::to_string(best->epoch) + " (validation accuracy " +
                             format("%.4f", best->validation_accuracy) + ")";
    }
    Figure figure;
    if (accuracy) {
        chart.title = "Accuracy per epoch";
        chart.y_label = "accuracy";
        figure = {"accuracy_curve", "Accuracy curves", "", svg_line_chart(chart), {}};
    } else {
        chart.title = "Loss per epoch (mean cross-entropy)";
        chart.y_label = "cross-entropy";
        figure = {"loss_curve", "Loss curves", "", svg_line_chart(chart), {}};
    }
    figure.caption = "Training values are averaged over each epoch's batches as they were trained, with dropout "
                     "on; validation values are measured after the epoch, without dropout";
    figure.caption += evaluated ? ", and so is the training set (--train-metrics after-epoch). " : ". ";
    if (best) {
        const EpochRecord& last = result.history.back();
        figure.caption += "The circle marks epoch " + std::to_string(best->epoch) + ", the best validation accuracy (" +
                          format("%.4f", best->validation_accuracy) + "), whose weights the model keeps; training ran " +
                          std::to_string(result.epochs_run) + " epochs. ";
        if (!accuracy)
            figure.caption += "Validation loss there " + format("%.4f", best->validation_loss) + ", at the last epoch " +
                              format("%.4f", last.validation_loss) + ".";
        else
            figure.caption += "Training accuracy there " + format("%.4f", best->train_accuracy) + ", at the last epoch " +
                              format("%.4f", last.train_accuracy) + ".";
    }
    return figure;
}

}  // namespace

std::vector<Mistake> most_confident_mistakes(const ImageSet& set, const std::vector<uint8_t>& predictions,
                                             const std::vector<float>& confidences, size_t count) {
    std::vector<Mistake> mistakes;
    for (size_t i = 0; i < set.count && i < predictions.size() && i < confidences.size(); ++i)
        if (predictions[i] != set.labels[i])
            mistakes.push_back({static_cast<uint32_t>(i), set.labels[i], predictions[i], confidences[i]});
    std::stable_sort(mistakes.begin(), mistakes.end(),
                     [](const Mistake& a, const Mistake& b) { return a.confidence > b.confidence; });
    if (mistakes.size() > count) mistakes.resize(count);
    return mistakes;
}

Figure loss_curve_figure(const TrainResult& result) { return curve_figure(result, false); }
Figure accuracy_curve_figure(const TrainResult& result) { return curve_figure(result, true); }

Figure confusion_figure(const ConfusionMatrix& confusion) {
    HeatMap map;
    map.title = "Confusion matrix on the test set";
    map.x_label = "predicted";
    map.y_label = "true";
    map.scale_label = "images (log scale)";
    map.rows = map.cols = confusion.classes;
    map.row_labels = map.col_labels = class_labels(confusion.classes);
    map.log_colour = true;
    uint64_t total = 0, wrong = 0, worst = 0;
    size_t worst_true = 0, worst_predicted = 0;
    for (size_t t = 0; t < confusion.classes; ++t)
        for (size_t p = 0; p < confusion.classes; ++p) {
            const uint64_t n = confusion.at(t, p);
            map.values.push_back(static_cast<double>(n));
            total += n;
            if (t == p) continue;
            wrong += n;
            if (n > worst) {
                worst = n;
                worst_true = t;
                worst_predicted = p;
            }
        }
    std::string caption = "Rows are true labels, columns predictions; the diagonal holds the correct answers. Colour "
                          "follows log(1 + count) so that single mistakes show. " + std::to_string(wrong) + " of " +
                          std::to_string(total) + " test images are misclassified";
    if (worst > 0)
        caption += "; the most frequent confusion is a true " + std::to_string(worst_true) + " predicted as " +
                   std::to_string(worst_predicted) + " (" + std::to_string(worst) + " times)";
    return {"confusion_matrix", "Confusion matrix", caption + ".", svg_heat_map(map), {}};
}

Figure class_metrics_figure(const Metrics& metrics) {
    BarChart chart;
    chart.title = "Precision, recall and F1 of each digit (test set)";
    chart.x_label = "digit";
    chart.y_label = "score";
    chart.categories = class_labels(metrics.per_class.size());
    BarSeries precision{"precision", {}}, recall{"recall", {}}, f1{"F1", {}};
    double lowest = 1;
    size_t worst = 0, best = 0;
    for (const ClassMetrics& m : metrics.per_class) {
        precision.values.push_back(m.precision);
        recall.values.push_back(m.recall);
        f1.values.push_back(m.f1);
        lowest = std::min({lowest, m.precision, m.recall, m.f1});
        if (m.f1 < metrics.per_class[worst].f1) worst = m.label;
        if (m.f1 > metrics.per_class[best].f1) best = m.label;
    }
    chart.series = {precision, recall, f1};
    // The differences between classes are a few hundredths: start the axis at the multiple of 0.05 below
    // the lowest score (and say so in the caption) rather than at 0, where every bar would look the same.
    chart.y_min = std::max(0.0, std::floor((lowest - 0.01) * 20) / 20);
    chart.y_max = 1;
    std::string caption = "Precision: of the images predicted as the digit, the share that are it; recall: of the "
                          "images of the digit, the share found. ";
    if (chart.y_min > 0) caption += "The axis starts at " + format("%.2f", chart.y_min) + ", not 0. ";
    if (!metrics.per_class.empty())
        caption += "Lowest F1: digit " + std::to_string(worst) + " (" + format("%.4f", metrics.per_class[worst].f1) +
                   "); highest: digit " + std::to_string(best) + " (" + format("%.4f", metrics.per_class[best].f1) +
                   "); macro F1 " + format("%.4f", metrics.macro_f1) + ".";
    return {"class_metrics", "Per-class precision, recall and F1", caption, svg_bar_chart(chart), {}};
}

Figure mistakes_figure(const ImageSet& set, const std::vector<Mistake>& mistakes, size_t columns) {
    TileLayout layout;
    layout.tile_width = set.cols;
    layout.tile_height = set.rows;
    layout.cols = std::max<size_t>(std::min(columns, mistakes.size()), 1);
    layout.rows = std::max<size_t>((mistakes.size() + layout.cols - 1) / layout.cols, 1);
    layout.scale = tile_scale(set.rows, set.cols, 84);
    layout.gap = 4;
    layout.caption_height = 44;  // three lines of caption
    TileImage grid = make_tile_image(layout, 1, 255);
    std::vector<uint8_t> tile(set.rows * set.cols);
    ImageGridChart chart;
    for (size_t i = 0; i < mistakes.size(); ++i) {
        const Mistake& m = mistakes[i];
        const uint8_t* image = set.pixels.data() + size_t{m.index} * tile.size();
        for (size_t p = 0; p < tile.size(); ++p) tile[p] = static_cast<uint8_t>(255 - image[p]);
        put_tile(grid, i / layout.cols, i % layout.cols, tile.data());
        chart.captions.push_back({std::to_string(m.true_label) + " \u2192 " + std::to_string(m.predicted),
                                  format("%.1f%%", 100.0 * m.confidence), "#" + std::to_string(m.index)});
    }
    chart.title = "The " + std::to_string(mistakes.size()) + " most confident mistakes on the test set";
    chart.layout = layout;
    chart.png = encode_png(grid.pixels.data(), layout.image_width(), layout.image_height(), 1);
    chart.note = "under each image: true \u2192 predicted label, the probability given to the prediction, the test "
                 "image's index";
    std::string caption = "Test images the model got wrong, most confident first.";
    if (!mistakes.empty())
        caption += " Confidence ranges from " + format("%.1f%%", 100.0 * mistakes.front().confidence) + " down to " +
                   format("%.1f%%", 100.0 * mistakes.back().confidence) +
                   " here. Worth a look: for some of them the true label is arguable.";
    return {"mistakes", "Most confident mistakes", caption, svg_image_grid(chart), chart.png};
}

Figure first_layer_figure(const Mlp& mlp, size_t image_rows, size_t image_cols, size_t max_units) {
    const std::vector<float>& block = mlp.parameters;
    const ConstMatrixView w = weights_of(mlp.layout, block, 0);  // [units x inputs]
    const size_t units = std::min(w.rows, max_units);
    // One colour scale for every unit, so that tiles compare: +-3 RMS of all the layer's weights (the few
    // larger weights saturate). Units whose weights are all tiny next to the layer's largest come out white.
    double squares = 0, largest = 0;
    for (size_t i = 0; i < w.size(); ++i) {
        squares += static_cast<double>(w.data[i]) * w.data[i];
        largest = std::max(largest, static_cast<double>(std::fabs(w.data[i])));
    }
    const double range = 3 * std::sqrt(squares / static_cast<double>(std::max<size_t>(w.size(), 1)));
    size_t faint = 0;  // units with every |w| below 1% of the layer's largest
    for (size_t u = 0; u < w.rows; ++u) {
        double unit_largest = 0;
        for (size_t i = 0; i < w.cols; ++i) unit_largest = std::max(unit_largest, static_cast<double>(std::fabs(w.at(u, i))));
        faint += unit_largest < 0.01 * largest;
    }

    TileLayout layout;
    layout.tile_width = image_cols;
    layout.tile_height = image_rows;
    layout.cols = std::min<size_t>(units, 16);
    layout.rows = (units + layout.cols - 1) / layout.cols;
    layout.scale = tile_scale(image_rows, image_cols, 56);
    TileImage grid = make_tile_image(layout, 3, 160);
    std::vector<uint8_t> tile(image_rows * image_cols * 3);
    for (size_t u = 0; u < units; ++u) {
        for (size_t i = 0; i < image_rows * image_cols && i < w.cols; ++i) {
            const Rgb c = diverging_colour(range > 0 ? w.at(u, i) / range : 0);
            tile[3 * i] = c.r;
            tile[3 * i + 1] = c.g;
            tile[3 * i + 2] = c.b;
        }
        put_tile(grid, u / layout.cols, u % layout.cols, tile.data());
    }
    ImageGridChart chart;
    chart.title = "First layer: the weights into " + std::to_string(units) + " of its " + std::to_string(w.rows) +
                  " units, as " + size_text(image_cols, image_rows) + " images";
    chart.layout = layout;
    chart.png = encode_png(grid.pixels.data(), layout.image_width(), layout.image_height(), 3);
    chart.note = "blue: negative weight, white: 0, red: positive; one scale for all, from " + format("%.3f", -range) +
                 " to " + format("%.3f", range) + " (3 RMS)";
    const std::string caption =
        "Each tile is one row of W(1): how strongly each pixel pushes that unit up (red) or down (blue). A pixel that "
        "is 0 in every training image gets no gradient from the data, so only L2 acts on its weights and shrinks "
        "them to 0: the white frame. " + std::to_string(faint) + " of the " + std::to_string(w.rows) +
        " units have every weight below 1% of the layer's largest (" + format("%.3f", largest) +
        "): units that do not respond to the image at all.";
    return {"first_layer_weights", "First-layer weights", caption, svg_image_grid(chart), chart.png};
}

TrainingFigures training_figures(const TrainResult& result, const ConfusionMatrix& confusion, const Metrics& metrics,
                                 const ImageSet& test_set, const std::vector<uint8_t>& predictions,
                                 const std::vector<float>& confidences, const Mlp& mlp) {
    TrainingFigures figures;
    figures.curves = {loss_curve_figure(result), accuracy_curve_figure(result)};
    figures.test = {confusion_figure(confusion), class_metrics_figure(metrics)};
    const std::vector<Mistake> mistakes = most_confident_mistakes(test_set, predictions, confidences, 30);
    if (!mistakes.empty()) figures.test.push_back(mistakes_figure(test_set, mistakes, 10));
    figures.model = {first_layer_figure(mlp, test_set.rows, test_set.cols, 64)};
    return figures;
}

}  // namespace mnist
