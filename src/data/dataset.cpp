// The split and the byte -> float batch loader, Eq. (1). See docs/01-data.md.
#include "data/dataset.h"

#include "util/rng.h"

namespace mnist {

Split split_train_validation(size_t count, size_t validation_size, uint64_t seed) {
    std::vector<uint32_t> order(count);
    for (size_t i = 0; i < count; ++i) order[i] = static_cast<uint32_t>(i);
    Rng rng = make_rng(seed, RandomStream::split);
    shuffle(rng, order.data(), order.size());
    Split split;
    split.validation.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(validation_size));
    split.train.assign(order.begin() + static_cast<std::ptrdiff_t>(validation_size), order.end());
    return split;
}

// Eq. (1)
void load_batch(MatrixView x, uint8_t* labels, const ImageSet& set, const uint32_t* indices, size_t rows) {
    // One correctly rounded division per pixel: the same float for the same byte on every machine, and a
    // loop the compiler turns into vector conversions and divisions.
    const size_t pixels = set.rows * set.cols;
    for (size_t r = 0; r < rows; ++r) {
        const uint8_t* image = set.pixels.data() + static_cast<size_t>(indices[r]) * pixels;
        float* out = x.data + r * x.cols;
        for (size_t p = 0; p < pixels; ++p) out[p] = static_cast<float>(image[p]) / 255.0f;
        labels[r] = set.labels[indices[r]];
    }
}

}  // namespace mnist
