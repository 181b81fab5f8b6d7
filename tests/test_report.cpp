// Tests for what a run shows: report/eda (class counts, samples, mean images and pixel statistics against
// values computed here independently, on a small synthetic data set), report/figures (which mistakes are
// picked, figures sized from the data, not from MNIST's 28 x 28), report/run_report and html_report (every
// section, table and figure present; the HTML well-formed and self-contained), and the files `mnist train`
// and `mnist eda` write. Not the chart drawing itself (tests/test_svg.cpp). See docs/10-figures.md.
#include <chrono>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "check.h"
#include "synthetic_data.h"
#include "test_files.h"
#include "cli/cli.h"
#include "data/dataset.h"
#include "nn/mlp.h"
#include "nn/parameters.h"
#include "report/eda.h"
#include "report/figures.h"
#include "report/html_report.h"
#include "report/run_report.h"
#include "train/metrics.h"
#include "xml_check.h"

using namespace mnist;
namespace fs = std::filesystem;
using namespace test_files;

namespace {

// Labelled images of rows x cols with a 1-pixel border of 0s (like MNIST's, so more than half of all pixels are
// 0 in the sizes used here); inside, class c lights band c of the rows. Labels 0..classes-1 at random, except
// that class `missing` (if < classes) never appears.
ImageSet synthetic_set(size_t count, size_t rows, size_t cols, size_t classes, size_t missing, uint64_t seed) {
    synthetic::Spec spec(count, rows, cols, seed);
    spec.stream = 1;
    spec.classes = classes;
    spec.missing = missing;
    spec.pattern = synthetic::Pattern::bands;
    spec.border = 1;
    return synthetic::make_images(spec);
}

MnistData synthetic_data(size_t classes, size_t missing) {
    MnistData data;
    data.train = synthetic_set(300, 5, 7, classes, missing, 11);
    data.test = synthetic_set(60, 5, 7, classes, classes, 12);
    data.num_classes = classes;
    return data;
}

size_t occurrences(const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

void test_eda_numbers() {
    const size_t classes = 4;
    const MnistData data = synthetic_data(classes, classes);
    const Split split = split_train_validation(data.train.count, 50, 3);
    const EdaSummary eda = compute_eda(data, split, 3);
    CHECK(eda.rows == 5 && eda.cols == 7 && eda.classes == classes);
    CHECK(eda.sets.size() == 3);

    // Class counts, set by set, counted here the plain way.
    std::vector<uint64_t> train(classes, 0), validation(classes, 0), test(classes, 0);
    for (const uint32_t i : split.train) ++train[data.train.labels[i]];
    for (const uint32_t i : split.validation) ++validation[data.train.labels[i]];
    for (const uint8_t label : data.test.labels) ++test[label];
    CHECK(eda.sets[0].set_name == "train" && eda.sets[0].counts == train && eda.sets[0].total == 250);
    CHECK(eda.sets[1].set_name == "validation" && eda.sets[1].counts == validation && eda.sets[1].total == 50);
    CHECK(eda.sets[2].set_name == "test" && eda.sets[2].counts == test && eda.sets[2].total == 60);
    uint64_t most = 0, least = UINT64_MAX;
    for (const uint64_t n : train) {
        most = std::max(most, n);
        least = std::min(least, n);
    }
    CHECK_NEAR(max_min_ratio(eda.sets[0]), static_cast<double>(most) / static_cast<double>(least), 1e-12);

    // Samples: the first three training-file images of each class, in file order.
    for (size_t c = 0; c < classes; ++c) {
        std::vector<uint32_t> expected;
        for (size_t i = 0; i < data.train.count && expected.size() < 3; ++i)
            if (data.train.labels[i] == c) expected.push_back(static_cast<uint32_t>(i));
        CHECK(eda.samples[c] == expected);
    }

    // Mean images, pixel by pixel, and the statistics of all pixels (two passes, in double).
    const size_t pixels = 35;
    for (size_t c = 0; c < classes; ++c) {
        std::vector<double> sum(pixels, 0.0);
        double n = 0;
        for (size_t i = 0; i < data.train.count; ++i) {
            if (data.train.labels[i] != c) continue;
            n += 1;
            for (size_t p = 0; p < pixels; ++p) sum[p] += data.train.pixels[i * pixels + p];
        }
        CHECK(eda.file_counts[c] == static_cast<uint64_t>(n));
        for (size_t p = 0; p < pixels; ++p) CHECK_NEAR(eda.mean_images[c][p], sum[p] / n, 1e-9);
    }
    double total = 0, zeros = 0;
    for (const uint8_t v : data.train.pixels) {
        total += v;
        zeros += v == 0;
    }
    const double count = static_cast<double>(data.train.pixels.size());
    const double mean = total / count / 255;
    double squares = 0;
    for (const uint8_t v : data.train.pixels) squares += (v / 255.0 - mean) * (v / 255.0 - mean);
    CHECK(eda.pixel_count == data.train.pixels.size());
    CHECK_NEAR(eda.zero_share, zeros / count, 1e-12);
    // The data set is what it claims to be: the border, 20 of every 35 pixels, is 0; the noise is 0 one time in 60.
    CHECK(zeros / count >= 20.0 / 35 && zeros / count < 0.6);
    CHECK_NEAR(eda.mean_pixel, mean, 1e-9);
    CHECK_NEAR(eda.std_pixel, std::sqrt(squares / count), 1e-9);
    uint64_t histogram_total = 0;
    for (const uint64_t h : eda.pixel_histogram) histogram_total += h;
    CHECK(eda.pixel_histogram.size() == 256 && histogram_total == eda.pixel_count);
    CHECK(eda.pixel_histogram[0] == static_cast<uint64_t>(zeros));

    // The sentences carry those numbers.
    const std::vector<std::string> lines = eda_observations(eda);
    CHECK(lines.size() == 3);
    char ratio[32];
    std::snprintf(ratio, sizeof ratio, "%.2f in train", max_min_ratio(eda.sets[0]));
    CHECK(lines[0].find(ratio) != std::string::npos);
    char share[32];
    std::snprintf(share, sizeof share, "%.1f%%", 100 * zeros / count);
    CHECK(lines[1].find(share) != std::string::npos);

    // Four figures, each well-formed, with one bar per class and set.
    const std::vector<Figure> figures = eda_figures(eda, data.train);
    CHECK(figures.size() == 4);
    const char* names[] = {"class_distribution", "samples", "mean_images", "pixel_histogram"};
    for (size_t f = 0; f < figures.size() && f < 4; ++f) {
        CHECK(figures[f].name == names[f]);
        CHECK(xml_check::parse(figures[f].svg).error.empty());
        CHECK(!figures[f].caption.empty() && !figures[f].title.empty());
    }
    CHECK(xml_check::count(xml_check::parse(figures[0].svg), "rect", "bar") == 3 * classes);
    CHECK(figures[1].png.size() > 8 && figures[1].png[1] == 'P');  // samples: a PNG beside the SVG
    CHECK(xml_check::count(xml_check::parse(figures[1].svg), "image") == 1);
    CHECK(figures[3].png.empty());
}

void test_eda_missing_class() {
    // Class 2 never occurs in the training file: ratio undefined, mean image all 0, no samples, no crash.
    const MnistData data = synthetic_data(3, 2);
    const Split split = split_train_validation(data.train.count, 30, 1);
    const EdaSummary eda = compute_eda(data, split, 3);
    CHECK(eda.sets[0].counts[2] == 0 && eda.file_counts[2] == 0);
    CHECK(std::isinf(max_min_ratio(eda.sets[0])));
    CHECK(eda.samples[2].empty());
    for (const double v : eda.mean_images[2]) CHECK(v == 0);
    CHECK(eda_observations(eda)[0].find("undefined") != std::string::npos);
    for (const Figure& f : eda_figures(eda, data.train)) CHECK(xml_check::parse(f.svg).error.empty());

    // Issue 15, item 14: blank images (every pixel 0). There is no other value to call the most common:
    // it said "the most common other value is 1 (0.0%)".
    MnistData blank = data;
    std::fill(blank.train.pixels.begin(), blank.train.pixels.end(), uint8_t{0});
    const EdaSummary empty = compute_eda(blank, split, 3);
    const std::string pixels_line = eda_observations(empty)[1];
    CHECK(pixels_line.find("no pixel has any other value") != std::string::npos);
    CHECK(pixels_line.find("most common other value") == std::string::npos);
    const std::vector<Figure> blank_figures = eda_figures(empty, blank.train);
    CHECK(blank_figures[3].caption.find("no pixel has another value") != std::string::npos);
    for (const Figure& f : blank_figures) CHECK(xml_check::parse(f.svg).error.empty());
}

TrainResult made_up_history() {
    TrainResult result;
    for (size_t e = 1; e <= 4; ++e) {
        EpochRecord r;
        r.epoch = e;
        r.train_loss = 1.0 / static_cast<double>(e);
        r.train_accuracy = 0.6 + 0.05 * static_cast<double>(e);
        r.validation_loss = 0.5 - 0.02 * static_cast<double>(e);
        r.validation_accuracy = e == 3 ? 0.9 : 0.8;
        r.seconds = 0.5;
        result.history.push_back(r);
    }
    result.best_epoch = 3;
    result.best_validation_accuracy = 0.9;
    result.epochs_run = 4;
    result.train_seconds = 2.5;
    return result;
}

void test_training_figures_and_report() {
    const size_t classes = 4;
    const MnistData data = synthetic_data(classes, classes);
    const ImageSet& test = data.test;
    // Predictions: right, except images 3, 7, 8 and 20, with confidences 0.6, 0.9, 0.6 and 0.95.
    std::vector<uint8_t> predictions(test.labels);
    std::vector<float> confidences(test.count, 0.99f);
    const auto wrong = [&](size_t i, float confidence) {
        predictions[i] = static_cast<uint8_t>((test.labels[i] + 1) % classes);
        confidences[i] = confidence;
    };
    wrong(3, 0.6f);
    wrong(7, 0.9f);
    wrong(8, 0.6f);
    wrong(20, 0.95f);
    const std::vector<Mistake> mistakes = most_confident_mistakes(test, predictions, confidences, 3);
    CHECK(mistakes.size() == 3);
    CHECK(mistakes[0].index == 20 && mistakes[1].index == 7 && mistakes[2].index == 3);  // ties: lower index
    CHECK(mistakes[0].true_label == test.labels[20] && mistakes[0].predicted == predictions[20]);
    CHECK_NEAR(mistakes[0].confidence, 0.95, 1e-6);
    CHECK(most_confident_mistakes(test, predictions, confidences, 100).size() == 4);

    ConfusionMatrix confusion = make_confusion_matrix(classes);
    for (size_t i = 0; i < test.count; ++i) add_prediction(confusion, test.labels[i], predictions[i]);
    const Metrics metrics = compute_metrics(confusion);
    const TrainResult result = made_up_history();
    Mlp mlp = make_mlp({test.rows * test.cols, 6, classes}, 5);
    // Unit 4's weights all 0: one unit that cannot respond to the image, which the weights caption counts.
    MatrixView w1 = weights_of(mlp.layout, mlp.parameters, 0);
    for (size_t i = 0; i < w1.cols; ++i) w1.at(4, i) = 0;
    const TrainingFigures figures = training_figures(result, confusion, metrics, test, predictions, confidences, mlp);
    CHECK(figures.curves.size() == 2 && figures.test.size() == 3 && figures.model.size() == 1);
    for (const auto* group : {&figures.curves, &figures.test, &figures.model})
        for (const Figure& f : *group) {
            const xml_check::Parsed svg = xml_check::parse(f.svg);
            CHECK_MSG(svg.error.empty(), f.name + ": " + svg.error);
        }
    // The loss curve marks epoch 3; the weights are drawn at the data's size (7 wide, 5 high), all 6 units.
    const xml_check::Parsed loss = xml_check::parse(figures.curves[0].svg);
    CHECK(xml_check::count(loss, "circle", "marker") == 1);
    CHECK(figures.curves[0].caption.find("epoch 3") != std::string::npos);
    // With --train-metrics after-epoch the curves get a third series, the training set measured as validation.
    CHECK(figures.curves[1].svg.find("training set after the epoch") == std::string::npos);
    TrainResult evaluated = result;
    for (EpochRecord& r : evaluated.history) {
        r.train_evaluated = true;
        r.train_eval_accuracy = 0.99;
        r.train_eval_loss = 0.05;
    }
    const Figure accuracy_after = accuracy_curve_figure(evaluated);
    CHECK(xml_check::parse(accuracy_after.svg).error.empty());
    CHECK(accuracy_after.svg.find("training set after the epoch") != std::string::npos);
    CHECK(accuracy_after.caption.find("--train-metrics after-epoch") != std::string::npos);
    CHECK(figures.model[0].svg.find("6 of its 6 units, as 7x5 images") != std::string::npos);
    CHECK(figures.model[0].caption.find(" 1 of the 6 units have every weight below 1%") != std::string::npos);
    CHECK(figures.test[0].caption.find("4 of 60 test images are misclassified") != std::string::npos);
    CHECK(xml_check::count(xml_check::parse(figures.test[0].svg), "rect", "cell") == classes * classes);
    CHECK(xml_check::count(xml_check::parse(figures.test[2].svg), "text", "caption") == 3 * 4);

    // The report: every section, both tables, every figure; the best epoch highlighted once.
    MlpWorkspace ws = make_mlp_workspace(mlp, 16);
    Evaluation evaluation;
    evaluation.accuracy = metrics.accuracy;
    evaluation.loss = 0.4321;
    evaluation.confusion = confusion;
    const Split split = split_train_validation(data.train.count, 50, 3);
    const EdaSummary eda = compute_eda(data, split, 3);
    RunReportInput input;
    input.configuration = {{"hidden", "6"}, {"note", "<&>"}};
    input.model_shape = "35 -> 6 -> 4";
    input.eda = &eda;
    input.eda_figures = eda_figures(eda, data.train);
    input.training = &result;
    input.test = &evaluation;
    input.metrics = &metrics;
    input.figures = figures;
    const Report report = run_report(input);
    const std::string html = report_html(report);
    const xml_check::Parsed page = xml_check::parse(html, true);
    CHECK_MSG(page.error.empty(), "report.html: " + page.error);
    for (const char* id : {"configuration", "data", "training", "test", "model"})
        CHECK(html.find("<section id=\"" + std::string(id) + "\">") != std::string::npos);
    CHECK(xml_check::count(page, "figure") == 4 + 2 + 3 + 1);
    CHECK(xml_check::count(page, "svg") == 4 + 2 + 3 + 1);
    CHECK(xml_check::count(page, "table") == 4);  // options, class counts, Table 1, Table 2
    CHECK(html.find("Table 1:") != std::string::npos && html.find("Table 2:") != std::string::npos);
    CHECK(xml_check::count(page, "tr", "highlight") == 1);
    CHECK(html.find("<td>macro avg</td>") != std::string::npos);
    CHECK(html.find("test loss 0.4321") != std::string::npos);
    char accuracy[32];
    std::snprintf(accuracy, sizeof accuracy, "Test accuracy %.4f", metrics.accuracy);
    CHECK(html.find(accuracy) != std::string::npos);
    CHECK(html.find("<td>&lt;&amp;&gt;</td>") != std::string::npos);  // configuration values escaped
    // Self-contained: no scripts, no external references; "http" appears only in the SVG namespaces.
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find(" src=") == std::string::npos);
    CHECK(occurrences(html, "http") == 2 * xml_check::count(page, "svg"));
    CHECK(occurrences(html, "http") == occurrences(html, "xmlns=\"http://www.w3.org/2000/svg\"") +
                                           occurrences(html, "xmlns:xlink=\"http://www.w3.org/1999/xlink\""));
    for (const auto& image : xml_check::find(page, "image")) CHECK(image.attribute("xlink:href").rfind("data:", 0) == 0);

    // Markdown: the same tables, and a link to every figure's file.
    const std::string md = report_markdown(report, "figures");
    CHECK(md.find("| epoch | train_loss | with_l2 | train_acc | val_loss | val_acc | seconds |") != std::string::npos);
    CHECK(md.find("| class | precision | recall | f1-score | support |") != std::string::npos);
    CHECK(md.find("| **3** | **0.3333** |") != std::string::npos);  // the best epoch in bold
    std::vector<Figure> all = input.eda_figures;
    for (const std::vector<Figure>* group : {&figures.curves, &figures.test, &figures.model})
        all.insert(all.end(), group->begin(), group->end());
    CHECK(all.size() == 10);
    for (const Figure& f : all) CHECK(md.find("](figures/" + f.name + ".svg)") != std::string::npos);
    CHECK(md.find("| \\<\\&\\> |") != std::string::npos);  // the configuration value "<&>", escaped

    // Issue 15, item 14: paths are shown as they are in report.md too. A path holding Markdown's markup
    // (<, &, |, *, _, [, ], a backslash, a backtick) in a table cell and in prose: every such character is
    // escaped, so no tag, entity, extra column, emphasis or link appears; our own `code` stays code.
    {
        Report odd;
        odd.title = "paths";
        ReportSection section;
        section.title = "files";
        section.paragraphs = {"Read from runs/<today>|a&b*_x_ [1]\\c, see `mnist eda`."};
        ReportTable table;
        table.header = {"option", "value"};
        table.rows = {{"out", "runs/<today>|a&b*_x_`q`"}};
        table.text = true;
        section.tables = {table};
        odd.sections = {section};
        const std::string text = report_markdown(odd, "figures");
        CHECK(text.find("Read from runs/\\<today\\>\\|a\\&b\\*\\_x\\_ \\[1\\]\\\\c, see `mnist eda`.") !=
              std::string::npos);
        CHECK(text.find("| out | runs/\\<today\\>\\|a\\&b\\*\\_x\\_\\`q\\` |") != std::string::npos);
        CHECK(text.find("<today>") == std::string::npos);
    }

    // Without EDA the data section says why it is empty.
    input.eda = nullptr;
    input.eda_figures.clear();
    const std::string without = report_html(run_report(input));
    CHECK(without.find("--no-eda") != std::string::npos);
    CHECK(xml_check::count(xml_check::parse(without, true), "figure") == 2 + 3 + 1);
}

void test_files_written() {
    const fs::path tmp = fs::temp_directory_path() /
                         ("mnist_test_report_" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    const fs::path data = tmp / "data";
    fs::create_directories(data);
    const ImageSet train = synthetic_set(200, 6, 5, 3, 3, 21), test = synthetic_set(40, 6, 5, 3, 3, 22);
    synthetic::write_mnist_files(data, train, test);
    const std::string D = data.string();

    // A training run writes every figure and both reports.
    const fs::path out = tmp / "out";
    CHECK(run_cli({"train", "--data", D, "--out", out.string(), "--hidden", "8", "--epochs", "2", "--val-size", "40",
                   "--quiet", "--threads", "1"}) == 0);
    for (const char* name : {"class_distribution.svg", "samples.svg", "samples.png", "mean_images.svg",
                             "mean_images.png", "pixel_histogram.svg", "loss_curve.svg", "accuracy_curve.svg",
                             "confusion_matrix.svg", "class_metrics.svg", "first_layer_weights.svg",
                             "first_layer_weights.png"}) {
        CHECK_MSG(fs::exists(out / "figures" / name), std::string("missing figures/") + name);
    }
    const std::string html = read_text(out / "report.html");
    CHECK(xml_check::parse(html, true).error.empty());
    CHECK(html.find("as 5x6 images") != std::string::npos);  // the data's size (5 wide, 6 high), not 28x28
    CHECK(read_text(out / "report.md").find("](figures/loss_curve.svg)") != std::string::npos);
    for (const auto& entry : fs::recursive_directory_iterator(out))
        CHECK(entry.path().extension() != ".partial");  // no temporary files left

    // --no-eda: no data figures, the rest as before.
    const fs::path quiet = tmp / "no_eda";
    CHECK(run_cli({"train", "--data", D, "--out", quiet.string(), "--hidden", "8", "--epochs", "1", "--val-size", "40",
                   "--quiet", "--threads", "1", "--no-eda"}) == 0);
    CHECK(!fs::exists(quiet / "figures" / "class_distribution.svg"));
    CHECK(fs::exists(quiet / "figures" / "loss_curve.svg") && fs::exists(quiet / "report.html"));
    CHECK(run_cli({"train", "--no-eda=1"}) == 2);  // a flag takes no value

    // mnist eda: the data figures and eda.html, no model.
    const fs::path eda = tmp / "eda";
    CHECK(run_cli({"eda", "--data", D, "--out", eda.string(), "--val-size", "40"}) == 0);
    CHECK(fs::exists(eda / "eda.html") && fs::exists(eda / "eda.md") && fs::exists(eda / "figures" / "samples.png"));
    CHECK(!fs::exists(eda / "model.bin"));
    CHECK(xml_check::parse(read_text(eda / "eda.html"), true).error.empty());
    CHECK(run_cli({"eda", "--help"}) == 0);
    CHECK(run_cli({"eda", "--data", D, "--out", eda.string(), "--val-size", "200"}) == 2);  // not < 200 images
    CHECK(run_cli({"eda", "--data", (tmp / "nowhere").string(), "--out", eda.string()}) == 2);
    CHECK(run_cli({"eda", "--epochs", "3"}) == 2);  // a train option

    std::error_code ignored;
    fs::remove_all(tmp, ignored);
}

}  // namespace

int main() {
    try {
        test_eda_numbers();
        test_eda_missing_class();
        test_training_figures_and_report();
        test_files_written();
    } catch (const std::exception& e) {
        CHECK_MSG(false, std::string("unexpected exception: ") + e.what());
    }
    return check_exit("test_report");
}
