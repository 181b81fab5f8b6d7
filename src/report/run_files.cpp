// Text tables, CSV and JSON for a run's results.
#include "report/run_files.h"

#include <cstdio>

#include "util/json.h"

namespace mnist {

std::string epoch_table_header(bool train_evaluated) {
    return std::string("epoch  train_loss   with_l2  train_acc") +
           (train_evaluated ? "  train_eval_loss  train_eval_acc" : "") + "  val_loss  val_acc  seconds\n";
}

std::string epoch_table_row(const EpochRecord& r, bool improved) {
    char evaluated[48] = "";
    if (r.train_evaluated)
        std::snprintf(evaluated, sizeof evaluated, "  %15.4f  %14.4f", r.train_eval_loss, r.train_eval_accuracy);
    char line[200];
    std::snprintf(line, sizeof line, "%5zu  %10.4f  %8.4f  %9.4f%s  %8.4f  %7.4f  %7.2f%s\n", r.epoch, r.train_loss,
                  r.train_objective, r.train_accuracy, evaluated, r.validation_loss, r.validation_accuracy, r.seconds,
                  improved ? "  *" : "");
    return line;
}

std::string class_report(const Metrics& metrics) {
    std::string out = "class  precision  recall  f1-score  support\n";
    char line[128];
    uint64_t total = 0;
    for (const ClassMetrics& m : metrics.per_class) {
        std::snprintf(line, sizeof line, "%5zu  %9.4f  %6.4f  %8.4f  %7llu\n", m.label, m.precision, m.recall, m.f1,
                      static_cast<unsigned long long>(m.support));
        out += line;
        total += m.support;
    }
    std::snprintf(line, sizeof line, "macro  %9.4f  %6.4f  %8.4f  %7llu\n", metrics.macro_precision,
                  metrics.macro_recall, metrics.macro_f1, static_cast<unsigned long long>(total));
    out += line;
    return out;
}

std::string confusion_report(const ConfusionMatrix& confusion) {
    std::string out = "true\\pred";
    char cell[32];
    for (size_t p = 0; p < confusion.classes; ++p) {
        std::snprintf(cell, sizeof cell, " %5zu", p);
        out += cell;
    }
    out += "\n";
    for (size_t t = 0; t < confusion.classes; ++t) {
        std::snprintf(cell, sizeof cell, "%9zu", t);
        out += cell;
        for (size_t p = 0; p < confusion.classes; ++p) {
            std::snprintf(cell, sizeof cell, " %5llu", static_cast<unsigned long long>(confusion.at(t, p)));
            out += cell;
        }
        out += "\n";
    }
    return out;
}

std::string history_csv(const TrainResult& result) {
    const bool evaluated = !result.history.empty() && result.history.front().train_evaluated;
    std::string out = std::string("epoch,train_loss,train_objective,train_acc,") +
                      (evaluated ? "train_eval_loss,train_eval_acc," : "") + "val_loss,val_acc,seconds\n";
    char line[256], extra[64] = "";
    for (const EpochRecord& r : result.history) {
        if (evaluated) std::snprintf(extra, sizeof extra, "%.6f,%.6f,", r.train_eval_loss, r.train_eval_accuracy);
        std::snprintf(line, sizeof line, "%zu,%.6f,%.6f,%.6f,%s%.6f,%.6f,%.3f\n", r.epoch, r.train_loss,
                      r.train_objective, r.train_accuracy, extra, r.validation_loss, r.validation_accuracy, r.seconds);
        out += line;
    }
    return out;
}

std::string activation_table(const std::vector<LayerActivations>& layers) {
    std::string out = "layer  units      mean Z       Var Z      mean A       Var A    dead\n";
    char line[128];
    for (size_t h = 0; h < layers.size(); ++h) {
        const LayerActivations& l = layers[h];
        std::snprintf(line, sizeof line, "%5zu  %5zu  %10.4g  %10.4g  %10.4g  %10.4g  %5.1f%%\n", h + 1, l.units, l.z_mean,
                      l.z_variance, l.a_mean, l.a_variance, 100.0 * l.dead_share());
        out += line;
    }
    return out;
}

std::string activations_json(const std::vector<LayerActivations>& layers) {
    JsonWriter json;
    json.begin_array();
    for (size_t h = 0; h < layers.size(); ++h) {
        const LayerActivations& l = layers[h];
        json.begin_object();
        json.key("layer").value(static_cast<uint64_t>(h + 1));
        json.key("units").value(static_cast<uint64_t>(l.units));
        json.key("z_mean").value(l.z_mean);
        json.key("z_var").value(l.z_variance);
        json.key("a_mean").value(l.a_mean);
        json.key("a_var").value(l.a_variance);
        json.key("dead_units").value(static_cast<uint64_t>(l.dead_units));
        json.key("dead_share").value(l.dead_share());
        json.end_object();
    }
    json.end_array();
    return json.text();
}

std::string metrics_json(const TrainResult* result, double test_accuracy, double test_loss, const Metrics& metrics,
                         const ConfusionMatrix& confusion, const std::string& config_json,
                         const std::string& activations) {
    JsonWriter json;
    json.begin_object();
    json.key("test_accuracy").value(test_accuracy);
    json.key("test_loss").value(test_loss);
    if (result) {
        json.key("best_epoch").value(static_cast<uint64_t>(result->best_epoch));
        json.key("best_val_accuracy").value(result->best_validation_accuracy);
        json.key("epochs_run").value(static_cast<uint64_t>(result->epochs_run));
        json.key("train_seconds").value(result->train_seconds);
        json.key("history").begin_array();
        for (const EpochRecord& r : result->history) {
            json.begin_object();
            json.key("epoch").value(static_cast<uint64_t>(r.epoch));
            json.key("train_loss").value(r.train_loss);
            json.key("train_objective").value(r.train_objective);
            json.key("train_acc").value(r.train_accuracy);
            if (r.train_evaluated) {
                json.key("train_eval_loss").value(r.train_eval_loss);
                json.key("train_eval_acc").value(r.train_eval_accuracy);
            }
            json.key("val_loss").value(r.validation_loss);
            json.key("val_acc").value(r.validation_accuracy);
            json.key("seconds").value(r.seconds);
            json.end_object();
        }
        json.end_array();
    }
    json.key("per_class").begin_array();
    for (const ClassMetrics& m : metrics.per_class) {
        json.begin_object();
        json.key("label").value(static_cast<uint64_t>(m.label));
        json.key("precision").value(m.precision);
        json.key("recall").value(m.recall);
        json.key("f1").value(m.f1);
        json.key("support").value(m.support);
        json.end_object();
    }
    json.end_array();
    json.key("macro_avg").begin_object();
    json.key("precision").value(metrics.macro_precision);
    json.key("recall").value(metrics.macro_recall);
    json.key("f1").value(metrics.macro_f1);
    json.end_object();
    json.key("confusion").begin_array();
    for (size_t t = 0; t < confusion.classes; ++t) {
        json.begin_array();
        for (size_t p = 0; p < confusion.classes; ++p) json.value(confusion.at(t, p));
        json.end_array();
    }
    json.end_array();
    json.key("config").raw(config_json.empty() ? std::string("{}") : config_json);
    if (!activations.empty()) json.key("activations").raw(activations);
    json.end_object();
    return json.text() + "\n";
}

}  // namespace mnist
