// The EDA numbers in one pass over the training file, and the figures drawn from them.
#include "report/eda.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "codec/image.h"
#include "codec/png_writer.h"
#include "report/image_grid.h"
#include "report/svg_charts.h"
#include "util/parse.h"

namespace mnist {
namespace {

ClassCounts count_classes(const std::string& name, const std::vector<uint8_t>& labels, const uint32_t* indices,
                          size_t count, size_t classes) {
    ClassCounts set;
    set.set_name = name;
    set.counts.assign(classes, 0);
    for (size_t i = 0; i < count; ++i) ++set.counts[labels[indices ? indices[i] : i]];
    set.total = count;
    return set;
}

std::string percent(double fraction, int decimals) {
    char text[32];
    std::snprintf(text, sizeof text, "%.*f%%", decimals, 100 * fraction);
    return text;
}

std::string ratio_text(double ratio) {
    if (std::isinf(ratio)) return "undefined (a class has no images)";
    char text[32];
    std::snprintf(text, sizeof text, "%.2f", ratio);
    return text;
}

// The pixel value other than 0 that occurs most often, or 0 when no other value occurs (blank images).
size_t most_common_nonzero(const std::vector<uint64_t>& histogram) {
    size_t best = 0;
    for (size_t v = 1; v < histogram.size(); ++v)
        if (histogram[v] > 0 && (best == 0 || histogram[v] > histogram[best])) best = v;
    return best;
}

// Images are shown as ink on paper: pixel value 0 (background) white, 255 black.
uint8_t paper(double value) { return static_cast<uint8_t>(255 - std::lround(std::min(std::max(value, 0.0), 255.0))); }

}  // namespace

EdaSummary compute_eda(const MnistData& data, const Split& split, size_t samples_per_class) {
    const ImageSet& train = data.train;
    EdaSummary eda;
    eda.rows = train.rows;
    eda.cols = train.cols;
    eda.classes = data.num_classes;
    const size_t k = eda.classes, pixels = train.rows * train.cols;
    eda.sets.push_back(count_classes("train", train.labels, split.train.data(), split.train.size(), k));
    eda.sets.push_back(count_classes("validation", train.labels, split.validation.data(), split.validation.size(), k));
    eda.sets.push_back(count_classes("test", data.test.labels, nullptr, data.test.count, k));

    // One pass over the training file: samples, per-class pixel sums, the histogram, the sum of squares.
    eda.samples.assign(k, {});
    std::vector<std::vector<uint64_t>> sums(k, std::vector<uint64_t>(pixels, 0));
    eda.file_counts.assign(k, 0);
    eda.pixel_histogram.assign(256, 0);
    uint64_t sum = 0, sum_squares = 0;  // of pixel values 0-255: at most 2^16 * 2^32 images' worth, no overflow
    for (size_t i = 0; i < train.count; ++i) {
        const size_t label = train.labels[i];
        if (eda.samples[label].size() < samples_per_class) eda.samples[label].push_back(static_cast<uint32_t>(i));
        ++eda.file_counts[label];
        const uint8_t* image = train.pixels.data() + i * pixels;
        uint64_t* class_sum = sums[label].data();
        for (size_t p = 0; p < pixels; ++p) {
            const uint8_t v = image[p];
            class_sum[p] += v;
            ++eda.pixel_histogram[v];
            sum += v;
            sum_squares += uint64_t{v} * v;
        }
    }
    eda.mean_images.assign(k, std::vector<double>(pixels, 0.0));
    for (size_t c = 0; c < k; ++c)
        if (eda.file_counts[c] > 0)
            for (size_t p = 0; p < pixels; ++p)
                eda.mean_images[c][p] = static_cast<double>(sums[c][p]) / static_cast<double>(eda.file_counts[c]);

    eda.pixel_count = static_cast<uint64_t>(train.count) * pixels;
    if (eda.pixel_count > 0) {
        const double n = static_cast<double>(eda.pixel_count);
        eda.zero_share = static_cast<double>(eda.pixel_histogram[0]) / n;
        const double mean = static_cast<double>(sum) / n;  // on the 0-255 scale
        const double variance = std::max(static_cast<double>(sum_squares) / n - mean * mean, 0.0);
        eda.mean_pixel = mean / 255;
        eda.std_pixel = std::sqrt(variance) / 255;
    }
    return eda;
}

double max_min_ratio(const ClassCounts& set) {
    if (set.counts.empty()) return std::numeric_limits<double>::infinity();
    const uint64_t largest = *std::max_element(set.counts.begin(), set.counts.end());
    const uint64_t smallest = *std::min_element(set.counts.begin(), set.counts.end());
    if (smallest == 0) return std::numeric_limits<double>::infinity();
    return static_cast<double>(largest) / static_cast<double>(smallest);
}

std::vector<std::string> eda_observations(const EdaSummary& eda) {
    std::vector<std::string> out;
    // Class balance, with the extreme classes of the training split named.
    std::string balance = "Class balance (largest class / smallest class): ";
    for (size_t s = 0; s < eda.sets.size(); ++s)
        balance += (s ? ", " : "") + ratio_text(max_min_ratio(eda.sets[s])) + " in " + eda.sets[s].set_name;
    if (!eda.sets.empty() && !eda.sets[0].counts.empty()) {
        const std::vector<uint64_t>& c = eda.sets[0].counts;
        const size_t most = static_cast<size_t>(std::max_element(c.begin(), c.end()) - c.begin());
        const size_t least = static_cast<size_t>(std::min_element(c.begin(), c.end()) - c.begin());
        balance += " (" + eda.sets[0].set_name + ": digit " + std::to_string(most) + " has " + with_thousands(c[most]) +
                   " images, digit " + std::to_string(least) + " " + with_thousands(c[least]) + ")";
    }
    out.push_back(balance + ".");

    char text[320];
    const double n = eda.pixel_count ? static_cast<double>(eda.pixel_count) : 1;
    const size_t common = most_common_nonzero(eda.pixel_histogram);
    std::string other = "no pixel has any other value";  // blank images: there is no "most common other"
    if (common > 0)
        other = "the most common other value is " + std::to_string(common) + " (" +
                percent(static_cast<double>(eda.pixel_histogram[common]) / n, 1) + " of pixels)";
    std::snprintf(text, sizeof text,
                  "Pixels: %s of the %s training-file pixels are 0 (background); %s. On the 0-1 scale of Eq. (1) "
                  "their mean is %.4f and their standard deviation %.4f.",
                  percent(eda.zero_share, 1).c_str(), with_thousands(eda.pixel_count).c_str(), other.c_str(),
                  eda.mean_pixel, eda.std_pixel);
    out.push_back(text);

    // Ink per digit: the mean of each mean image, among classes that have images.
    bool any = false;
    double least_ink = 0, most_ink = 0;
    size_t least = 0, most = 0;
    for (size_t c = 0; c < eda.mean_images.size(); ++c) {
        if (eda.file_counts[c] == 0 || eda.mean_images[c].empty()) continue;
        double total = 0;
        for (const double v : eda.mean_images[c]) total += v;
        const double ink = total / static_cast<double>(eda.mean_images[c].size()) / 255;
        if (!any || ink < least_ink) {
            least_ink = ink;
            least = c;
        }
        if (!any || ink > most_ink) {
            most_ink = ink;
            most = c;
        }
        any = true;
    }
    if (any) {
        std::snprintf(text, sizeof text, "Ink: digit %zu uses the least (mean pixel %.3f), digit %zu the most (%.3f).",
                      least, least_ink, most, most_ink);
        out.push_back(text);
    }
    return out;
}

std::vector<Figure> eda_figures(const EdaSummary& eda, const ImageSet& train) {
    std::vector<Figure> figures;
    const std::vector<std::string> digits = class_labels(eda.classes);
    const size_t scale = tile_scale(eda.rows, eda.cols, 84);

    // 1. Class distribution, as shares so that sets of different sizes compare.
    BarChart bars;
    bars.title = "Images of each digit, as a share of each set";
    bars.x_label = "digit";
    bars.y_label = "share of the set (%)";
    bars.categories = digits;
    bars.value_suffix = "%";
    std::string counts_text;
    for (const ClassCounts& set : eda.sets) {
        BarSeries series;
        series.name = set.set_name + " (" + with_thousands(set.total) + ")";
        for (const uint64_t n : set.counts)
            series.values.push_back(set.total ? 100.0 * static_cast<double>(n) / static_cast<double>(set.total) : 0);
        bars.series.push_back(series);
        counts_text += (counts_text.empty() ? "" : "; ") + set.set_name + " " + ratio_text(max_min_ratio(set));
    }
    figures.push_back({"class_distribution", "Class distribution", "Each bar is one digit's share of its set. "
                       "Largest over smallest class: " + counts_text + ".", svg_bar_chart(bars), {}});

    // 2. Samples: the first few training-file images of each digit, one column per digit.
    size_t sample_rows = 0;
    for (const auto& s : eda.samples) sample_rows = std::max(sample_rows, s.size());
    if (sample_rows > 0 && eda.classes > 0) {
        TileLayout layout;
        layout.tile_width = eda.cols;
        layout.tile_height = eda.rows;
        layout.rows = sample_rows;
        layout.cols = eda.classes;
        layout.scale = scale;
        TileImage grid = make_tile_image(layout, 1, 200);
        std::vector<uint8_t> tile(eda.rows * eda.cols);
        for (size_t c = 0; c < eda.classes; ++c)
            for (size_t r = 0; r < eda.samples[c].size(); ++r) {
                const uint8_t* image = train.pixels.data() + size_t{eda.samples[c][r]} * tile.size();
                for (size_t p = 0; p < tile.size(); ++p) tile[p] = paper(image[p]);
                put_tile(grid, r, c, tile.data());
            }
        ImageGridChart chart;
        chart.title = "Samples: the first " + std::to_string(sample_rows) + " training images of each digit";
        chart.layout = layout;
        chart.png = encode_png(grid.pixels.data(), layout.image_width(), layout.image_height(), 1);
        chart.column_labels = digits;
        chart.column_title = "digit (label in the file)";
        chart.note = size_text(eda.cols, eda.rows) + " pixels each, shown " +
                     std::to_string(scale) + "x, ink dark on white";
        figures.push_back({"samples", "Sample images", "The first " + std::to_string(sample_rows) +
                           " images of each digit in the training file, as stored (no cherry-picking).",
                           svg_image_grid(chart), chart.png});
    }

    // 3. The mean image of each digit.
    if (eda.classes > 0) {
        TileLayout layout;
        layout.tile_width = eda.cols;
        layout.tile_height = eda.rows;
        layout.rows = 1;
        layout.cols = eda.classes;
        layout.scale = scale;
        TileImage grid = make_tile_image(layout, 1, 200);
        std::vector<uint8_t> tile(eda.rows * eda.cols);
        for (size_t c = 0; c < eda.classes; ++c) {
            for (size_t p = 0; p < tile.size(); ++p) tile[p] = paper(eda.mean_images[c][p]);
            put_tile(grid, 0, c, tile.data());
        }
        ImageGridChart chart;
        chart.title = "Mean image of each digit (training file)";
        chart.layout = layout;
        chart.png = encode_png(grid.pixels.data(), layout.image_width(), layout.image_height(), 1);
        chart.column_labels = digits;
        chart.column_title = "digit";
        chart.note = "pixel-wise mean over every training image of the digit; darker: ink more often";
        figures.push_back({"mean_images", "Mean images", "Each digit's average image: sharp strokes where the "
                           "digit is always written alike, blur where writers differ.", svg_image_grid(chart),
                           chart.png});
    }

    // 4. The pixel histogram, on a log scale: background zeros outnumber every other value by far.
    const size_t common = most_common_nonzero(eda.pixel_histogram);
    Histogram histogram;
    histogram.title = "Pixel values in the training file (log scale)";
    histogram.x_label = "pixel value (0 background, 255 full ink)";
    histogram.y_label = "pixels (log scale)";
    histogram.counts = eda.pixel_histogram;
    figures.push_back({"pixel_histogram", "Pixel histogram",
                       percent(eda.zero_share, 1) + " of pixels are 0 (background); " +
                           (common > 0 ? "after 0 the most common value is " + std::to_string(common)
                                       : std::string("no pixel has another value")) +
                           ". The count axis is logarithmic, so that the other values show at all.",
                       svg_histogram(histogram), {}});
    return figures;
}

}  // namespace mnist
