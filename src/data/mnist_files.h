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
    size_t num_classes = 0;  // the largest training label + 1
};

// Loads train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and
// t10k-labels-idx1-ubyte from `dir`, each raw or as .gz (see load_idx), one file at a time. Throws
// InputError naming the file for a missing or malformed file, or files that disagree, e.g.
// "data/train-labels-idx1-ubyte.gz: 59999 labels but 60000 images".
MnistData load_mnist(const std::string& dir);

}  // namespace mnist
