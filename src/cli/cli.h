// The entry point behind main(): picks the subcommand, prints --help, and turns errors into one line on
// stderr and an exit status (0 ok, 1 failure, 2 bad usage or bad input). Tests call it directly.
#pragma once

#include <string>
#include <vector>

namespace mnist {

// args excludes the program name.
int run_cli(const std::vector<std::string>& args);

}  // namespace mnist
