// The tests' one maker of synthetic labelled images: a Spec says how many, what size, and what each class
// looks like, and one seeded stream (util/rng.h) draws every value, so a Spec gives the same bytes on every
// machine. Small sets that a tiny network learns in seconds, not MNIST (docs/01-data.md describes the real
// files); write_mnist_files puts a set into the four IDX files for the tests that run the program.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "data/mnist_files.h"
#include "test_files.h"
#include "util/rng.h"

namespace synthetic {

// What lights up. The image's border (Spec::border pixels wide) is always 0; inside it lies the field.
enum class Pattern {
    noise,      // nothing: every field pixel is noise, whatever the class
    quadrants,  // class c lights quadrant c of the field: 0 top left, 1 top right, 2 bottom left, 3 bottom right
    bands,      // the field is cut into `classes` horizontal bands of rows; class c lights band c
};

enum class Labels {
    cycle,   // image i has label i % classes
    random,  // drawn for each image before its pixels
};

struct Spec {
    Spec(size_t count_, size_t rows_, size_t cols_, uint64_t seed_)
        : count(count_), rows(rows_), cols(cols_), seed(seed_) {}
    size_t count, rows, cols;
    uint64_t seed, stream = 0;  // the values come from make_rng(seed, stream), image by image
    size_t classes = 3;
    Pattern pattern = Pattern::quadrants;
    Labels labels = Labels::random;
    unsigned lit_low = 180, lit_span = 76;  // a lit pixel: lit_low + [0, lit_span)
    unsigned noise_span = 60;               // any other field pixel: [0, noise_span)
    size_t border = 0;
    double label_noise = 0;  // if > 0: after its pixels, with this probability a label is drawn again (may stay)
    size_t missing = SIZE_MAX;  // a class never used: a random label that falls on it becomes the next class
};

// Draws per image, in this order: its label (Labels::random), one value per field pixel in row-major order
// (border pixels draw nothing), then, with label noise, a coin and perhaps a new label.
inline mnist::ImageSet make_images(const Spec& s) {
    mnist::ImageSet set;
    set.count = s.count;
    set.rows = s.rows;
    set.cols = s.cols;
    set.pixels.reserve(s.count * s.rows * s.cols);
    set.labels.reserve(s.count);
    mnist::Rng rng = mnist::make_rng(s.seed, s.stream);
    const size_t field_rows = s.rows - 2 * s.border, field_cols = s.cols - 2 * s.border;
    for (size_t i = 0; i < s.count; ++i) {
        uint64_t label = i % s.classes;
        if (s.labels == Labels::random) {
            label = mnist::uniform_below(rng, s.classes);
            if (label == s.missing) label = (label + 1) % s.classes;
        }
        for (size_t r = 0; r < s.rows; ++r)
            for (size_t c = 0; c < s.cols; ++c) {
                if (r < s.border || c < s.border || r >= s.rows - s.border || c >= s.cols - s.border) {
                    set.pixels.push_back(0);
                    continue;
                }
                const size_t fr = r - s.border, fc = c - s.border;
                bool lit = false;
                if (s.pattern == Pattern::quadrants)
                    lit = (fr < field_rows / 2 ? 0u : 2u) + (fc < field_cols / 2 ? 0u : 1u) == label;
                else if (s.pattern == Pattern::bands)
                    lit = fr * s.classes / field_rows == label;
                const uint64_t value = lit ? s.lit_low + mnist::uniform_below(rng, s.lit_span)
                                           : mnist::uniform_below(rng, s.noise_span);
                set.pixels.push_back(static_cast<uint8_t>(value));
            }
        if (s.label_noise > 0 && mnist::uniform_double(rng) < s.label_noise)
            label = mnist::uniform_below(rng, s.classes);
        set.labels.push_back(static_cast<uint8_t>(label));
    }
    return set;
}

// `train` and `test` as the four MNIST files (raw IDX, not gzipped) in `dir`, which is created if needed.
inline void write_mnist_files(const std::filesystem::path& dir, const mnist::ImageSet& train,
                              const mnist::ImageSet& test) {
    std::filesystem::create_directories(dir);
    for (const bool is_train : {true, false}) {
        const mnist::ImageSet& set = is_train ? train : test;
        const std::string prefix = is_train ? "train" : "t10k";
        const uint32_t count = static_cast<uint32_t>(set.count);
        test_files::write_idx(dir / (prefix + "-images-idx3-ubyte"),
                              {count, static_cast<uint32_t>(set.rows), static_cast<uint32_t>(set.cols)}, set.pixels);
        test_files::write_idx(dir / (prefix + "-labels-idx1-ubyte"), {count}, set.labels);
    }
}

// The data set the command tests train on: `train` and `test` images of side x side pixels in 3 classes,
// class c lighting quadrant c (seeds 1 and 2), as the four MNIST files in `dir`.
inline void write_quadrant_data_set(const std::filesystem::path& dir, size_t train, size_t test, size_t side = 8) {
    write_mnist_files(dir, make_images(Spec(train, side, side, 1)), make_images(Spec(test, side, side, 2)));
}

}  // namespace synthetic
