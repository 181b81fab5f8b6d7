// Exploratory data analysis, before any training (the report's section 3): how many images of each digit
// the training, validation and test sets hold, a few samples of each digit, each digit's mean image, and
// how pixel values are distributed, first as numbers (EdaSummary, the sentences printed) and then as
// figures. Looks at the data only, never at a model. See docs/10-figures.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "data/mnist_files.h"
#include "report/figure.h"

namespace mnist {

// How many images of each class one set holds.
struct ClassCounts {
    std::string set_name;          // "train", "validation", "test"
    std::vector<uint64_t> counts;  // [classes]
    uint64_t total = 0;
};

// Everything the EDA figures and sentences are made from. "The training file" is all of
// train-images-idx3-ubyte, validation images included; the test images are only counted, never looked at.
struct EdaSummary {
    size_t rows = 0, cols = 0, classes = 0;
    std::vector<ClassCounts> sets;                 // train (the split's training indices), validation, test
    std::vector<uint64_t> file_counts;             // [class]: images of the class in the training file
    std::vector<std::vector<uint32_t>> samples;    // [class]: the first few training-file indices of that class
    std::vector<std::vector<double>> mean_images;  // [class][rows * cols]: mean pixel (0-255) of the class's
                                                   // training-file images; all 0 for a class with none
    std::vector<uint64_t> pixel_histogram;         // [256]: training-file pixels with each value
    uint64_t pixel_count = 0;                      // training-file pixels in all
    double zero_share = 0;                         // the fraction of them that are 0
    double mean_pixel = 0, std_pixel = 0;          // their mean and standard deviation on Eq. (1)'s 0-1 scale
};

// Counts, samples (up to samples_per_class per class), mean images and the pixel histogram. `split`
// indexes data.train (as split_train_validation makes it; --limit may have shortened split.train).
EdaSummary compute_eda(const MnistData& data, const Split& split, size_t samples_per_class);

// The largest class count over the smallest; infinity when some class has no images at all.
double max_min_ratio(const ClassCounts& set);

// The observations, one sentence each, computed from `eda`: the class ratio of each set, the share of
// zero pixels with the mean and standard deviation, the most common value after 0, and which digit uses
// the least and the most ink.
std::vector<std::string> eda_observations(const EdaSummary& eda);

// The four EDA figures: class_distribution (bar chart), samples (grid PNG), mean_images (grid PNG) and
// pixel_histogram (log-scale histogram). `train` is the training file the summary was computed from.
std::vector<Figure> eda_figures(const EdaSummary& eda, const ImageSet& train);

}  // namespace mnist
