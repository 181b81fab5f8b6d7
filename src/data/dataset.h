// From stored bytes to what the network eats: the seeded train/validation split, and batches of pixels
// scaled to [0, 1] floats. The images stay bytes in memory (55 MB for all 70,000 MNIST images instead of
// 220 MB as floats); only the current batch is ever float. See docs/01-data.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "data/mnist_files.h"
#include "tensor/matrix.h"

namespace mnist {

// Indices into the training file: validation gets the first `validation_size` of a seeded shuffle of
// 0..count-1, training the rest (in shuffled order).
struct Split {
    std::vector<uint32_t> train, validation;
};
Split split_train_validation(size_t count, size_t validation_size, uint64_t seed);

// Eq. (1): x = pixel / 255. Copies images indices[0..rows) of `set` into the first `rows` rows of
// x [rows x pixels] and their labels into labels[0..rows).
void load_batch(MatrixView x, uint8_t* labels, const ImageSet& set, const uint32_t* indices, size_t rows);

}  // namespace mnist
