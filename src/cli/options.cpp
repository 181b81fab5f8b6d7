// Option parsing and value checking.
#include "cli/options.h"

#include <cstdio>
#include <algorithm>
#include <stdexcept>

#include "util/check.h"
#include "util/parse.h"

namespace mnist {

namespace {

const OptionSpec* find_spec(const std::vector<OptionSpec>& specs, const std::string& name) {
    for (const OptionSpec& spec : specs)
        if (spec.name == name) return &spec;
    return nullptr;
}

const OptionSpec& spec_of(const ParsedOptions& options, const std::string& name) {
    const OptionSpec* spec = options.specs ? find_spec(*options.specs, name) : nullptr;
    if (!spec) throw std::logic_error("option --" + name + " is not declared for " + options.command);
    return *spec;
}

std::string value_of(const ParsedOptions& options, const std::string& name) {
    const auto found = options.given.find(name);
    if (found != options.given.end()) return found->second;
    const auto preset = options.preset.find(name);
    return preset != options.preset.end() ? preset->second : spec_of(options, name).default_value;
}

UsageError bad_value(const std::string& name, const std::string& value, const std::string& expected) {
    return UsageError("--" + name + " " + value + ": " + expected);
}

}  // namespace

ParsedOptions parse_options(const std::string& command, const std::vector<std::string>& args,
                            const std::vector<OptionSpec>& specs, bool allow_positionals) {
    ParsedOptions options;
    options.command = command;
    options.specs = &specs;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg.size() < 3 || arg.compare(0, 2, "--") != 0) {
            if (!allow_positionals || (!arg.empty() && arg[0] == '-' && arg != "-"))
                throw UsageError("unexpected argument '" + arg + "' for " + command + " (see --help)");
            options.positionals.push_back(arg);
            continue;
        }
        std::string name = arg.substr(2), value;
        const size_t equals = name.find('=');
        const bool inline_value = equals != std::string::npos;
        if (inline_value) {
            value = name.substr(equals + 1);
            name = name.substr(0, equals);
        }
        const OptionSpec* spec = find_spec(specs, name);
        if (!spec) throw UsageError("unknown option --" + name + " for " + command + " (see --help)");
        if (options.given.count(name)) throw UsageError("option --" + name + " given twice");
        if (spec->value_name.empty()) {
            if (inline_value) throw UsageError("option --" + name + " takes no value");
            value = "1";
        } else if (!inline_value) {
            if (i + 1 >= args.size()) throw UsageError("option --" + name + " needs a value (" + spec->value_name + ")");
            value = args[++i];
        }
        options.given[name] = value;
    }
    return options;
}

std::string options_help(const std::vector<OptionSpec>& specs) {
    std::string out;
    for (const OptionSpec& spec : specs) {
        std::string left = "  --" + spec.name + (spec.value_name.empty() ? "" : " " + spec.value_name);
        if (left.size() < 24) left.resize(24, ' ');
        else left += "  ";
        out += left + spec.help;
        if (!spec.default_value.empty() && !spec.value_name.empty()) out += " [default: " + spec.default_value + "]";
        out += "\n";
    }
    return out;
}

bool print_help_if_asked(const ParsedOptions& options, const char* about) {
    if (!option_flag(options, "help")) return false;
    std::printf("%s\noptions:\n%s", about, options_help(*options.specs).c_str());
    return true;
}

bool option_given(const ParsedOptions& options, const std::string& name) {
    spec_of(options, name);
    return options.given.count(name) != 0;
}

bool option_flag(const ParsedOptions& options, const std::string& name) { return option_given(options, name); }

std::string option_text(const ParsedOptions& options, const std::string& name) { return value_of(options, name); }

std::string option_string(const ParsedOptions& options, const std::string& name) {
    const std::string value = value_of(options, name);
    if (value.empty()) throw UsageError("--" + name + " needs a non-empty value");
    return value;
}

uint64_t option_unsigned(const ParsedOptions& options, const std::string& name, uint64_t min, uint64_t max) {
    const std::string value = value_of(options, name);
    uint64_t parsed = 0;
    if (!parse_whole(value, min, max, parsed))
        throw bad_value(name, value, "expected a whole number from " + std::to_string(min) + " to " + std::to_string(max));
    return parsed;
}

double option_real(const ParsedOptions& options, const std::string& name, double min, double max) {
    const std::string value = value_of(options, name);
    double parsed = 0;
    if (!parse_real(value, min, max, parsed))
        throw bad_value(name, value, "expected a number from " + number_text(min) + " to " + number_text(max));
    return parsed;
}

std::vector<size_t> option_size_list(const ParsedOptions& options, const std::string& name, uint64_t max_each,
                                     bool allow_empty) {
    const std::string value = value_of(options, name);
    std::vector<size_t> sizes;
    if (!parse_size_list(value, max_each, allow_empty, sizes))
        throw bad_value(name, value.empty() ? "\"\"" : value,
                        "expected comma-separated whole numbers from 1 to " + std::to_string(max_each) +
                            ", e.g. 512,256,128" + (allow_empty ? " (or \"\" for none)" : ""));
    return sizes;
}

}  // namespace mnist
