// The settings table (train/settings.h) as command-line options: its rows as option lines (for parsing and
// --help), --recipe's presets, and the values read into RunSettings, each checked by its row. `train` takes
// every row; `augment-preview` and `eda` take the few they need. See docs/07-training.md.
#pragma once

#include <string>
#include <vector>

#include "cli/options.h"
#include "train/settings.h"

namespace mnist {

// Option lines for the named rows of the table, in the table's order (every row when `names` is empty).
std::vector<OptionSpec> setting_option_specs(const std::vector<std::string>& names = {});

// Puts the values of the recipe that --recipe names into options.preset, for the options this command has
// (an option given on the command line still wins). UsageError for an unknown recipe.
ParsedOptions with_recipe(ParsedOptions options);

// Every row of the table that this command declares, read into `settings`: the command line's value, else
// the recipe's, else the default. Each is checked by its row (UsageError naming the option).
void read_settings(const ParsedOptions& options, RunSettings& settings);

// With --resume, the options that identify a run (and --recipe) may not be given: UsageError naming one.
void refuse_identifying_options(const ParsedOptions& options);

}  // namespace mnist
