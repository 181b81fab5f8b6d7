// Loading MNIST: four IDX files into two ImageSets, each file checked on its own (data/idx.cpp) and then
// against the others here. Not the split or the float conversion. Peak memory is one file's compressed
// bytes plus its decompressed bytes, because the files are read one at a time. docs/01-data.md.
#include "data/mnist_files.h"

#include <utility>

#include "data/idx.h"
#include "data/image.h"
#include "util/check.h"

namespace mnist {
namespace {

// Reads an images file (3-D: count x rows x cols) into set.count, rows, cols and pixels. Returns the
// file's path, for messages.
std::string load_images(const std::string& dir, const std::string& base, ImageSet& set) {
    const std::string path = find_idx_file(dir, base);
    IdxArray images = read_idx_file(path);
    if (images.dims.size() != 3) {
        throw InputError(path + ": " + std::to_string(images.dims.size()) +
                         " dimensions, expected 3 (images x rows x columns)");
    }
    set.count = images.dims[0];
    set.rows = images.dims[1];
    set.cols = images.dims[2];
    if (set.count == 0) throw InputError(path + ": the file holds no images");
    if (set.rows == 0 || set.cols == 0) {
        throw InputError(path + ": images of " + size_text(set.cols, set.rows) + " pixels are empty");
    }
    set.pixels = std::move(images.values);
    return path;
}

// Reads a labels file (1-D: count) into set.labels; it must have one label per image already loaded.
// Returns the file's path.
std::string load_labels(const std::string& dir, const std::string& base, ImageSet& set) {
    const std::string path = find_idx_file(dir, base);
    IdxArray labels = read_idx_file(path);
    if (labels.dims.size() != 1) {
        throw InputError(path + ": " + std::to_string(labels.dims.size()) +
                         " dimensions, expected 1 (labels)");
    }
    if (labels.dims[0] != set.count) {
        throw InputError(path + ": " + std::to_string(labels.dims[0]) + " labels but " +
                         std::to_string(set.count) + " images");
    }
    set.labels = std::move(labels.values);
    return path;
}

}  // namespace

MnistData load_mnist(const std::string& dir) {
    // One file at a time, each checked as soon as it is read: images first, so that each labels file
    // can be checked against the number of images it must label.
    MnistData data;
    const std::string train_images = load_images(dir, "train-images-idx3-ubyte", data.train);
    const std::string train_labels = load_labels(dir, "train-labels-idx1-ubyte", data.train);
    const std::string test_images = load_images(dir, "t10k-images-idx3-ubyte", data.test);
    if (data.test.rows != data.train.rows || data.test.cols != data.train.cols) {
        throw InputError(test_images + ": images are " + size_text(data.test.cols, data.test.rows) +
                         " pixels but the training images (" + train_images + ") are " +
                         size_text(data.train.cols, data.train.rows));
    }
    const std::string test_labels = load_labels(dir, "t10k-labels-idx1-ubyte", data.test);

    // The classes are 0 .. the largest training label. A test label outside them could never be
    // predicted, so it means the files do not belong together.
    uint8_t largest = 0;
    for (const uint8_t label : data.train.labels) largest = label > largest ? label : largest;
    data.num_classes = size_t{largest} + 1;
    if (data.num_classes < 2) {
        throw InputError(train_labels + ": every label is 0; classification needs at least two classes");
    }
    for (size_t i = 0; i < data.test.count; ++i) {
        if (data.test.labels[i] >= data.num_classes) {
            throw InputError(test_labels + ": label " + std::to_string(data.test.labels[i]) + " at index " +
                             std::to_string(i) + " is not a training class (0 to " +
                             std::to_string(data.num_classes - 1) + ")");
        }
    }
    return data;
}

}  // namespace mnist
