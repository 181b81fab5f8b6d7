// The subcommands of ./mnist, each a function from its arguments (after the subcommand's name) to an exit
// status. They parse their own options (cli/options.h) and throw InputError / UsageError / SystemError,
// which run_cli turns into a message and an exit status.
#pragma once

#include <string>
#include <vector>

namespace mnist {

int train_command(const std::vector<std::string>& args);
int eval_command(const std::vector<std::string>& args);
int eda_command(const std::vector<std::string>& args);
int bench_command(const std::vector<std::string>& args);
int predict_command(const std::vector<std::string>& args);
int augment_preview_command(const std::vector<std::string>& args);
int gradcheck_command(const std::vector<std::string>& args);
int gemm_stages_command(const std::vector<std::string>& args);
int demo_command(const std::vector<std::string>& args);
int quantize_command(const std::vector<std::string>& args);
int export_c_command(const std::vector<std::string>& args);
int activations_command(const std::vector<std::string>& args);

// Exit statuses.
constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;  // the program could not do its job (e.g. cannot write out/)
constexpr int kExitUsage = 2;    // bad command line or bad input file

}  // namespace mnist
