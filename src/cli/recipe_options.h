// The options of docs/12-augmentation.md, shared by `train` and `augment-preview`: augmentation (--augment and
// its ranges), the learning-rate schedule and max-norm, and --recipe, which names a preset of all of them.
// Parsing and checking only; what the settings do is in data/augment.h, train/lr_schedule.h, nn/max_norm.h.
#pragma once

#include <string>
#include <vector>

#include "cli/options.h"
#include "train/trainer.h"
#include "util/json.h"

namespace mnist {

// Option table lines (cli/options.h), with the defaults of AugmentSettings, LrSchedule and TrainSettings.
const std::vector<OptionSpec>& augmentation_option_specs();  // --augment, --shift, ..., --elastic-sigma
const std::vector<OptionSpec>& schedule_option_specs();      // --lr-schedule, --warmup, ..., --max-norm
OptionSpec recipe_option_spec(const std::string& default_recipe);  // --recipe NAME
// `table` with --recipe, the augmentation and (with `schedule`) the schedule options inserted after option
// `after`. augment-preview has no schedule to set, so it leaves them out and refuses them.
std::vector<OptionSpec> insert_recipe_options(std::vector<OptionSpec> table, const std::string& after,
                                              const std::string& default_recipe, bool schedule = true);

// A named preset: option values used in place of the defaults ("report" has none: it is the defaults).
struct Recipe {
    std::string name, description;
    std::vector<std::pair<std::string, std::string>> values;  // option name -> value, as on the command line
};
const std::vector<Recipe>& recipes();

// Puts the values of the recipe that --recipe names into options.preset, for the options it knows (so an
// option given on the command line still wins). Throws UsageError for an unknown recipe.
ParsedOptions with_recipe(ParsedOptions options);

// The augmentation options' values, checked.
AugmentSettings read_augmentation_options(const ParsedOptions& options);
// The schedule options and --max-norm into settings.schedule and settings.max_norm, checked against
// settings.max_epochs and settings.adam.learning_rate (read those first).
void read_schedule_options(const ParsedOptions& options, TrainSettings& settings);
// With --resume, these options may not be given (the checkpoint's settings are used): throws UsageError.
void refuse_recipe_options_with_resume(const ParsedOptions& options);

// "both, shift 2 px, ...": the kind and the ranges it uses; "cosine to 0 at epoch 60, warm-up 2 epochs".
std::string augmentation_text(const AugmentSettings& settings);
std::string schedule_text(const TrainSettings& settings);
// "augmentation: " + augmentation_text + a newline.
std::string describe_augmentation(const AugmentSettings& settings);
// One line each for augmentation, schedule and max-norm when they differ from the report's recipe ("" when
// all are as in the report), for the header a training run prints.
std::string describe_recipe_settings(const TrainSettings& settings);
// The same settings as (option, value) lines for the configuration table of report.html / report.md.
std::vector<std::pair<std::string, std::string>> recipe_configuration(const TrainSettings& settings,
                                                                      const std::string& recipe);
// The same settings as keys of metrics.json's config object.
void write_recipe_config(JsonWriter& config, const TrainSettings& settings, const std::string& recipe);

}  // namespace mnist
