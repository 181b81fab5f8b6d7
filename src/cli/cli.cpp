// Subcommand dispatch, top-level help, and the mapping from error types to exit statuses.
#include "cli/cli.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <new>

#include "cli/commands.h"
#include "util/check.h"
#include "util/printable.h"

namespace mnist {

namespace {

const char* kOverview =
    "mnist: a multilayer perceptron that learns handwritten digits, in plain C++17.\n"
    "\n"
    "usage: mnist [train] [options]      train the report's recipe (the default subcommand)\n"
    "       mnist eval --model FILE      evaluate a saved model on the test set\n"
    "       mnist eda                    figures of the data alone (also drawn by train)\n"
    "       mnist predict IMAGE...       classify your own digit images (PNG, PBM, PGM, PPM)\n"
    "       mnist bench                  GEMM and training-step speed on this machine\n"
    "       mnist augment-preview        draw training digits as augmentation distorts them\n"
    "       mnist gradcheck              the backward pass against central differences, per tensor\n"
    "       mnist activations            each hidden layer's mean, variance and dead units (--init, --model)\n"
    "       mnist gemm-stages            every GEMM stage over a range of sizes, a KC sweep, plots\n"
    "       mnist demo                   a page where you draw a digit and the model answers\n"
    "       mnist quantize --model FILE  make an int8 model (integer-only inference)\n"
    "       mnist export-c --model FILE  write an int8 model as freestanding C for a microcontroller\n"
    "       mnist COMMAND --help         the options of one subcommand, with their defaults\n"
    "\n"
    "Run `mnist train --help` for the training options. Exit status: 0 success, 1 failure,\n"
    "2 bad usage or bad input file.\n";

// One line on stderr, then the exit status that goes with the error's kind.
int report(const std::exception& error, int status) {
    std::fprintf(stderr, "mnist: %s\n", printable(error.what()).c_str());
    return status;
}

// What a command printed must have reached standard output: results are compared across machines by
// `eval --json`, so `eval --json > /dev/full` must not look like a success. Flushes stdout and checks its
// error flag; a failure is reported with the system's reason and turns a success into exit status 1.
int check_stdout(int status) {
    errno = 0;
    const bool flushed = std::fflush(stdout) == 0;
    const int error = errno;
    if (flushed && !std::ferror(stdout)) return status;
    std::fprintf(stderr, "mnist: cannot write to standard output (%s)\n",
                 error != 0 ? std::strerror(error) : "an earlier write failed");
    std::clearerr(stdout);
    return status == kExitOk ? kExitFailure : status;
}

int run_command(const std::vector<std::string>& args);

}  // namespace

int run_cli(const std::vector<std::string>& args) { return check_stdout(run_command(args)); }

namespace {

int run_command(const std::vector<std::string>& args) {
    try {
        if (!args.empty() && (args[0] == "--help" || args[0] == "-h" || args[0] == "help")) {
            std::fputs(kOverview, stdout);
            return kExitOk;
        }
        std::string command = "train";
        std::vector<std::string> rest = args;
        if (!args.empty() && args[0].compare(0, 1, "-") != 0) {
            command = args[0];
            rest.erase(rest.begin());
        }
        if (command == "train") return train_command(rest);
        if (command == "eval") return eval_command(rest);
        if (command == "eda") return eda_command(rest);
        if (command == "bench") return bench_command(rest);
        if (command == "predict") return predict_command(rest);
        if (command == "augment-preview") return augment_preview_command(rest);
        if (command == "gradcheck") return gradcheck_command(rest);
        if (command == "activations") return activations_command(rest);
        if (command == "gemm-stages") return gemm_stages_command(rest);
        if (command == "demo") return demo_command(rest);
        if (command == "quantize") return quantize_command(rest);
        if (command == "export-c") return export_c_command(rest);
        std::fprintf(stderr, "mnist: unknown subcommand '%s'\n\n%s", printable(command).c_str(), kOverview);
        return kExitUsage;
    } catch (const UsageError& e) {
        return report(e, kExitUsage);
    } catch (const InputError& e) {
        return report(e, kExitUsage);
    } catch (const TrainingError& e) {
        return report(e, kExitFailure);
    } catch (const SystemError& e) {
        return report(e, kExitFailure);
    } catch (const std::bad_alloc&) {
        std::fprintf(stderr, "mnist: out of memory\n");
        return kExitFailure;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "mnist: internal error: %s\n", printable(e.what()).c_str());
        return kExitFailure;
    }
}

}  // namespace

}  // namespace mnist
