// What report.html and report.md say about a run, in order: the configuration, the data (EDA figures and
// observations), training (Table 1 and the curves), the test results (accuracy and loss, Table 2 and
// their figures) and the first layer's weights. Chooses the content and writes the sentences;
// html_report.h renders it and figures.h / eda.h draw the figures. See docs/10-figures.md.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "report/eda.h"
#include "report/figures.h"
#include "report/html_report.h"
#include "train/evaluate.h"
#include "train/metrics.h"
#include "train/trainer.h"

namespace mnist {

// Table 1: one row per epoch (epoch, train_loss, with_l2, train_acc, [train_eval_loss, train_eval_acc,]
// val_loss, val_acc, seconds), the best epoch's row highlighted, as the terminal prints it (report/run_files.h).
ReportTable epoch_table(const TrainResult& result);

// Table 2: per class precision, recall, f1-score and support, then the macro average.
ReportTable class_table(const Metrics& metrics);

// The EDA section: the observations, a table of class counts per set, the four figures.
ReportSection eda_section(const EdaSummary& eda, const std::vector<Figure>& figures);

// Everything a finished run knows, for its report.
struct RunReportInput {
    std::vector<std::pair<std::string, std::string>> configuration;  // option and value, as run
    std::string model_shape;                                         // e.g. "784 -> 512 -> 256 -> 128 -> 10"
    const EdaSummary* eda = nullptr;                                 // null when --no-eda
    std::vector<Figure> eda_figures;
    const TrainResult* training = nullptr;
    const Evaluation* test = nullptr;
    const Metrics* metrics = nullptr;
    TrainingFigures figures;
    // The hidden layers' activation statistics (nn/activation_stats.h) after initialisation and after
    // training, on the first kActivationSampleImages training images; empty: not shown.
    std::vector<LayerActivations> activations_initial, activations_trained;
};
Report run_report(const RunReportInput& input);

// The report of `mnist eda`: the data section alone.
Report eda_report(const EdaSummary& eda, const std::vector<Figure>& figures, const std::string& data_dir);

}  // namespace mnist
