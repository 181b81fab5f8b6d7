// The settings table as options. See settings_options.h.
#include "cli/settings_options.h"

#include <algorithm>

#include "util/check.h"

namespace mnist {

std::vector<OptionSpec> setting_option_specs(const std::vector<std::string>& names) {
    std::vector<OptionSpec> specs;
    for (const Setting& setting : run_settings_table())
        if (names.empty() || std::find(names.begin(), names.end(), setting.name) != names.end())
            specs.push_back({setting.name, setting.value_name, setting.default_text, setting.help});
    return specs;
}

ParsedOptions with_recipe(ParsedOptions options) {
    const std::string name = option_string(options, "recipe");
    const Recipe* recipe = find_recipe(name);
    if (!recipe) {
        std::string known;
        for (const Recipe& r : recipes()) known += (known.empty() ? "" : ", ") + std::string(r.name);
        throw UsageError("--recipe " + name + ": expected one of " + known);
    }
    for (const auto& value : recipe->values)
        for (const OptionSpec& spec : *options.specs)
            if (spec.name == value.first) options.preset[value.first] = value.second;
    return options;
}

void read_settings(const ParsedOptions& options, RunSettings& settings) {
    for (const OptionSpec& spec : *options.specs) {
        const Setting* setting = find_setting(spec.name);
        if (!setting) continue;  // an option of the command's own
        if (setting->kind == SettingKind::flag) {
            SettingValue value;
            value.count = option_flag(options, spec.name) ? 1 : 0;
            setting->set(settings, value);
        } else if (setting->default_text[0] != '\0' || option_given(options, spec.name)) {
            setting->set(settings, parse_setting(*setting, option_text(options, spec.name)));
        }
    }
    const SettingsProblem problem = run_settings_problem(settings);
    if (!problem.name.empty() && find_setting(problem.name)) {
        const bool given = option_given(options, problem.name);
        throw UsageError("--" + problem.name + " " + setting_text(*find_setting(problem.name), settings) +
                         (given || options.preset.count(problem.name) == 0
                              ? ""
                              : " (from --recipe " + option_string(options, "recipe") + ")") +
                         ": " + problem.reason);
    }
}

void refuse_identifying_options(const ParsedOptions& options) {
    for (const OptionSpec& spec : *options.specs) {
        const Setting* setting = find_setting(spec.name);
        const bool identifying = spec.name == "recipe" || (setting && setting->identifies_run);
        if (identifying && option_given(options, spec.name))
            throw UsageError("--" + spec.name + " cannot be combined with --resume: a resumed run keeps the settings "
                             "of the checkpoint");
    }
}

}  // namespace mnist
