// Tests for train/metrics (accuracy, precision, recall, F1, support, macro averages: Eq. 21-25) on hand-made
// confusion matrices, report/run_files (history.csv, metrics.json) and util/json (escapes, numbers).
// Not the evaluation pass that fills the matrix (tests/test_training.cpp). See docs/07-training.md.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "check.h"
#include "report/run_files.h"
#include "train/metrics.h"
#include "util/json.h"
#include "util/printable.h"

using namespace mnist;

namespace {

// A confusion matrix from its rows (true labels), written out as in the comments.
ConfusionMatrix matrix_of(const std::vector<std::vector<uint64_t>>& rows) {
    ConfusionMatrix confusion = make_confusion_matrix(rows.size());
    for (size_t t = 0; t < rows.size(); ++t)
        for (size_t p = 0; p < rows.size(); ++p) confusion.counts[t * rows.size() + p] = rows[t][p];
    return confusion;
}

// True when every [ and { outside string literals is closed by the matching ] or } in order, strings are
// terminated, and nothing is closed that was not opened. Escapes inside strings (\" and \\) are honoured.
bool json_balanced(const std::string& text) {
    std::string open;
    bool in_string = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\') {
                ++i;  // skip the escaped character
                if (i >= text.size()) return false;
            } else if (c == '"') {
                in_string = false;
            } else if (static_cast<unsigned char>(c) < 0x20) {
                return false;  // a raw control character inside a string is not JSON
            }
            continue;
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            open += c;
        } else if (c == '}' || c == ']') {
            if (open.empty() || open.back() != (c == '}' ? '{' : '[')) return false;
            open.pop_back();
        }
    }
    return !in_string && open.empty();
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

size_t count_lines(const std::string& text) {
    size_t lines = 0;
    for (const char c : text) lines += c == '\n';
    return lines;
}

// The JSON text of a single number, written the way metrics.json writes them.
std::string json_number(double x) {
    JsonWriter json;
    json.value(x);
    return json.text();
}

}  // namespace

int main() {
    // ---------------------------------------------------------------------------------------------------
    // A hand-made 3 x 3 confusion matrix (rows: true label, columns: predicted):
    //            pred 0  pred 1  pred 2   support (row sum)
    //   true 0      5       1       0        6
    //   true 1      2       3       1        6
    //   true 2      1       2       7       10
    //   column sum  8       6       8       22 total, 15 correct (diagonal)
    // accuracy = 15/22
    // class 0: P = 5/8, R = 5/6,  F1 = 2 TP / (predicted + true) = 10/14 = 5/7
    // class 1: P = 3/6 = 1/2, R = 3/6 = 1/2, F1 = 6/12 = 1/2
    // class 2: P = 7/8, R = 7/10, F1 = 14/18 = 7/9
    // macro P  = (5/8 + 1/2 + 7/8) / 3 = 2/3
    // macro R  = (5/6 + 1/2 + 7/10) / 3 = (25 + 15 + 21)/30 / 3 = 61/90
    // macro F1 = (5/7 + 1/2 + 7/9) / 3 = (90 + 63 + 98)/126 / 3 = 251/378
    // (The support-weighted mean of recall would be 15/22 instead of 61/90: the macro average is unweighted.)
    {
        const ConfusionMatrix confusion = matrix_of({{5, 1, 0}, {2, 3, 1}, {1, 2, 7}});
        CHECK(confusion.at(2, 1) == 2);  // rows are true labels, columns predictions
        const Metrics m = compute_metrics(confusion);
        CHECK(m.total == 22);
        CHECK(m.correct == 15);
        CHECK_NEAR(m.accuracy, 15.0 / 22.0, 1e-12);
        CHECK(m.per_class.size() == 3);
        if (m.per_class.size() == 3) {
            CHECK(m.per_class[0].label == 0 && m.per_class[1].label == 1 && m.per_class[2].label == 2);
            CHECK_NEAR(m.per_class[0].precision, 5.0 / 8.0, 1e-12);
            CHECK_NEAR(m.per_class[0].recall, 5.0 / 6.0, 1e-12);
            CHECK_NEAR(m.per_class[0].f1, 5.0 / 7.0, 1e-12);
            CHECK(m.per_class[0].support == 6);
            CHECK_NEAR(m.per_class[1].precision, 0.5, 1e-12);
            CHECK_NEAR(m.per_class[1].recall, 0.5, 1e-12);
            CHECK_NEAR(m.per_class[1].f1, 0.5, 1e-12);
            CHECK(m.per_class[1].support == 6);
            CHECK_NEAR(m.per_class[2].precision, 7.0 / 8.0, 1e-12);
            CHECK_NEAR(m.per_class[2].recall, 7.0 / 10.0, 1e-12);
            CHECK_NEAR(m.per_class[2].f1, 7.0 / 9.0, 1e-12);
            CHECK(m.per_class[2].support == 10);
        }
        CHECK_NEAR(m.macro_precision, 2.0 / 3.0, 1e-12);
        CHECK_NEAR(m.macro_recall, 61.0 / 90.0, 1e-12);
        CHECK_NEAR(m.macro_f1, 251.0 / 378.0, 1e-12);

        // The same matrix built one prediction at a time with add_prediction gives the same counts.
        ConfusionMatrix built = make_confusion_matrix(3);
        CHECK(built.classes == 3 && built.counts.size() == 9);
        for (size_t t = 0; t < 3; ++t)
            for (size_t p = 0; p < 3; ++p)
                for (uint64_t n = 0; n < confusion.at(t, p); ++n) add_prediction(built, t, p);
        CHECK(built.counts == confusion.counts);
    }

    // ---------------------------------------------------------------------------------------------------
    // A class that is never predicted (column 2 all zero): its precision 0/0 is reported as 0, not NaN;
    // recall 0/3 = 0; F1 0 (its own 0/0). The others: class 0 P = 4/7, R = 4/5; class 1 P = 3/5, R = 3/4.
    //            pred 0  pred 1  pred 2
    //   true 0      4       1       0
    //   true 1      1       3       0
    //   true 2      2       1       0        (support 3, all missed)
    //   column sum  7       5       0        12 total, 7 correct
    // accuracy 7/12; macro P = (4/7 + 3/5 + 0)/3 = (20 + 21)/35 / 3 = 41/105.
    {
        const Metrics m = compute_metrics(matrix_of({{4, 1, 0}, {1, 3, 0}, {2, 1, 0}}));
        CHECK(m.per_class.size() == 3);
        if (m.per_class.size() == 3) {
            CHECK(!std::isnan(m.per_class[2].precision));
            CHECK(m.per_class[2].precision == 0.0);
            CHECK(m.per_class[2].recall == 0.0);
            CHECK(!std::isnan(m.per_class[2].f1));
            CHECK(m.per_class[2].f1 == 0.0);
            CHECK(m.per_class[2].support == 3);
            CHECK_NEAR(m.per_class[0].precision, 4.0 / 7.0, 1e-12);
            CHECK_NEAR(m.per_class[0].recall, 4.0 / 5.0, 1e-12);
            CHECK_NEAR(m.per_class[1].precision, 3.0 / 5.0, 1e-12);
            CHECK_NEAR(m.per_class[1].recall, 3.0 / 4.0, 1e-12);
        }
        CHECK_NEAR(m.accuracy, 7.0 / 12.0, 1e-12);
        CHECK_NEAR(m.macro_precision, 41.0 / 105.0, 1e-12);
        CHECK(!std::isnan(m.macro_f1));
    }

    // ---------------------------------------------------------------------------------------------------
    // A class with zero support (row 1 all zero) that is still predicted 3 times, all wrongly:
    //            pred 0  pred 1  pred 2
    //   true 0      3       2       1
    //   true 1      0       0       0        (support 0: recall 0/0 -> 0)
    //   true 2      1       1       5
    // class 1: P = 0/3 = 0, R = 0 (0/0), F1 = 0, support 0. Class 2: P = 5/6, R = 5/7, F1 = 10/13.
    // accuracy 8/13.
    {
        const Metrics m = compute_metrics(matrix_of({{3, 2, 1}, {0, 0, 0}, {1, 1, 5}}));
        CHECK(m.per_class.size() == 3);
        if (m.per_class.size() == 3) {
            CHECK(m.per_class[1].support == 0);
            CHECK(m.per_class[1].precision == 0.0);
            CHECK(!std::isnan(m.per_class[1].recall));
            CHECK(m.per_class[1].recall == 0.0);
            CHECK(m.per_class[1].f1 == 0.0);
            CHECK_NEAR(m.per_class[2].precision, 5.0 / 6.0, 1e-12);
            CHECK_NEAR(m.per_class[2].recall, 5.0 / 7.0, 1e-12);
            CHECK_NEAR(m.per_class[2].f1, 10.0 / 13.0, 1e-12);
            CHECK(m.per_class[0].support + m.per_class[1].support + m.per_class[2].support == m.total);
        }
        CHECK(m.total == 13 && m.correct == 8);
        CHECK_NEAR(m.accuracy, 8.0 / 13.0, 1e-12);
    }

    // A perfect classifier scores 1 everywhere; an empty matrix scores 0 everywhere (no NaN).
    {
        const Metrics perfect = compute_metrics(matrix_of({{2, 0}, {0, 9}}));
        CHECK(perfect.accuracy == 1.0 && perfect.macro_precision == 1.0 && perfect.macro_recall == 1.0 &&
              perfect.macro_f1 == 1.0);
        const Metrics empty = compute_metrics(make_confusion_matrix(4));
        CHECK(empty.total == 0 && empty.accuracy == 0.0);
        CHECK(empty.macro_precision == 0.0 && empty.macro_recall == 0.0 && empty.macro_f1 == 0.0);
        CHECK(empty.per_class.size() == 4);
    }

    // ---------------------------------------------------------------------------------------------------
    // util/json: the escapes RFC 8259 section 7 requires. Quote and backslash get a backslash; newline,
    // return and tab their short forms; other control characters below 0x20 become \u00XX; everything else
    // (including UTF-8 bytes) passes through.
    CHECK(json_quote("plain") == "\"plain\"");
    CHECK(json_quote("") == "\"\"");
    CHECK(json_quote("say \"hi\"") == "\"say \\\"hi\\\"\"");
    CHECK(json_quote("C:\\data") == "\"C:\\\\data\"");
    CHECK(json_quote("a\nb") == "\"a\\nb\"");
    CHECK(json_quote("a\rb\tc") == "\"a\\rb\\tc\"");
    CHECK(json_quote(std::string("\x01", 1)) == "\"\\u0001\"");
    CHECK(json_quote(std::string("\x1f", 1)) == "\"\\u001f\"");
    CHECK(json_quote(std::string("a\0b", 3)) == "\"a\\u0000b\"");  // an embedded NUL is escaped, not cut
    CHECK(json_quote("\x7f") == "\"\x7f\"");                        // DEL needs no escape
    // Issue 15, item 14: JSON text is UTF-8 (RFC 8259 8.1). Valid sequences pass as they are; a byte that
    // is not part of one (a file name in Latin-1, a cut sequence, an overlong form, a surrogate) becomes
    // U+FFFD, each byte on its own. printable() escapes the same bytes, and control characters, for
    // one-line messages.
    CHECK(json_quote("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80") == "\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"");
    CHECK(json_quote("caf\xE9.png") == "\"caf\xEF\xBF\xBD.png\"");             // Latin-1 e-acute
    CHECK(json_quote("\xE2\x82") == "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");            // a sequence cut short
    CHECK(json_quote("\xC0\xAF") == "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");            // overlong '/'
    CHECK(json_quote("\xED\xA0\x80") == "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");  // a UTF-16 surrogate
    CHECK(json_quote("\xF4\x90\x80\x80").find("\xEF\xBF\xBD") != std::string::npos);  // above U+10FFFF
    CHECK(printable("a\nb\tc\rd") == "a\\nb\\tc\\rd");
    CHECK(printable("x\xFFy\x1B[2J") == "x\\xFFy\\x1B[2J");
    CHECK(printable("caf\xC3\xA9") == "caf\xC3\xA9");
    CHECK(json_quote("caf\xc3\xa9") == "\"caf\xc3\xa9\"");          // UTF-8 untouched
    CHECK(json_balanced(json_quote("}]\"{[\\")));

    // Numbers: non-finite values become null; otherwise the shortest of 15-17 digits that reads back.
    CHECK(json_number(std::numeric_limits<double>::quiet_NaN()) == "null");
    CHECK(json_number(std::numeric_limits<double>::infinity()) == "null");
    CHECK(json_number(-std::numeric_limits<double>::infinity()) == "null");
    CHECK(json_number(0.1) == "0.1");  // not 0.10000000000000001
    CHECK(json_number(0.0) == "0");
    CHECK(json_number(-2.5) == "-2.5");
    CHECK(json_number(1e-4) == "0.0001");
    CHECK(json_number(0.1 + 0.2) == "0.30000000000000004");  // needs 17 digits to read back
    for (const double x : {1.0 / 3.0, 2.0 / 3.0, 0.9834, 1e300, 5e-324, 123456789.123456789, -0.07}) {
        const std::string text = json_number(x);
        CHECK(std::strtod(text.c_str(), nullptr) == x);
        CHECK(text.size() <= 24);
    }
    // Integers and the writer's commas and colons.
    {
        JsonWriter json;
        json.begin_object();
        json.key("a").value(uint64_t{18446744073709551615ull});
        json.key("b").value(int64_t{-3});
        json.key("c").begin_array().value(true).value(false).null().value("x").end_array();
        json.key("d").begin_object().end_object();
        json.key("e").raw("[1,2]");
        json.end_object();
        CHECK(json.text() == "{\"a\":18446744073709551615,\"b\":-3,\"c\":[true,false,null,\"x\"],\"d\":{},\"e\":[1,2]}");
        CHECK(json_balanced(json.text()));
    }

    // The balance checker itself can say no (otherwise the metrics.json checks below could not fail).
    CHECK(json_balanced("{\"a\":[1,{\"b\":\"}]\"}]}"));
    CHECK(!json_balanced("{\"a\":[1,2}"));
    CHECK(!json_balanced("{\"a\":1"));
    CHECK(!json_balanced("{\"a\":1}}"));
    CHECK(!json_balanced("{\"a\":\"unterminated}"));
    CHECK(!json_balanced("[\"a\\\"]"));  // the escaped quote does not close the string

    // ---------------------------------------------------------------------------------------------------
    // report/run_files: history.csv is a header plus one line per epoch, fields in EpochRecord's order.
    TrainResult result;
    for (size_t e = 1; e <= 3; ++e) {
        EpochRecord r;
        r.epoch = e;
        r.train_loss = 1.0 / static_cast<double>(e);
        r.train_objective = r.train_loss + 0.25;
        r.train_accuracy = 0.5 + 0.1 * static_cast<double>(e);
        r.validation_loss = 0.75;
        r.validation_accuracy = e == 2 ? 0.9 : 0.8;
        r.seconds = 1.5;
        result.history.push_back(r);
    }
    result.best_epoch = 2;
    result.best_validation_accuracy = 0.9;
    result.epochs_run = 3;
    result.train_seconds = 4.5;
    {
        const std::string csv = history_csv(result);
        CHECK(count_lines(csv) == 4);
        CHECK(csv.compare(0, 6, "epoch,") == 0);
        CHECK(!csv.empty() && csv.back() == '\n');
        // The first data row: 1, loss 1, objective 1.25, train acc 0.6, val loss 0.75, val acc 0.8, 1.5 s.
        CHECK(contains(csv, "\n1,1.000000,1.250000,0.600000,0.750000,0.800000,1.500\n"));
        CHECK(contains(csv, "\n3,"));
        // Every line has the same number of fields as the header (7).
        size_t start = 0;
        while (start < csv.size()) {
            const size_t end = csv.find('\n', start);
            const std::string line = csv.substr(start, end - start);
            size_t commas = 0;
            for (const char c : line) commas += c == ',';
            CHECK(commas == 6);
            start = end + 1;
        }
        TrainResult none;
        CHECK(count_lines(history_csv(none)) == 1);  // header only
    }

    // metrics.json: every key the report needs, balanced, and the config object embedded as given (its
    // strings may hold brackets and quotes). NaN test loss becomes null, not the invalid token nan.
    {
        const ConfusionMatrix confusion = matrix_of({{5, 1, 0}, {2, 3, 1}, {1, 2, 7}});
        const Metrics metrics = compute_metrics(confusion);
        JsonWriter config;
        config.begin_object().key("data").value("odd}folder\"[name\n").key("seed").value(uint64_t{42}).end_object();
        const std::string json = metrics_json(&result, metrics.accuracy, 0.3125, metrics, confusion, config.text());
        for (const char* key : {"test_accuracy", "test_loss", "best_epoch", "epochs_run", "train_seconds", "history",
                                "per_class", "confusion", "config"})
            CHECK(contains(json, std::string("\"") + key + "\":"));
        CHECK(json_balanced(json));
        CHECK(json.front() == '{');
        CHECK(contains(json, "\"test_loss\":0.3125"));
        CHECK(contains(json, "\"best_epoch\":2"));
        CHECK(contains(json, "\"epochs_run\":3"));
        CHECK(contains(json, "\"train_seconds\":4.5"));
        CHECK(contains(json, "\"confusion\":[[5,1,0],[2,3,1],[1,2,7]]"));
        CHECK(contains(json, "\"config\":" + config.text()));
        CHECK(contains(json, "\"support\":10"));
        CHECK(!contains(json, "nan") && !contains(json, "inf"));

        // Evaluation only (no TrainResult): the training fields are left out, the rest is still there.
        const std::string eval_json = metrics_json(nullptr, 0.5, std::nan(""), metrics, confusion, "");
        CHECK(json_balanced(eval_json));
        CHECK(!contains(eval_json, "\"best_epoch\""));
        CHECK(!contains(eval_json, "\"history\""));
        CHECK(contains(eval_json, "\"per_class\":"));
        CHECK(contains(eval_json, "\"test_loss\":null"));
        CHECK(contains(eval_json, "\"config\":{}"));  // an empty config is still an object
    }

    // Table 2 and the confusion matrix as text: one line per class plus header and macro line.
    {
        const ConfusionMatrix confusion = matrix_of({{5, 1, 0}, {2, 3, 1}, {1, 2, 7}});
        const std::string table = class_report(compute_metrics(confusion));
        CHECK(count_lines(table) == 5);
        CHECK(contains(table, "macro"));
        CHECK(count_lines(confusion_report(confusion)) == 4);
    }

    return check_exit("test_metrics");
}
