// One figure of a run's report as it is written to out/figures/ and embedded in report.html: an SVG
// document (a chart; or an image grid with its labels, the pixels inside it as a PNG data: URL) and, for
// image grids, the bare PNG beside it. Not the drawing itself (svg_charts.h, image_grid.h) nor the
// page (html_report.h). See docs/10-figures.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "util/output_file.h"

namespace mnist {

struct Figure {
    std::string name;          // file name without its extension: <dir>/<name>.svg (and <name>.png)
    std::string title;         // the heading above it in the report
    std::string caption;       // what it shows, with the run's own numbers
    std::string svg;           // the complete figure, self-contained
    std::vector<uint8_t> png;  // image grids only: the pixels without labels; empty for charts
};

// Adds <dir>/<name>.svg for each figure, and <dir>/<name>.png for those with pixels, to `files`, to be
// written with the rest of a run's files (util/output_file.h's write_files_atomic).
void add_figure_files(std::vector<OutputFile>& files, const std::string& dir, const std::vector<Figure>& figures);

// The same files written at once with write_files_atomic. Throws SystemError naming the file that could
// not be written.
void write_figures(const std::string& dir, const std::vector<Figure>& figures);

// The names of classes 0 .. classes-1 on axes and in legends: "0", "1", ... (digits here, but nothing
// assumes there are ten).
std::vector<std::string> class_labels(size_t classes);

// An image's display size for figures: the whole factor that makes a tile of rows x cols about `target`
// pixels on its longer side (at least 1: larger images are shown as they are).
size_t tile_scale(size_t rows, size_t cols, size_t target);

}  // namespace mnist
