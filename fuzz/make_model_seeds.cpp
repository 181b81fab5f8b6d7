// Writes the fuzz_model harness's seeds: tiny model.bin files made by encode_model itself (1, 2 and 3
// dense layers, square and oblong images), so libFuzzer starts from files that pass every check. Not run
// by the build or CI; `make fuzz-corpus` runs it. Usage: make_model_seeds <folder>.
#include <cstdio>
#include <string>
#include <vector>

#include "nn/model_file.h"
#include "util/output_file.h"

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_model_seeds <folder>\n");
        return 2;
    }
    struct Seed {
        const char* name;
        size_t rows, cols;
        std::vector<size_t> sizes;
    };
    const Seed seeds[] = {
        {"one-layer-1x1.bin", 1, 1, {1, 2}},
        {"two-layers-2x2.bin", 2, 2, {4, 3, 2}},
        {"three-layers-2x3.bin", 2, 3, {6, 5, 4, 3}},
    };
    for (const Seed& seed : seeds) {
        const mnist::Mlp mlp = mnist::make_mlp(seed.sizes, 42);
        const std::string path = std::string(argv[1]) + "/" + seed.name;
        mnist::write_file_atomic(path, mnist::encode_model(mlp, seed.rows, seed.cols));
        std::printf("%s\n", path.c_str());
    }
    return 0;
}
