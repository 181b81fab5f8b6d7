// Errors with a reason. Every failure the user can cause or fix (a bad file, a bad option, a disk that will
// not take our output, a learning rate so large that training diverges) is thrown as one of these types,
// each carrying one short sentence that names the file or option and the problem; cli/cli.cpp prints it
// and maps the type to an exit code.
// Not for programming errors: those are bugs, and tests catch them.
#pragma once

#include <stdexcept>
#include <string>

namespace mnist {

// A file we read is malformed or inconsistent ("train-labels-idx1-ubyte: 59999 labels but 60000
// images"). Exit status 2.
struct InputError : std::runtime_error {
    explicit InputError(const std::string& reason) : std::runtime_error(reason) {}
};

// The command line is wrong (unknown option, value out of range). Exit status 2.
struct UsageError : std::runtime_error {
    explicit UsageError(const std::string& reason) : std::runtime_error(reason) {}
};

// Something outside the input failed: a file could not be opened or written. Exit status 1.
struct SystemError : std::runtime_error {
    explicit SystemError(const std::string& reason) : std::runtime_error(reason) {}
};

// Training itself failed: the loss or the weights stopped being finite numbers. Exit status 1.
struct TrainingError : std::runtime_error {
    explicit TrainingError(const std::string& reason) : std::runtime_error(reason) {}
};

}  // namespace mnist
