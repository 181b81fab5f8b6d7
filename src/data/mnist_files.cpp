// Loading MNIST: four IDX files into two ImageSets, each file checked on its own (data/idx.cpp) and then
// against the others here. Not the split or the float conversion. Peak memory is one file's compressed
// bytes plus its decompressed bytes, because the files are read one at a time. docs/01-data.md.
#include "data/mnist_files.h"

#include <utility>

#include "codec/image.h"
#include "data/idx.h"
#include "util/check.h"
#include "util/file.h"

namespace mnist {
namespace {

// Where the IDX file `base` is in `dir`, as find_idx_file says; `note` gets what the choice passed over
// ("data/x (chosen over data/x.gz)"), so that a message about the file says which of the two was read,
// and the raw file is added to data.raw_over_gz.
std::string locate(const std::string& dir, const std::string& base, std::string& note, MnistData& data) {
    const std::string path = find_idx_file(dir, base);
    note = path;
    if (file_exists(path + ".gz")) {
        note += " (chosen over " + path + ".gz)";
        data.raw_over_gz.push_back(path);
    }
    return path;
}

// Reads an images file (3-D: count x rows x cols) into set.count, rows, cols and pixels. Returns the
// file's path as messages should name it.
std::string load_images(const std::string& dir, const std::string& base, ImageSet& set, MnistData& data) {
    std::string name;
    const std::string path = locate(dir, base, name, data);
    IdxArray images = read_idx_file(path);
    if (images.dims.size() != 3) {
        throw InputError(path + ": " + std::to_string(images.dims.size()) +
                         " dimensions, expected 3 (images x rows x columns)");
    }
    set.count = images.dims[0];
    set.rows = images.dims[1];
    set.cols = images.dims[2];
    if (set.count == 0) throw InputError(path + ": the file holds no images");
    if (set.rows == 0 || set.cols == 0)
        throw InputError(path + ": images of " + size_text(set.cols, set.rows) + " pixels are empty");
    set.pixels = std::move(images.values);
    return name;
}

// Reads a labels file (1-D: count) into set.labels; it must have one label per image already loaded from
// `images_name`, which a mismatch names too (the labels may be right and the images file the odd one).
std::string load_labels(const std::string& dir, const std::string& base, ImageSet& set, const std::string& images_name,
                        MnistData& data) {
    std::string name;
    const std::string path = locate(dir, base, name, data);
    IdxArray labels = read_idx_file(path);
    if (labels.dims.size() != 1) {
        throw InputError(path + ": " + std::to_string(labels.dims.size()) +
                         " dimensions, expected 1 (labels)");
    }
    if (labels.dims[0] != set.count) {
        throw InputError(path + ": " + std::to_string(labels.dims[0]) + " labels but " + std::to_string(set.count) +
                         " images in " + images_name);
    }
    set.labels = std::move(labels.values);
    return name;
}

}  // namespace

MnistData load_mnist(const std::string& dir, size_t stated_classes) {
    // One file at a time, each checked as soon as it is read: images first, so that each labels file
    // can be checked against the number of images it must label.
    MnistData data;
    const std::string train_images = load_images(dir, "train-images-idx3-ubyte", data.train, data);
    const std::string train_labels = load_labels(dir, "train-labels-idx1-ubyte", data.train, train_images, data);
    const std::string test_images = load_images(dir, "t10k-images-idx3-ubyte", data.test, data);
    if (data.test.rows != data.train.rows || data.test.cols != data.train.cols) {
        throw InputError(test_images + ": images are " + size_text(data.test.cols, data.test.rows) +
                         " pixels but the training images (" + train_images + ") are " +
                         size_text(data.train.cols, data.train.rows));
    }
    const std::string test_labels = load_labels(dir, "t10k-labels-idx1-ubyte", data.test, test_images, data);

    // The classes: as stated (--classes, or a model's outputs), every label below that count; or else
    // 0 .. the largest training label, each of which must occur in training. A class between 0 and the
    // largest label that never occurs means the labels are not what they claim: one corrupt label of 200
    // would otherwise make a 201-class network without a word.
    if (stated_classes > 0) {
        data.num_classes = stated_classes;
        for (size_t i = 0; i < data.train.count; ++i)
            if (data.train.labels[i] >= stated_classes)
                throw InputError(train_labels + ": label " + std::to_string(data.train.labels[i]) + " at item " +
                                 std::to_string(i) + " is not one of the " + std::to_string(stated_classes) +
                                 " classes (0 to " + std::to_string(stated_classes - 1) + ")");
    } else {
        std::vector<size_t> first_item(256, data.train.count);  // where each label first occurs
        for (size_t i = data.train.count; i-- > 0;) first_item[data.train.labels[i]] = i;
        size_t largest = 0;
        for (size_t c = 0; c < 256; ++c)
            if (first_item[c] < data.train.count) largest = c;
        data.num_classes = largest + 1;
        if (data.num_classes < 2)
            throw InputError(train_labels + ": every label is 0; classification needs at least two classes");
        for (size_t missing = 0; missing < largest; ++missing) {
            if (first_item[missing] < data.train.count) continue;
            size_t above = missing + 1;  // the smallest label above the gap, and its first item
            while (first_item[above] == data.train.count) ++above;
            throw InputError(train_labels + ": label " + std::to_string(above) + " at item " +
                             std::to_string(first_item[above]) + ", but no image has label " + std::to_string(missing) +
                             ": the labels skip classes, so they are not class numbers 0 to " +
                             std::to_string(largest) + " (a corrupt file? if the gaps are real, say how many classes "
                             "there are with --classes)");
        }
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
