// `mnist export-c`: an int8 network (quant/int8_model.h) as freestanding C99 for a microcontroller: a header
// mnist_model.h with the sizes, the prototype and the weights as const arrays, and mnist_model.c with
// int mnist_predict(const uint8_t pixels[784], int32_t scores[10]): no heap, no library calls, no floating
// point, stack use stated in the header. Text only: the command writes the files. See docs/13-quantisation.md.
#pragma once

#include <cstddef>
#include <string>

#include "data/mnist_files.h"
#include "quant/int8_model.h"

namespace mnist {

struct ExportedC {
    std::string header;  // mnist_model.h
    std::string source;  // mnist_model.c: the same text for every model (the header holds what differs)
};
ExportedC export_c(const Int8Model& model);

// mnist_test_images.h, for a firmware's self-test: the first `count` images of `set` with their labels, and
// what the C++ int8 path computes for them (int8_forward): how many it classifies right and the CRC-32 of
// all their scores (crc32_scores), for the firmware to compare with its own.
std::string export_test_images(const Int8Model& model, const ImageSet& set, size_t count);

}  // namespace mnist
