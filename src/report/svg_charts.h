// The charts of the report as SVG text: a bar chart (one or more series side by side), a line chart
// (series over x, one point marked), a histogram (optionally with a logarithmic count axis), a heat map
// with its colour scale, and a grid of image tiles with labels. Plain structs in, a complete standalone
// SVG document out; every chart has a title, axes with ticks and labels. Not a plotting library: only
// what our figures need. See docs/10-figures.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "report/image_grid.h"

namespace mnist {

// Bars: one group per category, one bar per series in each group, one colour per series.
struct BarSeries {
    std::string name;            // shown in the legend
    std::vector<double> values;  // one per category
};
struct BarChart {
    std::string title, x_label, y_label;
    std::vector<std::string> categories;
    std::vector<BarSeries> series;
    double y_min = 0;     // where the value axis starts, exactly; bars grow up from it
    double y_max = 0;     // where it ends; 0: the largest value, rounded up to a tick
    std::string value_suffix;  // appended to values in tooltips, e.g. "%"
    double width = 720, height = 400;
};
std::string svg_bar_chart(const BarChart& chart);

// Lines through (x[i], y[i]), with a dot at each point when there are few; one point may be marked with a
// circle and a dashed vertical line, its label shown in the legend (e.g. the best epoch).
struct LineSeries {
    std::string name;
    std::vector<double> x, y;  // same length
};
struct LineChart {
    std::string title, x_label, y_label;
    std::vector<LineSeries> series;
    bool integer_x = false;     // x ticks at whole numbers only (epochs)
    bool has_marker = false;
    double marker_x = 0, marker_y = 0;
    std::string marker_label;
    double width = 720, height = 400;
};
std::string svg_line_chart(const LineChart& chart);

// Counts of values in equal-width bins: bin i covers [x_min + i * bin_width, x_min + (i + 1) * bin_width).
// With log_y the count axis is logarithmic (powers of ten), so that a bin holding most of the values
// and bins holding a thousandth of them are both visible; empty bins then have no bar.
struct Histogram {
    std::string title, x_label, y_label;
    double x_min = 0, bin_width = 1;
    std::vector<uint64_t> counts;
    bool log_y = true;
    double width = 720, height = 400;
};
std::string svg_histogram(const Histogram& chart);

// A matrix of values as coloured squares, with the colour scale beside it. With log_colour, colour follows
// log(1 + value), so that a few large values (a confusion matrix's diagonal) do not wash out the rest.
struct HeatMap {
    std::string title, x_label, y_label, scale_label;
    size_t rows = 0, cols = 0;
    std::vector<double> values;  // [rows x cols], row by row; values >= 0
    std::vector<std::string> row_labels, col_labels;
    bool log_colour = false;
    bool show_values = true;  // each cell's value written in it (when the cells are big enough)
    double width = 720, height = 560;
};
std::string svg_heat_map(const HeatMap& chart);

// A grid image (report/image_grid.h) encoded as PNG, shown at its own size inside an SVG as a data: URL,
// with labels drawn around and under its tiles.
struct ImageGridChart {
    std::string title;
    TileLayout layout;                                // how the PNG was laid out
    std::vector<uint8_t> png;                         // encode_png of that grid image
    std::vector<std::string> column_labels;           // above each column; empty: none
    std::string column_title, row_title;              // e.g. "digit"; may be empty
    std::vector<std::string> row_labels;              // left of each row; empty: none
    std::vector<std::vector<std::string>> captions;   // [row * cols + col]: lines in the space under a tile
    std::string note;                                 // a line under the grid; may be empty
};
std::string svg_image_grid(const ImageGridChart& chart);

}  // namespace mnist
