// ./mnist: hands the command line to run_cli (cli/cli.h), where everything happens.
#include <string>
#include <vector>

#include "cli/cli.h"

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    return mnist::run_cli(args);
}
