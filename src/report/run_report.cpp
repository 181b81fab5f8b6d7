// Sections of a run's report. Numbers are formatted as the terminal prints them (4 decimals).
#include "report/run_report.h"

#include <cmath>
#include <cstdio>

#include "codec/image.h"

namespace mnist {
namespace {

std::string fixed(double value, int decimals) {
    char text[32];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

std::string ratio_cell(double ratio) { return std::isfinite(ratio) ? fixed(ratio, 3) : "-"; }

}  // namespace

ReportTable epoch_table(const TrainResult& result) {
    ReportTable table;
    table.caption = "Table 1: training per epoch (the highlighted row is the best epoch, whose weights are kept)";
    const bool evaluated = !result.history.empty() && result.history.front().train_evaluated;
    table.header = {"epoch", "train_loss", "with_l2", "train_acc"};
    if (evaluated) table.header.insert(table.header.end(), {"train_eval_loss", "train_eval_acc"});
    table.header.insert(table.header.end(), {"val_loss", "val_acc", "seconds"});
    for (const EpochRecord& r : result.history) {
        std::vector<std::string> row = {std::to_string(r.epoch), fixed(r.train_loss, 4), fixed(r.train_objective, 4),
                                        fixed(r.train_accuracy, 4)};
        if (evaluated) row.insert(row.end(), {fixed(r.train_eval_loss, 4), fixed(r.train_eval_accuracy, 4)});
        row.insert(row.end(), {fixed(r.validation_loss, 4), fixed(r.validation_accuracy, 4), fixed(r.seconds, 2)});
        table.rows.push_back(row);
        table.highlight.push_back(r.epoch == result.best_epoch);
    }
    return table;
}

namespace {

// The hidden layers' activation statistics as a table (docs/04-init-dropout-l2.md).
ReportTable activation_report_table(const std::string& caption, const std::vector<LayerActivations>& layers) {
    ReportTable table;
    table.caption = caption;
    table.header = {"layer", "units", "mean Z", "Var Z", "mean A", "Var A", "dead units"};
    for (size_t h = 0; h < layers.size(); ++h) {
        const LayerActivations& l = layers[h];
        table.rows.push_back({std::to_string(h + 1), std::to_string(l.units), fixed(l.z_mean, 4), fixed(l.z_variance, 4),
                              fixed(l.a_mean, 4), fixed(l.a_variance, 4), fixed(100.0 * l.dead_share(), 1) + " %"});
    }
    return table;
}

}  // namespace

ReportTable class_table(const Metrics& metrics) {
    ReportTable table;
    table.caption = "Table 2: test set, per class";
    table.header = {"class", "precision", "recall", "f1-score", "support"};
    uint64_t total = 0;
    for (const ClassMetrics& m : metrics.per_class) {
        table.rows.push_back({std::to_string(m.label), fixed(m.precision, 4), fixed(m.recall, 4), fixed(m.f1, 4),
                              std::to_string(m.support)});
        total += m.support;
    }
    table.rows.push_back({"macro avg", fixed(metrics.macro_precision, 4), fixed(metrics.macro_recall, 4),
                          fixed(metrics.macro_f1, 4), std::to_string(total)});
    return table;
}

ReportSection eda_section(const EdaSummary& eda, const std::vector<Figure>& figures) {
    ReportSection s;
    s.id = "data";
    s.title = "The data";
    s.paragraphs.push_back(std::to_string(eda.classes) + " classes of " + size_text(eda.cols, eda.rows) +
                           " greyscale images. Observations, computed from the files:");
    for (const std::string& line : eda_observations(eda)) s.paragraphs.push_back(line);
    ReportTable counts;
    counts.caption = "Images per class in each set";
    counts.header = {"class"};
    for (const ClassCounts& set : eda.sets) counts.header.push_back(set.set_name);
    for (size_t c = 0; c < eda.classes; ++c) {
        std::vector<std::string> row = {std::to_string(c)};
        for (const ClassCounts& set : eda.sets) row.push_back(std::to_string(set.counts[c]));
        counts.rows.push_back(row);
    }
    std::vector<std::string> total = {"total"}, ratio = {"largest / smallest"};
    for (const ClassCounts& set : eda.sets) {
        total.push_back(std::to_string(set.total));
        ratio.push_back(ratio_cell(max_min_ratio(set)));
    }
    counts.rows.push_back(total);
    counts.rows.push_back(ratio);
    s.tables.push_back(counts);
    s.figures = figures;
    return s;
}

Report run_report(const RunReportInput& in) {
    Report report;
    report.title = "MNIST multilayer perceptron: run report";
    if (in.test && in.training)
        report.summary = in.model_shape + ". Test accuracy " + fixed(in.test->accuracy, 4) + ", test loss " +
                         fixed(in.test->loss, 4) + ", with the weights of epoch " +
                         std::to_string(in.training->best_epoch) + " of " + std::to_string(in.training->epochs_run) + ".";

    ReportSection config;
    config.id = "configuration";
    config.title = "Configuration";
    config.paragraphs.push_back("The settings this run used (defaults included; with --resume, the checkpoint's); the same as "
                                "metrics.json's \"config\". Network: " + in.model_shape + ".");
    ReportTable options;
    options.caption = "Options";
    options.header = {"option", "value"};
    options.text = true;
    for (const auto& kv : in.configuration) options.rows.push_back({kv.first, kv.second});
    config.tables.push_back(options);
    report.sections.push_back(config);

    if (in.eda) {
        report.sections.push_back(eda_section(*in.eda, in.eda_figures));
    } else {
        ReportSection skipped;
        skipped.id = "data";
        skipped.title = "The data";
        skipped.paragraphs.push_back("Skipped: this run was started with --no-eda (`mnist eda` draws these figures).");
        report.sections.push_back(skipped);
    }

    if (in.training) {
        const TrainResult& t = *in.training;
        ReportSection training;
        training.id = "training";
        training.title = "Training";
        training.paragraphs.push_back(
            "Trained for " + std::to_string(t.epochs_run) + " epochs in " + fixed(t.train_seconds, 1) +
            " s; the best validation accuracy, " + fixed(t.best_validation_accuracy, 4) + ", came at epoch " +
            std::to_string(t.best_epoch) + ", and those weights are the model's.");
        training.tables.push_back(epoch_table(t));
        training.figures = in.figures.curves;
        report.sections.push_back(training);
    }

    if (in.test && in.metrics) {
        ReportSection test;
        test.id = "test";
        test.title = "Test results";
        test.paragraphs.push_back("Test accuracy " + fixed(in.test->accuracy, 4) + " (" +
                                  std::to_string(in.metrics->correct) + " of " + std::to_string(in.metrics->total) +
                                  " images), test loss (mean cross-entropy) " + fixed(in.test->loss, 4) + ".");
        test.tables.push_back(class_table(*in.metrics));
        test.figures = in.figures.test;
        report.sections.push_back(test);
    }

    if (!in.figures.model.empty() || !in.activations_trained.empty()) {
        ReportSection model;
        model.id = "model";
        model.title = "Inside the model";
        if (!in.activations_trained.empty()) {
            model.paragraphs.push_back(
                "Each hidden layer's pre-activation Z and output A = ReLU(Z) on the first " +
                std::to_string(kActivationSampleImages) +
                " training images, without dropout: means and variances over every (image, unit) pair, and the "
                "share of units whose output is 0 for every one of them (docs/04-init-dropout-l2.md).");
            if (!in.activations_initial.empty())
                model.tables.push_back(activation_report_table("Hidden layers after initialisation", in.activations_initial));
            model.tables.push_back(activation_report_table("Hidden layers after training (the best epoch's weights)",
                                                           in.activations_trained));
        }
        model.figures = in.figures.model;
        report.sections.push_back(model);
    }
    return report;
}

Report eda_report(const EdaSummary& eda, const std::vector<Figure>& figures, const std::string& data_dir) {
    Report report;
    report.title = "MNIST: the data";
    report.summary = "Exploratory figures for the files in " + data_dir + ", before any training.";
    report.sections.push_back(eda_section(eda, figures));
    return report;
}

}  // namespace mnist
