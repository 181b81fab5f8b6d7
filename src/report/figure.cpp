// Writing figures.
#include "report/figure.h"

#include <algorithm>


namespace mnist {

void add_figure_files(std::vector<OutputFile>& files, const std::string& dir, const std::vector<Figure>& figures) {
    for (const Figure& figure : figures) {
        files.push_back(output_file(dir + "/" + figure.name + ".svg", figure.svg));
        if (!figure.png.empty()) files.push_back({dir + "/" + figure.name + ".png", figure.png});
    }
}

void write_figures(const std::string& dir, const std::vector<Figure>& figures) {
    std::vector<OutputFile> files;
    add_figure_files(files, dir, figures);
    make_directories(dir);
    write_files_atomic(files);
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
