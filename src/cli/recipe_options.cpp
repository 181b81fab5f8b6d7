// Reading and checking the augmentation, schedule and recipe options. See docs/12-augmentation.md.
#include "cli/recipe_options.h"

#include <cstdio>

#include "util/check.h"

namespace mnist {

namespace {

std::string text(float value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", static_cast<double>(value));
    return buffer;
}

}  // namespace

const std::vector<OptionSpec>& augmentation_option_specs() {
    static const std::vector<OptionSpec> specs = {
        {"augment", "KIND", "none", "distort each training image on the fly: none, affine, elastic or both"},
        {"shift", "PIXELS", "2", "affine: shift in x and in y, each uniform in [-PIXELS, PIXELS]"},
        {"rotate", "DEGREES", "12", "affine: rotation uniform in [-DEGREES, DEGREES]"},
        {"scale", "FRACTION", "0.1", "affine: scale factor uniform in [1 - FRACTION, 1 + FRACTION]"},
        {"shear", "FACTOR", "0.15", "affine: shear (x moves by FACTOR * y) uniform in [-FACTOR, FACTOR]"},
        {"elastic-alpha", "PIXELS", "20", "elastic: strength alpha of the smoothed displacement field"},
        {"elastic-sigma", "PIXELS", "4", "elastic: width sigma of the Gaussian that smooths the field"},
    };
    return specs;
}

const std::vector<OptionSpec>& schedule_option_specs() {
    static const std::vector<OptionSpec> specs = {
        {"lr-schedule", "KIND", "constant", "learning rate over the run: constant, step or cosine (to --lr-min)"},
        {"warmup", "EPOCHS", "0", "ramp the learning rate up linearly over the first EPOCHS epochs"},
        {"lr-step", "EPOCHS", "20", "step: multiply the learning rate by --lr-gamma every EPOCHS epochs"},
        {"lr-gamma", "FACTOR", "0.3", "step: the factor of each drop, in (0, 1]"},
        {"lr-min", "RATE", "0", "cosine: the learning rate at the end of the last epoch (--epochs)"},
        {"max-norm", "C", "0", "cap each unit's incoming weight vector at Euclidean norm C (0 = off)"},
    };
    return specs;
}

OptionSpec recipe_option_spec(const std::string& default_recipe) {
    return {"recipe", "NAME", default_recipe,
            "preset: report (the report's recipe) or best (docs/12); options given with it win"};
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

std::vector<OptionSpec> insert_recipe_options(std::vector<OptionSpec> table, const std::string& after,
                                              const std::string& default_recipe, bool schedule) {
    std::vector<OptionSpec> added = {recipe_option_spec(default_recipe)};
    added.insert(added.end(), augmentation_option_specs().begin(), augmentation_option_specs().end());
    if (schedule) added.insert(added.end(), schedule_option_specs().begin(), schedule_option_specs().end());
    size_t at = 0;
    while (at < table.size() && table[at].name != after) ++at;
    table.insert(table.begin() + static_cast<std::ptrdiff_t>(at < table.size() ? at + 1 : at), added.begin(),
                 added.end());
    return table;
}

ParsedOptions with_recipe(ParsedOptions options) {
    const std::string name = option_string(options, "recipe");
    for (const Recipe& recipe : recipes()) {
        if (recipe.name != name) continue;
        for (const auto& value : recipe.values)
            for (const OptionSpec& spec : *options.specs)
                if (spec.name == value.first) options.preset[value.first] = value.second;
        return options;
    }
    std::string known;
    for (const Recipe& recipe : recipes()) known += (known.empty() ? "" : ", ") + recipe.name;
    throw UsageError("--recipe " + name + ": expected one of " + known);
}

AugmentSettings read_augmentation_options(const ParsedOptions& options) {
    AugmentSettings a;
    const std::string kind = option_string(options, "augment");
    if (!parse_augment_kind(kind, a.kind))
        throw UsageError("--augment " + kind + ": expected none, affine, elastic or both");
    a.max_shift = static_cast<float>(option_real(options, "shift", 0.0, 10.0));
    a.max_rotation = static_cast<float>(option_real(options, "rotate", 0.0, 90.0));
    a.max_scale = static_cast<float>(option_real(options, "scale", 0.0, 0.5));
    a.max_shear = static_cast<float>(option_real(options, "shear", 0.0, 1.0));
    a.elastic_alpha = static_cast<float>(option_real(options, "elastic-alpha", 0.0, 100.0));
    a.elastic_sigma = static_cast<float>(option_real(options, "elastic-sigma", 0.5, 10.0));
    return a;
}

void read_schedule_options(const ParsedOptions& options, TrainSettings& settings) {
    LrSchedule& s = settings.schedule;
    const std::string kind = option_string(options, "lr-schedule");
    if (!parse_schedule_kind(kind, s.kind))
        throw UsageError("--lr-schedule " + kind + ": expected constant, step or cosine");
    s.warmup_epochs = option_unsigned(options, "warmup", 0, 1000000);
    s.step_epochs = option_unsigned(options, "lr-step", 1, 1000000);
    s.step_gamma = static_cast<float>(option_real(options, "lr-gamma", 1e-6, 1.0));
    s.min_lr = static_cast<float>(option_real(options, "lr-min", 0.0, 10.0));
    settings.max_norm = static_cast<float>(option_real(options, "max-norm", 0.0, 1000.0));
    if (s.warmup_epochs >= settings.max_epochs && s.warmup_epochs > 0)
        throw UsageError("--warmup " + std::to_string(s.warmup_epochs) +
                         (option_given(options, "warmup") ? "" : " (from --recipe " + option_string(options, "recipe") + ")") +
                         ": must be fewer than --epochs (" + std::to_string(settings.max_epochs) + ")");
    if (s.min_lr > settings.adam.learning_rate)
        throw UsageError("--lr-min " + text(s.min_lr) + ": must not exceed --lr (" +
                         text(settings.adam.learning_rate) + ")");
}

void refuse_recipe_options_with_resume(const ParsedOptions& options) {
    std::vector<std::string> names = {"recipe"};
    for (const OptionSpec& spec : augmentation_option_specs()) names.push_back(spec.name);
    for (const OptionSpec& spec : schedule_option_specs()) names.push_back(spec.name);
    for (const std::string& name : names)
        if (option_given(options, name))
            throw UsageError("--" + name + " cannot be combined with --resume: a resumed run keeps the settings "
                             "of the checkpoint");
}

std::string augmentation_text(const AugmentSettings& a) {
    char line[256];
    std::string out = augment_kind_name(a.kind);
    if (uses_affine(a)) {
        std::snprintf(line, sizeof line, ", shift %g px, rotation %g deg, scale %g, shear %g",
                      static_cast<double>(a.max_shift), static_cast<double>(a.max_rotation),
                      static_cast<double>(a.max_scale), static_cast<double>(a.max_shear));
        out += line;
    }
    if (uses_elastic(a)) {
        std::snprintf(line, sizeof line, ", elastic alpha %g, sigma %g", static_cast<double>(a.elastic_alpha),
                      static_cast<double>(a.elastic_sigma));
        out += line;
    }
    return out;
}

std::string schedule_text(const TrainSettings& settings) {
    const LrSchedule& s = settings.schedule;
    std::string out = schedule_kind_name(s.kind);
    if (s.kind == ScheduleKind::step)
        out += ", x" + text(s.step_gamma) + " every " + std::to_string(s.step_epochs) + " epochs";
    if (s.kind == ScheduleKind::cosine)
        out += " to " + text(s.min_lr) + " at epoch " + std::to_string(settings.max_epochs);
    if (s.warmup_epochs > 0)
        out += ", warm-up " + std::to_string(s.warmup_epochs) + (s.warmup_epochs == 1 ? " epoch" : " epochs");
    return out;
}

std::string describe_augmentation(const AugmentSettings& settings) {
    return "augmentation: " + augmentation_text(settings) + "\n";
}

std::string describe_recipe_settings(const TrainSettings& settings) {
    std::string out;
    if (settings.augment.kind != AugmentKind::none) out += describe_augmentation(settings.augment);
    if (settings.schedule.kind != ScheduleKind::constant || settings.schedule.warmup_epochs > 0)
        out += "learning rate: " + schedule_text(settings) + "\n";
    if (settings.max_norm > 0.0f) out += "max-norm: " + text(settings.max_norm) + "\n";
    return out;
}

std::vector<std::pair<std::string, std::string>> recipe_configuration(const TrainSettings& settings,
                                                                      const std::string& recipe) {
    return {{"recipe", recipe.empty() ? "(from the checkpoint)" : recipe},
            {"augment", augmentation_text(settings.augment)},
            {"lr-schedule", schedule_text(settings)},
            {"max-norm", settings.max_norm > 0.0f ? text(settings.max_norm) : "0 (off)"}};
}

void write_recipe_config(JsonWriter& config, const TrainSettings& settings, const std::string& recipe) {
    const AugmentSettings& a = settings.augment;
    const LrSchedule& s = settings.schedule;
    config.key("recipe").value(recipe);
    config.key("augment").value(augment_kind_name(a.kind));
    config.key("shift").value(static_cast<double>(a.max_shift));
    config.key("rotate").value(static_cast<double>(a.max_rotation));
    config.key("scale").value(static_cast<double>(a.max_scale));
    config.key("shear").value(static_cast<double>(a.max_shear));
    config.key("elastic_alpha").value(static_cast<double>(a.elastic_alpha));
    config.key("elastic_sigma").value(static_cast<double>(a.elastic_sigma));
    config.key("lr_schedule").value(schedule_kind_name(s.kind));
    config.key("warmup").value(static_cast<uint64_t>(s.warmup_epochs));
    config.key("lr_step").value(static_cast<uint64_t>(s.step_epochs));
    config.key("lr_gamma").value(static_cast<double>(s.step_gamma));
    config.key("lr_min").value(static_cast<double>(s.min_lr));
    config.key("max_norm").value(static_cast<double>(settings.max_norm));
}

}  // namespace mnist
