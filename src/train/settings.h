// Every setting of a training run, in ONE table: per setting its option name, default, range, help text, the
// field of RunSettings it fills, and whether it identifies the run (a checkpoint keeps it, and resumes only
// into the same value). Parsing the command line and --help (cli/), refusing options beside --resume, the
// header a run prints, metrics.json's "config", the report's configuration table, the checkpoint's fields,
// their range checks and its mismatch messages all walk this table. Adding a hyperparameter is one row here
// plus the code that uses it. See docs/07-training.md ("The settings of a run").
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "nn/init.h"
#include "train/trainer.h"
#include "codec/byte_io.h"
#include "util/json.h"

namespace mnist {

// What a run is asked to do. The initialisers are the report's recipe and must equal the table's default
// texts (tests/test_settings.cpp checks every row).
struct RunSettings {
    // What the run computes: these identify it.
    std::vector<size_t> hidden = {512, 256, 128};  // hidden layer sizes
    InitKind init = InitKind::he;                  // the initial weights' distribution, Eq. (13), (14)
    TrainSettings train;                           // dropout, L2, Adam, batch, epochs, seed, augmentation, ...
    uint64_t validation_size = 6000;               // training images held out for validation
    uint64_t limit = 0;                            // train on the first N training images (0: all)
    uint64_t classes = 0;                          // the number of classes (0: from the labels)
    // Where and how it runs: these do not change the result.
    std::string data_dir = "data", out_dir = "out";
    std::string recipe = "report";                 // the preset the values came from (docs/12-augmentation.md)
    uint64_t threads = 0;                          // 0: every hardware thread
    uint64_t checkpoint_every = kAutomatic;        // epochs between checkpoints; 0 never
    std::string resume;                            // a checkpoint to continue ("" none)
    bool quiet = false, no_eda = false;

    static constexpr uint64_t kAutomatic = UINT64_MAX;  // checkpoint_every: 1 if epochs >= 5, else 0
};

// How a setting is written and stored.
enum class SettingKind {
    flag,    // given or not (no value)
    count,   // a whole number in [low, high]; `word` may name 0 or kAutomatic ("all", "auto")
    real,    // a number in [low, high], kept as a float
    choice,  // one of `choices` ("he|xavier|naive"), kept as its index
    list,    // comma-separated whole numbers from 1 to high ("512,256,128"; "" for none)
    text,    // any non-empty text (a folder, a file)
};

// One value of any kind, as the table's accessors pass it.
struct SettingValue {
    uint64_t count = 0;        // count, choice (the index), flag (0 or 1)
    double real = 0;           // real
    std::vector<size_t> list;  // list
    std::string text;          // text
};

struct Setting {
    const char* name;          // the option, without "--": "dropout"
    const char* value_name;    // what --help shows after it: "RATE" ("" for a flag)
    const char* default_text;  // the default, as it would be typed: "0.3"
    double low, high;          // count, real: the range; list: high is the largest entry
    const char* choices;       // choice: the names in the order of the enum's values; count: "word=meaning"
    const char* help;
    bool identifies_run;       // kept in a checkpoint, refused beside --resume, compared when resuming
    SettingKind kind;
    SettingValue (*get)(const RunSettings&);             // the field it fills ...
    void (*set)(RunSettings&, const SettingValue&);      // ... read and written
    bool (*applies)(const RunSettings&);                 // nullptr: always; else whether it matters here
    // An identifying setting's first checkpoint format version: older checkpoints do not store it, and
    // read back with its default (the value every run had before the setting existed).
    uint32_t checkpoint_version = 4;
};

// The table, in the order --help lists it.
const std::vector<Setting>& run_settings_table();
// The row of an option, or nullptr.
const Setting* find_setting(const std::string& name);

// Reads `text` as the value of `setting` (as typed after --name). Throws UsageError("--name text: expected
// ...") when it is not one.
SettingValue parse_setting(const Setting& setting, const std::string& text);
// "" when `value` is one that `setting` accepts, else what was expected ("a number from 0 to 0.95").
std::string setting_value_problem(const Setting& setting, const SettingValue& value);
// The value as it would be typed: "0.3", "512,256,128", "he", "auto".
std::string setting_text(const Setting& setting, const RunSettings& settings);
// Whether the setting matters for these settings (--shift only with affine augmentation, ...).
bool setting_applies(const Setting& setting, const RunSettings& settings);

// Every row's default (the report's recipe).
RunSettings default_run_settings();

// A named preset: values in place of the defaults ("report" has none: it is the defaults). An option given
// on the command line still wins over its recipe.
struct Recipe {
    const char* name;
    const char* description;
    std::vector<std::pair<std::string, std::string>> values;  // option name -> value, as typed
};
const std::vector<Recipe>& recipes();
const Recipe* find_recipe(const std::string& name);

// What one setting cannot be, given the others ("--warmup 60: must be fewer than --epochs (60)"), as the name
// of the setting at fault and the reason; empty when the settings agree with each other.
struct SettingsProblem {
    std::string name, reason;
};
SettingsProblem run_settings_problem(const RunSettings& settings);

// The settings that identify a run, as the checkpoint stores them (each row in table order: count u64, real
// f32, choice u8, list u32 count and u32 each, flag u8), and read back with every value checked as the
// command line checks it (InputError naming the setting). A checkpoint of format `version` holds the rows
// whose checkpoint_version is at most `version`; the others keep their defaults.
void write_identifying_settings(ByteWriter& out, const RunSettings& settings);
RunSettings read_identifying_settings(ByteReader& in, uint32_t version);
// The first identifying setting that differs, as a sentence ("--dropout is 0.3 in the checkpoint but 0.5
// here"), or "".
std::string settings_mismatch(const RunSettings& checkpoint, const RunSettings& here);

// The settings as lines for a person: "--name value" for every identifying setting that applies (the
// header a run prints: it is the command line that repeats the run).
std::string settings_command_line(const RunSettings& settings);
// (option, value) pairs for the report's configuration table: every setting that applies.
std::vector<std::pair<std::string, std::string>> settings_table_rows(const RunSettings& settings);
// Every setting as a key of a JSON object (metrics.json's "config"): "--val-size" becomes "val_size";
// counts and reals as numbers, flags as true/false, lists as arrays, the rest as strings.
void write_settings_json(JsonWriter& json, const RunSettings& settings);

}  // namespace mnist
