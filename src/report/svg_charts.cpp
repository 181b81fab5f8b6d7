// Each chart is drawn in the same order: the frame (title, axis titles), the grid lines and tick labels,
// the data, then the axis lines on top. Coordinates are SVG pixels: x grows rightwards, y downwards.
#include "report/svg_charts.h"

#include <algorithm>
#include <cmath>

#include "report/colour_map.h"
#include "report/svg.h"
#include "util/base64.h"
#include "util/parse.h"

namespace mnist {
namespace {

constexpr double kTitleSize = 16, kLabelSize = 13, kTickSize = 11;
const char* const kAxisColour = "#333333";
const char* const kGridColour = "#e4e4e4";
const char* const kSeriesColours[] = {"#2f6db3", "#e07b2b", "#3a9a55", "#8e5bb5", "#b8434b", "#17a2b8", "#6b6b6b", "#b5a21b"};

std::string series_colour(size_t i) { return kSeriesColours[i % (sizeof kSeriesColours / sizeof kSeriesColours[0])]; }

// The rectangle the data is drawn in.
struct Area {
    double left = 0, top = 0, width = 0, height = 0;
    double right() const { return left + width; }
    double bottom() const { return top + height; }
};

// Values [v0, v1] to pixels [p0, p1]; for a y axis p0 is the bottom, since SVG's y grows downwards. On a
// log scale the map is linear in log10(value).
struct Scale {
    double v0 = 0, v1 = 1, p0 = 0, p1 = 1;
    bool log = false;
    double operator()(double v) const {
        const double t = log ? (std::log10(v) - std::log10(v0)) / (std::log10(v1) - std::log10(v0)) : (v - v0) / (v1 - v0);
        return p0 + t * (p1 - p0);
    }
};

std::string rotated(double x, double y) {
    return "transform=\"rotate(-90 " + svg_number(x) + " " + svg_number(y) + ")\"";
}

// The title, the axis titles, and the plot area of a chart `width` x `height` with room for tick labels
// and, under the title, a legend.
Area frame(std::string& out, double width, double height, const std::string& title, const std::string& x_label,
           const std::string& y_label) {
    out += svg_text(width / 2, 24, title, "middle", kTitleSize, "font-weight=\"bold\" class=\"title\"");
    Area a;
    a.left = 76;
    a.top = 62;
    a.width = width - a.left - 28;
    a.height = height - a.top - 56;
    out += svg_text(a.left + a.width / 2, height - 12, x_label, "middle", kLabelSize, "class=\"x-label\"");
    const double x = 18, y = a.top + a.height / 2;
    out += svg_text(x, y, y_label, "middle", kLabelSize, "class=\"y-label\" " + rotated(x, y));
    return a;
}

// Horizontal grid lines and labelled ticks at `ticks` on the left edge.
void y_ticks(std::string& out, const Area& a, const Scale& y, const std::vector<double>& ticks,
             const std::vector<std::string>& labels) {
    for (size_t i = 0; i < ticks.size(); ++i) {
        const double py = y(ticks[i]);
        out += svg_line(a.left, py, a.right(), py, kGridColour, 1, "class=\"grid\"");
        out += svg_line(a.left - 5, py, a.left, py, kAxisColour, 1, "class=\"tick\"");
        out += svg_text(a.left - 8, py + 4, labels[i], "end", kTickSize, "class=\"tick-label\"");
    }
}

// Labelled ticks on the bottom edge at pixel positions xs. A label that would run into the one before
// it is left out (its tick stays), so crowded axes thin themselves.
void x_ticks(std::string& out, const Area& a, const std::vector<double>& xs, const std::vector<std::string>& labels,
             bool tick_marks) {
    double last_end = -1e9;
    for (size_t i = 0; i < xs.size(); ++i) {
        if (tick_marks) out += svg_line(xs[i], a.bottom(), xs[i], a.bottom() + 5, kAxisColour, 1, "class=\"tick\"");
        const double half = text_width(labels[i], kTickSize) / 2;
        if (xs[i] - half < last_end + 6) continue;
        out += svg_text(xs[i], a.bottom() + 18, labels[i], "middle", kTickSize, "class=\"tick-label\"");
        last_end = xs[i] + half;
    }
}

void axis_lines(std::string& out, const Area& a) {
    out += svg_line(a.left, a.top, a.left, a.bottom(), kAxisColour, 1, "class=\"axis\"");
    out += svg_line(a.left, a.bottom(), a.right(), a.bottom(), kAxisColour, 1, "class=\"axis\"");
}

// A row of legend entries under the title: a colour key and the series' name. With marker_label, a last
// entry keys the marked point (a circle, as drawn on the chart).
void legend(std::string& out, const Area& a, const std::vector<std::string>& names, bool line_keys,
            const std::string& marker_label = "") {
    double x = a.left;
    const double y = 46;
    for (size_t i = 0; i < names.size(); ++i) {
        if (line_keys) out += svg_line(x, y - 4, x + 20, y - 4, series_colour(i), 2.5, "class=\"legend-key\"");
        else out += svg_rect(x, y - 10, 12, 12, series_colour(i), "class=\"legend-key\"");
        const double text_x = x + (line_keys ? 26 : 17);
        out += svg_text(text_x, y, names[i], "start", 12, "class=\"legend\"");
        x = text_x + text_width(names[i], 12) + 20;
    }
    if (!marker_label.empty()) {
        out += svg_circle(x + 6, y - 4, 5, "none", "stroke=\"#111111\" stroke-width=\"2\" class=\"legend-key\"");
        out += svg_text(x + 17, y, marker_label, "start", 12, "class=\"legend marker-label\"");
    }
}

std::vector<std::string> labels_for(const std::vector<double>& ticks) {
    const double step = ticks.size() > 1 ? ticks[1] - ticks[0] : 1;
    std::vector<std::string> labels;
    for (const double t : ticks) labels.push_back(tick_label(t, step));
    return labels;
}

// A value for a tooltip or a cell; "n/a" for one that is not a finite number.
std::string format_value(double value, const std::string& suffix) {
    if (!std::isfinite(value)) return "n/a";
    return number_text(value, 4) + suffix;
}

}  // namespace

std::string svg_bar_chart(const BarChart& c) {
    std::string out = svg_open(c.width, c.height, c.title);
    const Area a = frame(out, c.width, c.height, c.title, c.x_label, c.y_label);
    double top = c.y_max;
    if (top <= 0)
        for (const BarSeries& s : c.series)
            for (const double v : s.values)
                if (std::isfinite(v)) top = std::max(top, v);  // a value that is not a number gets no bar
    if (top <= c.y_min) top = c.y_min + 1;
    // Round ticks, but the axis starts exactly at y_min: ticks below it are dropped, and y_min itself is
    // a tick (the bars' base must be labelled).
    std::vector<double> ticks;
    for (const double t : nice_ticks(c.y_min, top, 5))
        if (t >= c.y_min - 1e-9 * (std::fabs(c.y_min) + 1)) ticks.push_back(t);
    if (ticks.empty() || ticks.front() > c.y_min + 1e-9 * (std::fabs(c.y_min) + 1)) {
        const double step = ticks.size() > 1 ? ticks[1] - ticks[0] : 0;
        if (ticks.size() > 1 && ticks.front() - c.y_min < step / 2) ticks.erase(ticks.begin());  // labels too close
        ticks.insert(ticks.begin(), c.y_min);
    }
    const Scale y{ticks.front(), ticks.back(), a.bottom(), a.top};
    y_ticks(out, a, y, ticks, labels_for(ticks));

    const size_t n = c.categories.size(), m = std::max<size_t>(c.series.size(), 1);
    const double group = n ? a.width / static_cast<double>(n) : a.width;
    const double bar = group * 0.8 / static_cast<double>(m);
    std::vector<double> centres;
    for (size_t i = 0; i < n; ++i) {
        const double group_left = a.left + group * static_cast<double>(i);
        centres.push_back(group_left + group / 2);
        for (size_t j = 0; j < c.series.size(); ++j) {
            const BarSeries& s = c.series[j];
            const double v = i < s.values.size() ? s.values[i] : 0;
            const double shown = std::isfinite(v) ? std::min(std::max(v, ticks.front()), ticks.back()) : ticks.front();
            const double x = group_left + group * 0.1 + bar * static_cast<double>(j);
            out += svg_rect(x, y(shown), bar, y(ticks.front()) - y(shown), series_colour(j), "class=\"bar\"",
                            (s.name.empty() ? "" : s.name + ", ") + c.categories[i] + ": " +
                                format_value(v, c.value_suffix));
        }
    }
    x_ticks(out, a, centres, c.categories, false);
    std::vector<std::string> names;
    for (const BarSeries& s : c.series)
        if (!s.name.empty()) names.push_back(s.name);
    if (names.size() == c.series.size() && !names.empty()) legend(out, a, names, false);
    axis_lines(out, a);
    return out + svg_close();
}

std::string svg_line_chart(const LineChart& c) {
    std::string out = svg_open(c.width, c.height, c.title);
    const Area a = frame(out, c.width, c.height, c.title, c.x_label, c.y_label);
    // The ranges of the data (and the marked point).
    double x_low = INFINITY, x_high = -INFINITY, y_low = INFINITY, y_high = -INFINITY;
    const auto include = [&](double x, double y) {
        x_low = std::min(x_low, x);
        x_high = std::max(x_high, x);
        y_low = std::min(y_low, y);
        y_high = std::max(y_high, y);
    };
    // Points that are not finite (a loss that diverged, or a damaged history) are left out: the axes span
    // the finite ones, and the line breaks where a point is missing.
    const auto finite = [](double x, double y) { return std::isfinite(x) && std::isfinite(y); };
    for (const LineSeries& s : c.series)
        for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i)
            if (finite(s.x[i], s.y[i])) include(s.x[i], s.y[i]);
    const bool marker = c.has_marker && finite(c.marker_x, c.marker_y);
    if (marker) include(c.marker_x, c.marker_y);
    if (!(x_low <= x_high)) {  // no data at all: an empty unit square
        include(0, 0);
        include(1, 1);
    }

    std::vector<double> xt = nice_ticks(x_low, x_high, 8);
    if (c.integer_x && (xt.size() < 2 || xt[1] - xt[0] < 1) && std::fabs(x_low) < 1e9 && std::fabs(x_high) < 1e9) {
        // whole numbers only, one apart (a narrow range of small numbers: a few epochs)
        xt.clear();
        const double first = std::floor(x_low) - (x_low == x_high ? 1 : 0), last = std::ceil(x_high) + (x_low == x_high ? 1 : 0);
        for (double v = first; v <= last; ++v) xt.push_back(v);
    }
    const std::vector<double> yt = nice_ticks(y_low, y_high, 6);
    const Scale x{xt.front(), xt.back(), a.left, a.right()};
    const Scale y{yt.front(), yt.back(), a.bottom(), a.top};
    y_ticks(out, a, y, yt, labels_for(yt));
    std::vector<double> xs;
    for (const double t : xt) xs.push_back(x(t));
    x_ticks(out, a, xs, labels_for(xt), true);

    std::vector<std::string> names;
    for (size_t j = 0; j < c.series.size(); ++j) {
        const LineSeries& s = c.series[j];
        names.push_back(s.name);
        std::vector<std::pair<double, double>> points, run;  // all finite points; the current unbroken run
        std::vector<size_t> index;                             // each point's place in the series
        const size_t n = std::min(s.x.size(), s.y.size());
        for (size_t i = 0; i <= n; ++i) {
            if (i < n && finite(s.x[i], s.y[i])) {
                run.push_back({x(s.x[i]), y(s.y[i])});
                points.push_back(run.back());
                index.push_back(i);
                continue;
            }
            if (!run.empty()) out += svg_polyline(run, series_colour(j), 2, "class=\"series\"");
            run.clear();
        }
        if (points.size() <= 60)
            for (size_t k = 0; k < points.size(); ++k)
                out += svg_circle(points[k].first, points[k].second, 2.5, series_colour(j), "class=\"point\"",
                                  s.name + ": " + format_value(s.x[index[k]], "") + ", " + format_value(s.y[index[k]], ""));
    }
    // The marked point: a circle on it and a dashed line down to the x axis; its label goes in the legend,
    // where it cannot cover the data.
    if (marker) {
        const double mx = x(c.marker_x), my = y(c.marker_y);
        out += svg_line(mx, a.top, mx, a.bottom(), "#666666", 1, "stroke-dasharray=\"4 3\" class=\"marker-line\"");
        out += svg_circle(mx, my, 6, "none", "stroke=\"#111111\" stroke-width=\"2\" class=\"marker\"", c.marker_label);
    }
    legend(out, a, names, true, marker ? c.marker_label : "");
    axis_lines(out, a);
    return out + svg_close();
}

std::string svg_histogram(const Histogram& c) {
    std::string out = svg_open(c.width, c.height, c.title);
    const Area a = frame(out, c.width, c.height, c.title, c.x_label, c.y_label);
    const double x0 = c.x_min, x1 = c.x_min + c.bin_width * static_cast<double>(c.counts.size());
    uint64_t largest = 0, smallest = 0;  // smallest non-zero count
    for (const uint64_t n : c.counts) {
        largest = std::max(largest, n);
        if (n > 0 && (smallest == 0 || n < smallest)) smallest = n;
    }

    Scale y;
    std::vector<double> yt;
    std::vector<std::string> labels;
    if (c.log_y) {
        // From the power of ten below the smallest count (one lower if the count is that power, so its bar
        // is not flat) to the power of ten at or above the largest; a tick at each power.
        double low = smallest ? std::pow(10.0, std::floor(std::log10(static_cast<double>(smallest)))) : 1;
        if (smallest && static_cast<double>(smallest) <= low) low /= 10;
        double high = largest ? std::pow(10.0, std::ceil(std::log10(static_cast<double>(largest)))) : 10;
        if (high <= low) high = low * 10;
        const int decades = static_cast<int>(std::lround(std::log10(high / low)));
        const int every = decades > 8 ? 2 : 1;
        for (int k = 0; k <= decades; k += every) yt.push_back(low * std::pow(10.0, k));
        for (const double t : yt) labels.push_back(t < 1 ? format_value(t, "") : compact_count(t));
        y = Scale{low, high, a.bottom(), a.top, true};
    } else {
        yt = nice_ticks(0, static_cast<double>(std::max<uint64_t>(largest, 1)), 5);
        labels = labels_for(yt);
        y = Scale{yt.front(), yt.back(), a.bottom(), a.top};
    }
    y_ticks(out, a, y, yt, labels);

    const Scale x{x0, x1, a.left, a.right()};
    for (size_t i = 0; i < c.counts.size(); ++i) {
        if (c.counts[i] == 0) continue;
        const double left = x(x0 + c.bin_width * static_cast<double>(i));
        const double right = x(x0 + c.bin_width * static_cast<double>(i + 1));
        const double top = y(static_cast<double>(c.counts[i]));
        out += svg_rect(left, top, std::max(right - left, 0.5), a.bottom() - top, series_colour(0), "class=\"bin\"",
                        format_value(x0 + c.bin_width * static_cast<double>(i), "") + ": " +
                            std::to_string(c.counts[i]));
    }
    std::vector<double> xs, inside;
    for (const double t : nice_ticks(x0, x1, 8))
        if (t >= x0 - 1e-9 && t <= x1 + 1e-9) {
            inside.push_back(t);
            xs.push_back(x(t));
        }
    x_ticks(out, a, xs, labels_for(inside), true);
    axis_lines(out, a);
    return out + svg_close();
}

std::string svg_heat_map(const HeatMap& c) {
    std::string out = svg_open(c.width, c.height, c.title);
    out += svg_text(c.width / 2, 24, c.title, "middle", kTitleSize, "font-weight=\"bold\" class=\"title\"");
    // Square cells as large as fit beside the colour scale (110 px) and above the column labels.
    const double left = 76, top = 48, scale_room = 110;
    const double rows = static_cast<double>(std::max<size_t>(c.rows, 1)), cols = static_cast<double>(std::max<size_t>(c.cols, 1));
    const double cell = std::max(1.0, std::min((c.width - left - scale_room - 12) / cols, (c.height - top - 56) / rows));
    const Area a{left, top, cell * cols, cell * rows};

    double largest = 0;
    for (const double v : c.values)
        if (std::isfinite(v)) largest = std::max(largest, v);
    // Where a value sits on the colour scale, 0 to 1 (0 for a value that is not a finite number).
    const auto position = [&](double v) {
        if (largest <= 0 || !std::isfinite(v)) return 0.0;
        return c.log_colour ? std::log10(1 + std::max(v, 0.0)) / std::log10(1 + largest) : std::max(v, 0.0) / largest;
    };
    const double font = std::min(12.0, cell * 0.36);
    for (size_t r = 0; r < c.rows; ++r)
        for (size_t k = 0; k < c.cols; ++k) {
            const double v = c.values[r * c.cols + k];
            const Rgb colour = sequential_colour(position(v));
            const double x = a.left + cell * static_cast<double>(k), y = a.top + cell * static_cast<double>(r);
            const std::string row = r < c.row_labels.size() ? c.row_labels[r] : std::to_string(r);
            const std::string col = k < c.col_labels.size() ? c.col_labels[k] : std::to_string(k);
            out += svg_rect(x, y, cell, cell, hex_colour(colour), "stroke=\"#ffffff\" stroke-width=\"1\" class=\"cell\"",
                            c.y_label + " " + row + ", " + c.x_label + " " + col + ": " + format_value(v, ""));
            if (c.show_values && cell >= 16)
                out += svg_text(x + cell / 2, y + cell / 2 + font * 0.35, format_value(v, ""), "middle", font,
                                std::string("fill=\"") + (is_dark(colour) ? "#ffffff" : v == 0 ? "#aaaaaa" : "#111111") +
                                    "\" class=\"value\"");
        }
    // Row labels on the left, column labels underneath, the axis titles beyond them.
    for (size_t r = 0; r < c.rows && r < c.row_labels.size(); ++r)
        out += svg_text(a.left - 8, a.top + cell * (static_cast<double>(r) + 0.5) + 4, c.row_labels[r], "end", kTickSize,
                        "class=\"tick-label\"");
    std::vector<double> xs;
    for (size_t k = 0; k < c.cols && k < c.col_labels.size(); ++k) xs.push_back(a.left + cell * (static_cast<double>(k) + 0.5));
    x_ticks(out, a, xs, std::vector<std::string>(c.col_labels.begin(), c.col_labels.begin() + static_cast<long>(xs.size())), false);
    out += svg_text(a.left + a.width / 2, a.bottom() + 40, c.x_label, "middle", kLabelSize, "class=\"x-label\"");
    const double ly = a.top + a.height / 2;
    out += svg_text(18, ly, c.y_label, "middle", kLabelSize, "class=\"y-label\" " + rotated(18, ly));
    axis_lines(out, a);

    // The colour scale: a column of thin bands from 0 (bottom) to the largest value (top), with ticks at
    // round values (powers of ten on a log scale).
    const double bx = a.right() + 22, bw = 14;
    const int bands = 64;
    for (int i = 0; i < bands; ++i) {
        const double t0 = static_cast<double>(i) / bands, t1 = static_cast<double>(i + 1) / bands;
        out += svg_rect(bx, a.bottom() - a.height * t1, bw, a.height * (t1 - t0) + 0.5,
                        hex_colour(sequential_colour((t0 + t1) / 2)), "class=\"scale-band\"");
    }
    std::vector<double> ticks;
    if (c.log_colour) {
        ticks.push_back(0);
        for (double p = 1; p <= largest; p *= 10) ticks.push_back(p);
    } else {
        for (const double t : nice_ticks(0, std::max(largest, 1e-12), 4))
            if (t <= largest + 1e-12) ticks.push_back(t);
    }
    std::vector<std::string> labels = labels_for(ticks);
    if (c.log_colour) labels.clear();
    for (const double t : ticks)
        if (c.log_colour) labels.push_back(compact_count(t));
    // The largest value closes the scale, unless a round tick already sits near the top.
    if (largest > 0 && !ticks.empty() && a.height * (1 - position(ticks.back())) > 14) {
        ticks.push_back(largest);
        labels.push_back(c.log_colour ? compact_count(largest) : format_value(largest, ""));
    }
    for (size_t i = 0; i < ticks.size(); ++i) {
        const double ty = a.bottom() - a.height * position(ticks[i]);
        out += svg_line(bx + bw, ty, bx + bw + 4, ty, kAxisColour, 1, "class=\"tick\"");
        out += svg_text(bx + bw + 7, ty + 4, labels[i], "start", kTickSize, "class=\"tick-label\"");
    }
    out += svg_rect(bx, a.top, bw, a.height, "none", "stroke=\"#999999\" stroke-width=\"1\" class=\"scale-frame\"");
    const double sx = bx + bw + 56;
    out += svg_text(sx, ly, c.scale_label, "middle", kLabelSize, "class=\"scale-label\" " + rotated(sx, ly));
    return out + svg_close();
}

std::string svg_image_grid(const ImageGridChart& c) {
    const TileLayout& l = c.layout;
    double row_label_width = 0;
    for (const std::string& label : c.row_labels) row_label_width = std::max(row_label_width, text_width(label, 12));
    const double left = 12 + (c.row_title.empty() ? 0 : 20) + (c.row_labels.empty() ? 0 : row_label_width + 8);
    const double top = 40 + (c.column_title.empty() ? 0 : 18) + (c.column_labels.empty() ? 0 : 16);
    const double image_w = static_cast<double>(l.image_width()), image_h = static_cast<double>(l.image_height());
    const double width = std::max(left + image_w + 12, text_width(c.title, kTitleSize) + 24);
    const double height = top + image_h + (c.note.empty() ? 10 : 28);
    const double tile_w = static_cast<double>(l.tile_width * l.scale), tile_h = static_cast<double>(l.tile_height * l.scale);

    std::string out = svg_open(width, height, c.title);
    out += svg_text(width / 2, 24, c.title, "middle", kTitleSize, "font-weight=\"bold\" class=\"title\"");
    if (!c.column_title.empty())
        out += svg_text(left + image_w / 2, 40 + 12, c.column_title, "middle", 12, "class=\"x-label\"");
    for (size_t k = 0; k < l.cols && k < c.column_labels.size(); ++k)
        out += svg_text(left + static_cast<double>(l.tile_x(k)) + tile_w / 2, top - 4, c.column_labels[k], "middle", 12,
                        "font-weight=\"bold\" class=\"column-label\"");
    if (!c.row_title.empty()) {
        const double y = top + image_h / 2;
        out += svg_text(16, y, c.row_title, "middle", 12, "class=\"y-label\" " + rotated(16, y));
    }
    for (size_t r = 0; r < l.rows && r < c.row_labels.size(); ++r)
        out += svg_text(left - 6, top + static_cast<double>(l.tile_y(r)) + tile_h / 2 + 4, c.row_labels[r], "end", 12,
                        "class=\"row-label\"");
    out += "<image x=\"" + svg_number(left) + "\" y=\"" + svg_number(top) + "\" width=\"" + svg_number(image_w) +
           "\" height=\"" + svg_number(image_h) + "\" style=\"image-rendering:pixelated\" class=\"grid-image\" " +
           "xlink:href=\"data:image/png;base64," + base64_encode(c.png) + "\"/>\n";
    for (size_t r = 0; r < l.rows; ++r)
        for (size_t k = 0; k < l.cols; ++k) {
            const size_t cell = r * l.cols + k;
            if (cell >= c.captions.size()) continue;
            const double cx = left + static_cast<double>(l.tile_x(k)) + tile_w / 2;
            double cy = top + static_cast<double>(l.tile_y(r)) + tile_h + 13;
            for (const std::string& line : c.captions[cell]) {
                out += svg_text(cx, cy, line, "middle", 11, "class=\"caption\"");
                cy += 13;
            }
        }
    if (!c.note.empty()) out += svg_text(left, height - 10, c.note, "start", 12, "class=\"note\"");
    return out + svg_close();
}

}  // namespace mnist
