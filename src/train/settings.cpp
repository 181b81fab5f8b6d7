// The table of run settings, and everything that walks it. See settings.h and docs/07-training.md.
#include "train/settings.h"

#include <algorithm>
#include <cmath>
#include <type_traits>

#include "util/check.h"
#include "util/parse.h"

namespace mnist {

namespace {

// A field's value to and from a SettingValue, by the field's type: whole numbers, flags and enums as counts,
// floats as reals, size lists as lists, strings as text.
template <class T, std::enable_if_t<std::is_unsigned<T>::value, int> = 0>
SettingValue to_value(T field) {
    SettingValue v;
    v.count = field;
    return v;
}
template <class E, std::enable_if_t<std::is_enum<E>::value, int> = 0>
SettingValue to_value(E field) {
    SettingValue v;
    v.count = static_cast<uint64_t>(field);
    return v;
}
SettingValue to_value(float field) {
    SettingValue v;
    v.real = field;
    return v;
}
SettingValue to_value(const std::vector<size_t>& field) {
    SettingValue v;
    v.list = field;
    return v;
}
SettingValue to_value(const std::string& field) {
    SettingValue v;
    v.text = field;
    return v;
}
template <class T, std::enable_if_t<std::is_unsigned<T>::value, int> = 0>
void from_value(const SettingValue& v, T& field) { field = static_cast<T>(v.count); }
template <class E, std::enable_if_t<std::is_enum<E>::value, int> = 0>
void from_value(const SettingValue& v, E& field) { field = static_cast<E>(v.count); }
void from_value(const SettingValue& v, float& field) { field = static_cast<float>(v.real); }
void from_value(const SettingValue& v, std::vector<size_t>& field) { field = v.list; }
void from_value(const SettingValue& v, std::string& field) { field = v.text; }

// The accessor pair of a row: the field of RunSettings it fills.
#define FIELD(member)                                              \
    [](const RunSettings& s) { return to_value(s.member); },       \
        [](RunSettings& s, const SettingValue& v) { from_value(v, s.member); }

bool affine(const RunSettings& s) { return uses_affine(s.train.augment); }
bool elastic(const RunSettings& s) { return uses_elastic(s.train.augment); }
bool step_schedule(const RunSettings& s) { return s.train.schedule.kind == ScheduleKind::step; }
bool cosine_schedule(const RunSettings& s) { return s.train.schedule.kind == ScheduleKind::cosine; }

constexpr double kAnyCount = 18446744073709551616.0;  // 2^64: a count with no upper limit (--seed)
constexpr bool kIdentifies = true, kDoesNot = false;
using K = SettingKind;

}  // namespace

const std::vector<Setting>& run_settings_table() {
    static const std::vector<Setting> table = {
        {"data", "DIR", "data", 0, 0, "", "folder with the four MNIST files (raw or .gz)", kDoesNot, K::text,
         FIELD(data_dir), nullptr},
        {"out", "DIR", "out", 0, 0, "", "folder for model.bin, metrics.json, history.csv, report.html/.md, figures/",
         kDoesNot, K::text, FIELD(out_dir), nullptr},
        {"hidden", "LIST", "512,256,128", 0, 65536, "", "hidden layer sizes, comma-separated (\"\" for none)",
         kIdentifies, K::list, FIELD(hidden), nullptr},
        {"init", "KIND", "he", 0, 0, "he|xavier|naive",
         "initial weights: he (He, Xavier for the output layer), xavier, or naive N(0, 0.01^2)", kIdentifies,
         K::choice, FIELD(init), nullptr},
        {"dropout", "RATE", "0.3", 0, 0.95, "", "dropout rate of the hidden layers during training, in [0, 0.95]",
         kIdentifies, K::real, FIELD(train.dropout_rate), nullptr},
        {"l2", "LAMBDA", "1e-4", 0, 1, "", "L2 weight penalty lambda/2 * ||W||^2 (biases not decayed)", kIdentifies,
         K::real, FIELD(train.l2_lambda), nullptr},
        {"lr", "RATE", "0.001", 1e-7, 10, "", "Adam learning rate", kIdentifies, K::real,
         FIELD(train.adam.learning_rate), nullptr},
        {"batch", "N", "128", 1, 65536, "", "mini-batch size", kIdentifies, K::count, FIELD(train.batch_size),
         nullptr},
        {"epochs", "N", "100", 1, 1000000, "", "the most epochs to train", kIdentifies, K::count,
         FIELD(train.max_epochs), nullptr},
        {"patience", "N", "10", 1, 1000000, "", "stop after N epochs without a better validation accuracy",
         kIdentifies, K::count, FIELD(train.patience), nullptr},
        {"val-size", "N", "6000", 1, 4294967295.0, "", "training images held out for validation (seeded shuffle)",
         kIdentifies, K::count, FIELD(validation_size), nullptr},
        {"limit", "N", "0", 0, 4294967295.0, "", "train on only the first N training images (0 = all)", kIdentifies,
         K::count, FIELD(limit), nullptr},
        {"classes", "N", "auto", 2, 256, "auto=0",
         "the number of classes, for labels that really skip some (auto: the largest training label + 1, every "
         "class present)",
         kIdentifies, K::count, FIELD(classes), nullptr},
        {"seed", "N", "42", 0, kAnyCount, "", "seed for the split, initial weights, batch order, dropout and augmentation",
         kIdentifies, K::count, FIELD(train.seed), nullptr},
        {"recipe", "NAME", "report", 0, 0, "",
         "preset: report (the report's recipe) or best (docs/12); options given with it win", kDoesNot, K::text,
         FIELD(recipe), nullptr},
        {"augment", "KIND", "none", 0, 0, "none|affine|elastic|both",
         "distort each training image on the fly: none, affine, elastic or both", kIdentifies, K::choice,
         FIELD(train.augment.kind), nullptr},
        {"shift", "PIXELS", "2", 0, 10, "", "affine: shift in x and in y, each uniform in [-PIXELS, PIXELS]",
         kIdentifies, K::real, FIELD(train.augment.max_shift), affine},
        {"rotate", "DEGREES", "12", 0, 90, "", "affine: rotation uniform in [-DEGREES, DEGREES]", kIdentifies,
         K::real, FIELD(train.augment.max_rotation), affine},
        {"scale", "FRACTION", "0.1", 0, 0.5, "", "affine: scale factor uniform in [1 - FRACTION, 1 + FRACTION]",
         kIdentifies, K::real, FIELD(train.augment.max_scale), affine},
        {"shear", "FACTOR", "0.15", 0, 1, "", "affine: shear (x moves by FACTOR * y) uniform in [-FACTOR, FACTOR]",
         kIdentifies, K::real, FIELD(train.augment.max_shear), affine},
        {"elastic-alpha", "PIXELS", "20", 0, 100, "", "elastic: strength alpha of the smoothed displacement field",
         kIdentifies, K::real, FIELD(train.augment.elastic_alpha), elastic},
        {"elastic-sigma", "PIXELS", "4", 0.5, 10, "", "elastic: width sigma of the Gaussian that smooths the field",
         kIdentifies, K::real, FIELD(train.augment.elastic_sigma), elastic},
        {"lr-schedule", "KIND", "constant", 0, 0, "constant|step|cosine",
         "learning rate over the run: constant, step or cosine (to --lr-min)", kIdentifies, K::choice,
         FIELD(train.schedule.kind), nullptr},
        {"warmup", "EPOCHS", "0", 0, 1000000, "", "ramp the learning rate up linearly over the first EPOCHS epochs",
         kIdentifies, K::count, FIELD(train.schedule.warmup_epochs), nullptr},
        {"lr-step", "EPOCHS", "20", 1, 1000000, "", "step: multiply the learning rate by --lr-gamma every EPOCHS epochs",
         kIdentifies, K::count, FIELD(train.schedule.step_epochs), step_schedule},
        {"lr-gamma", "FACTOR", "0.3", 1e-6, 1, "", "step: the factor of each drop, in (0, 1]", kIdentifies, K::real,
         FIELD(train.schedule.step_gamma), step_schedule},
        {"lr-min", "RATE", "0", 0, 10, "", "cosine: the learning rate at the end of the last epoch (--epochs)",
         kIdentifies, K::real, FIELD(train.schedule.min_lr), cosine_schedule},
        {"max-norm", "C", "0", 0, 1000, "", "cap each unit's incoming weight vector at Euclidean norm C (0 = off)",
         kIdentifies, K::real, FIELD(train.max_norm), nullptr},
        {"loss-reduction", "KIND", "mean", 0, 0, "mean|sum",
         "the batch's cross-entropy as its mean (1/B, Eq. (5)) or as the report's sum (weighs L2 1/B as much)",
         kIdentifies, K::choice, FIELD(train.loss_reduction), nullptr, 5},
        {"train-metrics", "WHEN", "running", 0, 0, "running|after-epoch",
         "Table 1's training columns: running (mean over the epoch's batches, with dropout) or after-epoch "
         "(also a pass over the training images without dropout, as validation)",
         kIdentifies, K::choice, FIELD(train.train_metrics), nullptr, 5},
        {"threads", "N", "all", 1, 256, "all=0", "threads to compute with (1 = no extra threads)", kDoesNot, K::count,
         FIELD(threads), nullptr},
        {"checkpoint-every", "N", "auto", 0, 1000000, "auto=automatic",
         "write OUT/checkpoint.bin every N epochs; 0 = never (auto: 1 if --epochs >= 5)", kDoesNot, K::count,
         FIELD(checkpoint_every), nullptr},
        {"resume", "FILE", "", 0, 0, "", "continue the run saved in checkpoint FILE (its settings are used)", kDoesNot,
         K::text, FIELD(resume), nullptr},
        {"quiet", "", "", 0, 0, "", "print only the final summary", kDoesNot, K::flag, FIELD(quiet), nullptr},
        {"no-eda", "", "", 0, 0, "", "skip the data figures (class balance, samples, means, pixel histogram)",
         kDoesNot, K::flag, FIELD(no_eda), nullptr},
    };
    return table;
}

#undef FIELD

const Setting* find_setting(const std::string& name) {
    for (const Setting& setting : run_settings_table())
        if (name == setting.name) return &setting;
    return nullptr;
}

namespace {

// The choices of a choice setting, in order: "he|xavier|naive" -> {"he", "xavier", "naive"}.
std::vector<std::string> choice_names(const Setting& setting) {
    std::vector<std::string> names;
    const std::string all = setting.choices;
    for (size_t start = 0; start <= all.size();) {
        const size_t bar = std::min(all.find('|', start), all.size());
        names.push_back(all.substr(start, bar - start));
        start = bar + 1;
    }
    return names;
}

// A count's word and what it stands for: "all=0" -> {"all", 0}; "auto=automatic" -> {"auto", kAutomatic}.
bool count_word(const Setting& setting, std::string& word, uint64_t& meaning) {
    const std::string spec = setting.choices;
    const size_t equals = spec.find('=');
    if (setting.kind != SettingKind::count || equals == std::string::npos) return false;
    word = spec.substr(0, equals);
    meaning = spec.substr(equals + 1) == "automatic" ? RunSettings::kAutomatic : 0;
    return true;
}

uint64_t count_high(const Setting& setting) {
    return setting.high >= kAnyCount ? UINT64_MAX : static_cast<uint64_t>(setting.high);
}

std::string expected(const Setting& setting) {
    switch (setting.kind) {
    case SettingKind::flag: return "expected no value";
    case SettingKind::count: {
        std::string text = "expected a whole number from " + std::to_string(static_cast<uint64_t>(setting.low)) +
                           " to " + std::to_string(count_high(setting));
        std::string word;
        uint64_t meaning = 0;
        if (count_word(setting, word, meaning)) text += " or " + word;
        return text;
    }
    case SettingKind::real: return "expected a number from " + number_text(setting.low) + " to " + number_text(setting.high);
    case SettingKind::choice: {
        std::string text = "expected ";
        const std::vector<std::string> names = choice_names(setting);
        for (size_t i = 0; i < names.size(); ++i)
            text += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
        return text;
    }
    case SettingKind::list:
        return "expected comma-separated whole numbers from 1 to " + std::to_string(count_high(setting)) +
               ", e.g. 512,256,128 (or \"\" for none)";
    case SettingKind::text: return "expected a non-empty value";
    }
    return "";
}

}  // namespace

SettingValue parse_setting(const Setting& setting, const std::string& text) {
    SettingValue v;
    bool ok = false;
    switch (setting.kind) {
    case SettingKind::flag:
        v.count = 1;
        ok = true;
        break;
    case SettingKind::count: {
        std::string word;
        uint64_t meaning = 0;
        if (count_word(setting, word, meaning) && text == word) {
            v.count = meaning;
            ok = true;
        } else {
            ok = parse_whole(text, static_cast<uint64_t>(setting.low), count_high(setting), v.count);
        }
        break;
    }
    case SettingKind::real: ok = parse_real(text, setting.low, setting.high, v.real); break;
    case SettingKind::choice: {
        const std::vector<std::string> names = choice_names(setting);
        for (size_t i = 0; i < names.size(); ++i)
            if (text == names[i]) {
                v.count = i;
                ok = true;
            }
        break;
    }
    case SettingKind::list: ok = parse_size_list(text, count_high(setting), true, v.list); break;
    case SettingKind::text:
        v.text = text;
        ok = !text.empty();
        break;
    }
    if (!ok)
        throw UsageError(std::string("--") + setting.name + " " + (text.empty() ? "\"\"" : text) + ": " +
                         expected(setting));
    return v;
}

std::string setting_value_problem(const Setting& setting, const SettingValue& v) {
    std::string word;
    uint64_t meaning = 0;
    switch (setting.kind) {
    case SettingKind::flag: return v.count <= 1 ? "" : "expected 0 or 1";
    case SettingKind::count:
        if (count_word(setting, word, meaning) && v.count == meaning) return "";
        return v.count >= setting.low && v.count <= count_high(setting) ? "" : expected(setting);
    case SettingKind::real:
        // A float kept in a checkpoint must be what the option could have given: finite and in range (the
        // range's ends compared as floats, as the field holds them).
        return std::isfinite(v.real) && v.real >= static_cast<float>(setting.low) &&
                       v.real <= static_cast<float>(setting.high)
                   ? ""
                   : expected(setting);
    case SettingKind::choice: return v.count < choice_names(setting).size() ? "" : expected(setting);
    case SettingKind::list:
        for (const size_t size : v.list)
            if (size < 1 || size > count_high(setting)) return expected(setting);
        return "";
    case SettingKind::text:  // empty only where that is the default, "none" (--resume)
        return v.text.empty() && setting.default_text[0] != '\0' ? expected(setting) : "";
    }
    return "";
}

std::string setting_text(const Setting& setting, const RunSettings& settings) {
    const SettingValue v = setting.get(settings);
    switch (setting.kind) {
    case SettingKind::flag: return v.count ? "yes" : "no";
    case SettingKind::count: {
        std::string word;
        uint64_t meaning = 0;
        if (count_word(setting, word, meaning) && v.count == meaning) return word;
        return std::to_string(v.count);
    }
    case SettingKind::real: return number_text(v.real);
    case SettingKind::choice: {
        const std::vector<std::string> names = choice_names(setting);
        return v.count < names.size() ? names[v.count] : std::to_string(v.count);
    }
    case SettingKind::list: {
        std::string text;
        for (const size_t size : v.list) text += (text.empty() ? "" : ",") + std::to_string(size);
        return text.empty() ? "\"\"" : text;
    }
    case SettingKind::text: return v.text;
    }
    return "";
}

bool setting_applies(const Setting& setting, const RunSettings& settings) {
    return setting.applies == nullptr || setting.applies(settings);
}

RunSettings default_run_settings() {
    RunSettings settings;
    for (const Setting& setting : run_settings_table())
        if (setting.kind != SettingKind::flag && setting.default_text[0] != '\0')
            setting.set(settings, parse_setting(setting, setting.default_text));
    return settings;
}

const std::vector<Recipe>& recipes() {
    static const std::vector<Recipe> list = {
        {"report", "the report's recipe: every option's default", {}},
        {"best", "the settings chosen on the validation set in docs/12-augmentation.md",
         {{"augment", "both"},
          {"shift", "2"},
          {"rotate", "12"},
          {"scale", "0.1"},
          {"shear", "0.15"},
          {"elastic-alpha", "20"},
          {"elastic-sigma", "4"},
          {"dropout", "0.1"},
          {"lr-schedule", "cosine"},
          {"warmup", "1"},
          {"epochs", "60"},
          {"patience", "60"}}},
    };
    return list;
}

const Recipe* find_recipe(const std::string& name) {
    for (const Recipe& recipe : recipes())
        if (name == recipe.name) return &recipe;
    return nullptr;
}

SettingsProblem run_settings_problem(const RunSettings& s) {
    const LrSchedule& schedule = s.train.schedule;
    if (schedule.warmup_epochs > 0 && schedule.warmup_epochs >= s.train.max_epochs)
        return {"warmup", "must be fewer than --epochs (" + std::to_string(s.train.max_epochs) + ")"};
    if (schedule.min_lr > s.train.adam.learning_rate)
        return {"lr-min", "must not exceed --lr (" + number_text(s.train.adam.learning_rate) + ")"};
    return {};
}

void write_identifying_settings(ByteWriter& out, const RunSettings& settings) {
    for (const Setting& setting : run_settings_table()) {
        if (!setting.identifies_run) continue;
        const SettingValue v = setting.get(settings);
        switch (setting.kind) {
        case SettingKind::flag:
        case SettingKind::choice: out.u8(static_cast<uint8_t>(v.count)); break;
        case SettingKind::count: out.u64(v.count); break;
        case SettingKind::real: out.f32(static_cast<float>(v.real)); break;
        case SettingKind::list:
            out.u32(static_cast<uint32_t>(v.list.size()));
            for (const size_t size : v.list) out.u32(static_cast<uint32_t>(size));
            break;
        case SettingKind::text: break;  // no identifying setting is text
        }
    }
}

RunSettings read_identifying_settings(ByteReader& in, uint32_t version) {
    RunSettings settings = default_run_settings();
    for (const Setting& setting : run_settings_table()) {
        if (!setting.identifies_run || setting.checkpoint_version > version) continue;
        SettingValue v;
        switch (setting.kind) {
        case SettingKind::flag:
        case SettingKind::choice: v.count = in.u8(); break;
        case SettingKind::count: v.count = in.u64(); break;
        case SettingKind::real: v.real = in.f32(); break;
        case SettingKind::list: {
            const uint64_t count = in.u32();
            if (count > 64) in.fail(std::string("--") + setting.name + " lists " + std::to_string(count) + " entries");
            for (uint64_t i = 0; i < count; ++i) v.list.push_back(in.u32());
            break;
        }
        case SettingKind::text: break;
        }
        const std::string problem = setting_value_problem(setting, v);
        if (!problem.empty())
            in.fail(std::string("the --") + setting.name + " it records is out of range (" + problem + ")");
        setting.set(settings, v);
    }
    return settings;
}

std::string settings_mismatch(const RunSettings& checkpoint, const RunSettings& here) {
    for (const Setting& setting : run_settings_table()) {
        if (!setting.identifies_run) continue;
        if (!setting_applies(setting, checkpoint) && !setting_applies(setting, here)) continue;
        const std::string a = setting_text(setting, checkpoint), b = setting_text(setting, here);
        const SettingValue x = setting.get(checkpoint), y = setting.get(here);
        if (x.count != y.count || x.real != y.real || x.list != y.list || x.text != y.text)
            return std::string("--") + setting.name + " is " + a + " in the checkpoint but " + b + " here";
    }
    return "";
}

std::string settings_command_line(const RunSettings& settings) {
    std::string out, line = "settings:";
    for (const Setting& setting : run_settings_table()) {
        if (!setting.identifies_run || !setting_applies(setting, settings)) continue;
        const std::string item = std::string(" --") + setting.name + " " + setting_text(setting, settings);
        if (line.size() + item.size() > 110) {
            out += line + "\n";
            line = "         ";
        }
        line += item;
    }
    return out + line + "\n";
}

std::vector<std::pair<std::string, std::string>> settings_table_rows(const RunSettings& settings) {
    std::vector<std::pair<std::string, std::string>> rows;
    for (const Setting& setting : run_settings_table())
        if (setting_applies(setting, settings)) rows.push_back({setting.name, setting_text(setting, settings)});
    return rows;
}

void write_settings_json(JsonWriter& json, const RunSettings& settings) {
    for (const Setting& setting : run_settings_table()) {
        std::string key = setting.name;
        for (char& c : key)
            if (c == '-') c = '_';
        const SettingValue v = setting.get(settings);
        json.key(key);
        switch (setting.kind) {
        case SettingKind::flag: json.value(v.count != 0); break;
        case SettingKind::count: {
            std::string word;
            uint64_t meaning = 0;
            if (count_word(setting, word, meaning) && v.count == meaning) json.value(word);
            else json.value(v.count);
            break;
        }
        case SettingKind::real: json.value(static_cast<double>(static_cast<float>(v.real))); break;
        case SettingKind::choice: json.value(setting_text(setting, settings)); break;
        case SettingKind::list:
            json.begin_array();
            for (const size_t size : v.list) json.value(static_cast<uint64_t>(size));
            json.end_array();
            break;
        case SettingKind::text: json.value(v.text); break;
        }
    }
}

}  // namespace mnist
