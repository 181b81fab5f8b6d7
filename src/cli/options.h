// Command-line options: each subcommand declares a table of OptionSpec (name, value, default, help); the
// parser checks every argument against it and the typed getters check every value, so a bad command line
// always ends in a UsageError that names the option. The same table prints --help.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace mnist {

struct OptionSpec {
    std::string name;           // without the leading "--"
    std::string value_name;     // e.g. "DIR"; empty for a flag that takes no value
    std::string default_value;  // shown in --help and used when the option is absent ("" = none)
    std::string help;
};

struct ParsedOptions {
    std::string command;                       // for messages: "train", "eval", ...
    std::map<std::string, std::string> given;  // options present on the command line
    std::map<std::string, std::string> preset; // values a named recipe (--recipe) puts in place of the defaults
    std::vector<std::string> positionals;      // arguments that are not options
    const std::vector<OptionSpec>* specs = nullptr;
};

// Accepts "--name value", "--name=value" and "--flag". Unknown options, missing values and repeated
// options throw UsageError. Positionals are allowed only when allow_positionals is set.
ParsedOptions parse_options(const std::string& command, const std::vector<std::string>& args,
                            const std::vector<OptionSpec>& specs, bool allow_positionals = false);

// The option table as --help lines.
std::string options_help(const std::vector<OptionSpec>& specs);

// With --help on the command line: prints `about` (the usage lines and what the command does, ending in a
// newline), a blank line, "options:" and the option table, and returns true: the command then ends (exit 0).
bool print_help_if_asked(const ParsedOptions& options, const char* about);

// Whether the command line gave the option (a recipe's preset does not count). The getters below read the
// command line's value, else the preset's, else the default.
bool option_given(const ParsedOptions& options, const std::string& name);
bool option_flag(const ParsedOptions& options, const std::string& name);
std::string option_string(const ParsedOptions& options, const std::string& name);
// The value as typed (or the preset's, or the default), unchecked: possibly empty.
std::string option_text(const ParsedOptions& options, const std::string& name);
// Integers and reals in [min, max], written in decimal digits (a real may have a '-', a point and an
// exponent); anything else, including leading spaces, '+', hexadecimal and trailing junk, is a UsageError.
uint64_t option_unsigned(const ParsedOptions& options, const std::string& name, uint64_t min, uint64_t max);
double option_real(const ParsedOptions& options, const std::string& name, double min, double max);
// A comma-separated list of positive integers, e.g. "512,256,128"; may be empty ("") when allow_empty.
std::vector<size_t> option_size_list(const ParsedOptions& options, const std::string& name, uint64_t max_each,
                                     bool allow_empty);

}  // namespace mnist
