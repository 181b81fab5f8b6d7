// The four MNIST files as two labelled image sets, checked against each other: counts agree, image sizes
// agree, test labels are classes the training set has. Not the train/validation split or the scaling to
// floats (data/dataset.h). Nothing here knows MNIST's 28 x 28 or 10: the files say. docs/01-data.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mnist {

// Labelled images as the files hold them: bytes, 0 (background) to 255 (ink).
struct ImageSet {
    size_t count = 0, rows = 0, cols = 0;
    std::vector<uint8_t> pixels;  // [count x rows*cols], image i's pixel (r, c) at [i*rows*cols + r*cols + c]
    std::vector<uint8_t> labels;  // [count], each < MnistData::num_classes
};

struct MnistData {
    ImageSet train, test;
    size_t num_classes = 0;  // as stated, or the largest training label + 1
    std::vector<std::string> raw_over_gz;  // raw files read although a .gz of the same name is there too
};

// Loads train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and
// t10k-labels-idx1-ubyte from `dir`, each raw or as .gz (the raw file when both are there: see
// find_idx_file; raw_over_gz lists them), one file at a time. Throws InputError naming the file for a
// missing or malformed file, or files that disagree, naming both, e.g. "data/train-labels-idx1-ubyte.gz:
// 59999 labels but 60000 images in data/train-images-idx3-ubyte.gz".
// The classes: with stated_classes > 0 (--classes, or a model's outputs) every label must be below it;
// with 0, they are 0 .. the largest training label, and each must occur among the training labels,
// else the labels are refused naming the file, the item and the value (a single corrupt label of 200
// would make a 201-class problem). Test labels must be classes.
MnistData load_mnist(const std::string& dir, size_t stated_classes = 0);

}  // namespace mnist
