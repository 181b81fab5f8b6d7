// Confusion-matrix metrics, Eq. (21)-(25). See docs/07-training.md, which works an example by hand.
#include "train/metrics.h"

namespace mnist {

ConfusionMatrix make_confusion_matrix(size_t classes) {
    ConfusionMatrix confusion;
    confusion.classes = classes;
    confusion.counts.assign(classes * classes, 0);
    return confusion;
}

void add_prediction(ConfusionMatrix& confusion, size_t true_label, size_t predicted) {
    ++confusion.counts[true_label * confusion.classes + predicted];
}

namespace {
double ratio(double numerator, double denominator) { return denominator > 0 ? numerator / denominator : 0.0; }
}  // namespace

// Eq. (21) accuracy = correct / total
// Eq. (22) precision_c = TP_c / (TP_c + FP_c)     (column c: everything predicted as c)
// Eq. (23) recall_c    = TP_c / (TP_c + FN_c)     (row c: everything truly c)
// Eq. (24) F1_c        = 2 P_c R_c / (P_c + R_c)
// Eq. (25) macro average = the unweighted mean over classes
Metrics compute_metrics(const ConfusionMatrix& confusion) {
    Metrics metrics;
    const size_t k = confusion.classes;
    for (size_t t = 0; t < k; ++t) {
        for (size_t p = 0; p < k; ++p) metrics.total += confusion.at(t, p);
        metrics.correct += confusion.at(t, t);
    }
    metrics.accuracy = ratio(static_cast<double>(metrics.correct), static_cast<double>(metrics.total));
    for (size_t c = 0; c < k; ++c) {
        uint64_t predicted_as_c = 0, truly_c = 0;
        for (size_t i = 0; i < k; ++i) {
            predicted_as_c += confusion.at(i, c);
            truly_c += confusion.at(c, i);
        }
        ClassMetrics m;
        m.label = c;
        m.support = truly_c;
        const double tp = static_cast<double>(confusion.at(c, c));
        m.precision = ratio(tp, static_cast<double>(predicted_as_c));
        m.recall = ratio(tp, static_cast<double>(truly_c));
        m.f1 = ratio(2.0 * m.precision * m.recall, m.precision + m.recall);
        metrics.per_class.push_back(m);
        metrics.macro_precision += m.precision / static_cast<double>(k);
        metrics.macro_recall += m.recall / static_cast<double>(k);
        metrics.macro_f1 += m.f1 / static_cast<double>(k);
    }
    return metrics;
}

}  // namespace mnist
