// Classification metrics from a confusion matrix: accuracy, and per class precision, recall, F1 and
// support, with their macro averages (the report's Table 2). See docs/07-training.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace mnist {

// counts[t * classes + p]: how many examples of true class t were predicted as p. Rows are true labels.
struct ConfusionMatrix {
    size_t classes = 0;
    std::vector<uint64_t> counts;
    uint64_t at(size_t true_label, size_t predicted) const { return counts[true_label * classes + predicted]; }
};
ConfusionMatrix make_confusion_matrix(size_t classes);
void add_prediction(ConfusionMatrix& confusion, size_t true_label, size_t predicted);

struct ClassMetrics {
    size_t label = 0;
    double precision = 0, recall = 0, f1 = 0;
    uint64_t support = 0;  // examples of this true class
};

struct Metrics {
    uint64_t total = 0, correct = 0;
    double accuracy = 0;
    std::vector<ClassMetrics> per_class;
    double macro_precision = 0, macro_recall = 0, macro_f1 = 0;
};

// Eq. (21)-(25). A ratio whose denominator is 0 (a class never predicted, or absent) is reported as 0.
Metrics compute_metrics(const ConfusionMatrix& confusion);

}  // namespace mnist
