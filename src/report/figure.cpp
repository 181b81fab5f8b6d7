// Writing figures.
#include "report/figure.h"

#include <algorithm>

#include "util/output_file.h"

namespace mnist {

void write_figures(const std::string& dir, const std::vector<Figure>& figures) {
    make_directories(dir);
    for (const Figure& figure : figures) {
        write_file_atomic(dir + "/" + figure.name + ".svg", figure.svg);
        if (!figure.png.empty()) write_file_atomic(dir + "/" + figure.name + ".png", figure.png);
    }
}

std::vector<std::string> class_labels(size_t classes) {
    std::vector<std::string> labels;
    for (size_t c = 0; c < classes; ++c) labels.push_back(std::to_string(c));
    return labels;
}

size_t tile_scale(size_t rows, size_t cols, size_t target) {
    const size_t longer = std::max<size_t>(std::max(rows, cols), 1);
    return std::max<size_t>(target / longer, 1);
}

}  // namespace mnist
