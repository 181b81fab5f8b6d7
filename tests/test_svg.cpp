// Tests for the chart writers: report/svg (escaping, numbers, ticks), report/svg_charts (each chart is
// well-formed XML with a title, axes, one rect per bar, one polyline per series, one cell per matrix entry,
// and its shapes sit where the values say), report/colour_map and report/image_grid. Not the PNG encoder
// (tests/test_png_writer.cpp) nor which figures a run draws (tests/test_report.cpp). See docs/10-figures.md.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

#include "check.h"
#include "report/colour_map.h"
#include "report/image_grid.h"
#include "report/png_writer.h"
#include "report/svg.h"
#include "report/svg_charts.h"
#include "xml_check.h"

using namespace mnist;

namespace {

double number(const xml_check::Element& e, const std::string& key) { return std::atof(e.attribute(key).c_str()); }

// Parses an SVG and checks what every chart must have: the root, a <title> holding the chart's title, a
// visible title, and two axis lines.
xml_check::Parsed check_chart(const std::string& svg, const std::string& title) {
    const xml_check::Parsed parsed = xml_check::parse(svg);
    CHECK_MSG(parsed.error.empty(), title + ": " + parsed.error);
    if (parsed.elements.empty()) return parsed;
    CHECK(parsed.elements[0].name == "svg");
    CHECK(parsed.elements[0].attribute("xmlns") == "http://www.w3.org/2000/svg");
    CHECK(xml_check::count(parsed, "title") >= 1);
    CHECK(xml_check::find(parsed, "title").front().text == xml_escape(title));
    CHECK(xml_check::count(parsed, "text", "title") == 1);
    return parsed;
}

// The checker itself must reject what is not well-formed, or every test below could pass vacuously.
void test_checker() {
    CHECK(xml_check::parse("<svg><rect/><g><text>a &amp; b</text></g></svg>").error.empty());
    CHECK(!xml_check::parse("<svg><rect></svg>").error.empty());            // unclosed element
    CHECK(!xml_check::parse("<svg><g></svg></g>").error.empty());            // crossed
    CHECK(!xml_check::parse("<svg a=\"1\" a=\"2\"/>").error.empty());       // attribute twice
    CHECK(!xml_check::parse("<svg><text>a & b</text></svg>").error.empty()); // bare ampersand
    CHECK(!xml_check::parse("<svg x=1/>").error.empty());                    // unquoted value
    CHECK(!xml_check::parse("<svg/><svg/>").error.empty());                  // two roots
    CHECK(!xml_check::parse("").error.empty());
}

void test_primitives() {
    CHECK(xml_escape("a<b & \"c\" 'd'>") == "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;");
    CHECK(svg_number(12.5) == "12.5");
    CHECK(svg_number(3.0) == "3");
    CHECK(svg_number(-0.001) == "0");
    CHECK(svg_number(0.125) == "0.13" || svg_number(0.125) == "0.12");  // rounding of the printf kind
    CHECK(svg_number(-7.25) == "-7.25");

    const std::vector<double> unit = nice_ticks(0, 1, 5);
    CHECK(unit.size() == 6);
    CHECK_NEAR(unit.front(), 0, 1e-12);
    CHECK_NEAR(unit[1], 0.2, 1e-12);
    CHECK_NEAR(unit.back(), 1, 1e-12);
    const std::vector<double> scores = nice_ticks(0.953, 0.987, 4);  // step 0.01, from 0.95 to 0.99
    CHECK_NEAR(scores.front(), 0.95, 1e-9);
    CHECK_NEAR(scores.back(), 0.99, 1e-9);
    CHECK_NEAR(scores[1] - scores[0], 0.01, 1e-12);
    const std::vector<double> top = nice_ticks(0.95, 1, 5);  // 0.05 / 5 is a hair above 0.01: still step 0.01
    CHECK(top.size() == 6);
    CHECK_NEAR(top.front(), 0.95, 1e-9);
    const std::vector<double> epochs = nice_ticks(1, 100, 8);  // step 20: 0 .. 100
    CHECK_NEAR(epochs[1] - epochs[0], 20, 1e-9);
    CHECK(epochs.front() <= 1 && epochs.back() >= 100);
    const std::vector<double> single = nice_ticks(5, 5, 4);  // one value: widened around it
    CHECK(single.front() < 5 && single.back() > 5);

    CHECK(tick_label(0.25, 0.05) == "0.25");
    CHECK(tick_label(0.3, 0.1) == "0.3");
    CHECK(tick_label(30, 10) == "30");
    CHECK(tick_label(-0.0, 0.1) == "0.0");
    CHECK(tick_label(20000, 5000) == "20k");
    CHECK(compact_count(950) == "950");
    CHECK(compact_count(1000) == "1k");
    CHECK(compact_count(1500) == "1.5k");
    CHECK(compact_count(12000) == "12k");
    CHECK(compact_count(3.4e6) == "3.4M");
    CHECK(compact_count(1e8) == "100M");
    CHECK_NEAR(text_width("abcd", 10), 24, 1e-12);
    CHECK_NEAR(text_width("2 \u2192 7", 10), 30, 1e-12);  // the arrow is one character, three bytes
}

void test_bar_chart() {
    BarChart chart;
    chart.title = "Counts <per> class & set";
    chart.x_label = "digit";
    chart.y_label = "share (%)";
    for (int c = 0; c < 10; ++c) chart.categories.push_back(std::to_string(c));
    for (int s = 0; s < 3; ++s) {
        BarSeries series{"set " + std::to_string(s), {}};
        for (int c = 0; c < 10; ++c) series.values.push_back(1 + c + s);
        chart.series.push_back(series);
    }
    const xml_check::Parsed svg = check_chart(svg_bar_chart(chart), chart.title);
    CHECK(xml_check::count(svg, "rect", "bar") == 30);  // one per bar
    CHECK(xml_check::count(svg, "line", "axis") == 2);
    CHECK(xml_check::count(svg, "rect", "legend-key") == 3);
    CHECK(xml_check::count(svg, "text", "x-label") == 1 && xml_check::count(svg, "text", "y-label") == 1);
    CHECK(xml_check::count(svg, "text", "tick-label") >= 10 + 3);  // ten categories, some value ticks
    // Heights follow the values from a zero base: series 0's bars for values 1 and 10 differ tenfold, and
    // all bars stand on the same base line.
    const std::vector<xml_check::Element> bars = xml_check::find(svg, "rect", "bar");
    CHECK_NEAR(number(bars[9 * 3], "height") / number(bars[0], "height"), 10.0, 0.02);
    for (const auto& bar : bars)
        CHECK_NEAR(number(bar, "y") + number(bar, "height"), number(bars[0], "y") + number(bars[0], "height"), 0.02);
    // Bars of one group go left to right by series, and groups by category.
    CHECK(number(bars[0], "x") < number(bars[1], "x") && number(bars[2], "x") < number(bars[3], "x"));
    // Each bar's tooltip names its series, category and value.
    const std::string svg_text_all = svg_bar_chart(chart);
    CHECK(svg_text_all.find("<title>set 1, 1: 3</title>") != std::string::npos);

    // An axis that starts above 0: a value below it gets a zero-height bar, not a negative one.
    BarChart clipped = chart;
    clipped.y_min = 5;
    clipped.y_max = 12;
    const xml_check::Parsed c = check_chart(svg_bar_chart(clipped), clipped.title);
    for (const auto& bar : xml_check::find(c, "rect", "bar")) CHECK(number(bar, "height") >= 0);
    CHECK_NEAR(number(xml_check::find(c, "rect", "bar")[0], "height"), 0, 1e-9);  // value 1 < 5
    // The axis starts exactly at y_min, labelled: the lowest y tick label is "5", at the bars' base.
    double lowest_y = -1;
    std::string lowest_label;
    for (const auto& label : xml_check::find(c, "text", "tick-label"))
        if (number(label, "x") < 76 && number(label, "y") > lowest_y) {
            lowest_y = number(label, "y");
            lowest_label = label.text;
        }
    CHECK(lowest_label == "5");
    const auto base = xml_check::find(c, "rect", "bar")[5];
    CHECK_NEAR(number(base, "y") + number(base, "height"), lowest_y - 4, 0.02);
}

void test_line_chart() {
    LineChart chart;
    chart.title = "Loss per epoch";
    chart.x_label = "epoch";
    chart.y_label = "loss";
    chart.integer_x = true;
    LineSeries a{"train", {}, {}}, b{"validation", {}, {}};
    for (int e = 1; e <= 12; ++e) {
        a.x.push_back(e);
        a.y.push_back(1.0 / e);
        b.x.push_back(e);
        b.y.push_back(0.5 + 0.01 * (e - 6) * (e - 6));
    }
    chart.series = {a, b};
    chart.has_marker = true;
    chart.marker_x = 6;
    chart.marker_y = 0.5;
    chart.marker_label = "best epoch 6";
    const xml_check::Parsed svg = check_chart(svg_line_chart(chart), chart.title);
    const std::vector<xml_check::Element> lines = xml_check::find(svg, "polyline", "series");
    CHECK(lines.size() == 2);  // one per series
    for (const auto& line : lines) {
        size_t points = 1;
        for (const char ch : line.attribute("points")) points += ch == ' ';
        CHECK(points == 12);
    }
    CHECK(xml_check::count(svg, "line", "axis") == 2);
    CHECK(xml_check::count(svg, "circle", "marker") == 1);
    CHECK(xml_check::count(svg, "line", "marker-line") == 1);
    CHECK(xml_check::count(svg, "text", "marker-label") == 1);
    // The marker sits on validation's sixth point.
    const xml_check::Element marker = xml_check::find(svg, "circle", "marker")[0];
    const std::string points = lines[1].attribute("points");
    size_t start = 0;
    for (int k = 0; k < 5; ++k) start = points.find(' ', start) + 1;
    const std::string sixth = points.substr(start, points.find(' ', start) - start);
    CHECK(sixth == marker.attribute("cx") + "," + marker.attribute("cy"));
    // Whole-number x ticks only.
    for (const auto& label : xml_check::find(svg, "text", "tick-label"))
        if (std::atof(label.attribute("y").c_str()) > 355) CHECK(label.text.find('.') == std::string::npos);

    // One epoch: still a valid chart, the single x value inside the axis.
    LineChart one = chart;
    one.series = {LineSeries{"train", {1}, {0.7}}, LineSeries{"validation", {1}, {0.5}}};
    one.marker_x = 1;
    check_chart(svg_line_chart(one), one.title);
}

void test_histogram() {
    Histogram chart;
    chart.title = "Pixel values";
    chart.x_label = "value";
    chart.y_label = "count";
    chart.counts = {1000, 0, 10, 100, 0, 0, 10000, 1};  // bins 0..7
    const xml_check::Parsed svg = check_chart(svg_histogram(chart), chart.title);
    const std::vector<xml_check::Element> bins = xml_check::find(svg, "rect", "bin");
    CHECK(bins.size() == 5);  // non-empty bins only
    CHECK(xml_check::count(svg, "line", "axis") == 2);
    // Log scale from 0.1 (below the smallest count, 1) to 10^4: a bar's height is proportional to
    // log10(count) + 1, so 1, 10, 100, 1000 and 10000 stand 1 : 2 : 3 : 4 : 5.
    const double h1000 = number(bins[0], "height"), h10 = number(bins[1], "height"), h100 = number(bins[2], "height");
    const double h10000 = number(bins[3], "height"), h1 = number(bins[4], "height");
    CHECK_NEAR(h10 / h1, 2, 0.01);
    CHECK_NEAR(h100 / h1, 3, 0.01);
    CHECK_NEAR(h1000 / h1, 4, 0.01);
    CHECK_NEAR(h10000 / h1, 5, 0.01);
    // Ticks at the powers of ten: 0.1, 1, 10, 100, 1k, 10k.
    size_t powers = 0;
    for (const auto& t : xml_check::find(svg, "text", "tick-label"))
        for (const char* p : {"0.1", "1", "10", "100", "1k", "10k"}) powers += t.text == p;
    CHECK(powers >= 6);
    // Bins are adjacent and equally wide.
    CHECK_NEAR(number(bins[1], "width"), number(bins[0], "width"), 0.02);

    // A linear axis and an all-empty histogram also make valid charts.
    chart.log_y = false;
    CHECK(xml_check::count(check_chart(svg_histogram(chart), chart.title), "rect", "bin") == 5);
    chart.counts.assign(8, 0);
    CHECK(xml_check::count(check_chart(svg_histogram(chart), chart.title), "rect", "bin") == 0);
}

void test_heat_map() {
    HeatMap map;
    map.title = "Confusion";
    map.x_label = "predicted";
    map.y_label = "true";
    map.scale_label = "images";
    map.rows = 3;
    map.cols = 4;
    map.values = {50, 0, 1, 2, 0, 40, 3, 0, 5, 0, 60, 0};
    map.row_labels = {"a", "b", "c"};
    map.col_labels = {"p", "q", "r", "s"};
    map.log_colour = true;
    const xml_check::Parsed svg = check_chart(svg_heat_map(map), map.title);
    const std::vector<xml_check::Element> cells = xml_check::find(svg, "rect", "cell");
    CHECK(cells.size() == 12);
    CHECK(xml_check::count(svg, "text", "value") == 12);
    CHECK(xml_check::count(svg, "line", "axis") == 2);
    CHECK(xml_check::count(svg, "rect", "scale-band") > 10);  // the colour scale
    CHECK(xml_check::count(svg, "text", "scale-label") == 1);
    // Square cells in row-major order; the largest value has the darkest colour, 0 the lightest.
    CHECK_NEAR(number(cells[0], "width"), number(cells[0], "height"), 1e-9);
    CHECK(number(cells[1], "x") > number(cells[0], "x") && number(cells[4], "y") > number(cells[0], "y"));
    CHECK(cells[10].attribute("fill") == hex_colour(sequential_colour(1)));
    CHECK(cells[1].attribute("fill") == hex_colour(sequential_colour(0)));
    // Log colour: the value 1 sits at log(1 + 1) / log(1 + 60) = 0.17 of the scale.
    CHECK(cells[2].attribute("fill") == hex_colour(sequential_colour(std::log10(2.0) / std::log10(61.0))));
}

void test_colours_and_grid() {
    const Rgb light = sequential_colour(0), dark = sequential_colour(1);
    CHECK(light.r > 240 && light.g > 240 && light.b > 240);
    CHECK(dark.r < 40 && dark.b > dark.r);
    CHECK(!is_dark(light) && is_dark(dark));
    const Rgb white = diverging_colour(0), blue = diverging_colour(-1), red = diverging_colour(1);
    CHECK(white.r == 255 && white.g == 255 && white.b == 255);
    CHECK(blue.b > blue.r && red.r > red.b);
    CHECK(hex_colour({255, 16, 1}) == "#ff1001");
    const Rgb clamped = diverging_colour(7);
    CHECK(clamped.r == red.r && clamped.g == red.g && clamped.b == red.b);

    // A 2 x 3 grid of 2 x 2 tiles, enlarged 2x, gap 1, 3 rows of caption space under each row of tiles.
    TileLayout layout;
    layout.tile_width = 2;
    layout.tile_height = 2;
    layout.rows = 2;
    layout.cols = 3;
    layout.scale = 2;
    layout.gap = 1;
    layout.caption_height = 3;
    CHECK(layout.image_width() == 1 + 3 * (4 + 1));
    CHECK(layout.image_height() == 1 + 2 * (4 + 1 + 3));
    TileImage image = make_tile_image(layout, 1, 9);
    const uint8_t tile[4] = {10, 20, 30, 40};
    put_tile(image, 1, 2, tile);
    const size_t w = layout.image_width();
    const size_t x0 = layout.tile_x(2), y0 = layout.tile_y(1);
    CHECK(x0 == 11 && y0 == 9);
    CHECK(image.pixels[y0 * w + x0] == 10 && image.pixels[y0 * w + x0 + 1] == 10);  // pixel (0,0), enlarged
    CHECK(image.pixels[(y0 + 1) * w + x0 + 1] == 10);
    CHECK(image.pixels[y0 * w + x0 + 2] == 20);                                     // pixel (1,0)
    CHECK(image.pixels[(y0 + 3) * w + x0 + 3] == 40);                               // pixel (1,1)
    CHECK(image.pixels[(y0 - 1) * w + x0] == 9 && image.pixels[y0 * w + x0 - 1] == 9);  // background around
    size_t background = 0;
    for (const uint8_t p : image.pixels) background += p == 9;
    CHECK(background == image.pixels.size() - 16);  // exactly one enlarged tile placed

    // The labelled SVG around it: one image element holding the PNG, captions, labels.
    ImageGridChart chart;
    chart.title = "Tiles";
    chart.layout = layout;
    chart.png = encode_png(image.pixels.data(), w, layout.image_height(), 1);
    chart.column_labels = {"x", "y", "z"};
    chart.row_labels = {"first", "second"};
    chart.captions = {{"a"}, {"b", "c"}, {}, {}, {}, {"f"}};
    chart.note = "a note";
    const xml_check::Parsed svg = xml_check::parse(svg_image_grid(chart));
    CHECK(svg.error.empty());
    const std::vector<xml_check::Element> images = xml_check::find(svg, "image", "grid-image");
    CHECK(images.size() == 1);
    CHECK(!images.empty() && images[0].attribute("xlink:href").rfind("data:image/png;base64,iVBORw0KGgo", 0) == 0);
    CHECK(!images.empty() && number(images[0], "width") == static_cast<double>(w));
    CHECK(xml_check::count(svg, "text", "caption") == 4);
    CHECK(xml_check::count(svg, "text", "column-label") == 3 && xml_check::count(svg, "text", "row-label") == 2);
    CHECK(xml_check::count(svg, "text", "note") == 1);
}

// Issue 15, item 1: values that are infinite, NaN, enormous or a hair apart (a checkpoint's history, a
// diverged run) must still give a well-formed chart with finite coordinates, never a crash (svg_line_chart
// once took front() of an empty tick list) or a loop that never ends (ticks a rounding error apart).
void test_values_that_are_not_plain_numbers() {
    const double inf = INFINITY, nan = NAN;
    // Ticks: always at least two, finite, increasing, and not too many, whatever comes in.
    const double cases[][2] = {{0, inf},   {-inf, inf}, {nan, 1},     {nan, nan},  {-1e308, 1e308},
                               {1, 1 + 2.3e-16}, {1e300, 1e300}, {0, 1e-320}, {-5, -5},  {3, 2}};
    for (const auto& c : cases) {
        const std::vector<double> ticks = nice_ticks(c[0], c[1], 6);
        bool ordered = ticks.size() >= 2 && ticks.size() <= 100;
        for (size_t i = 0; ordered && i < ticks.size(); ++i)
            ordered = std::isfinite(ticks[i]) && (i == 0 || ticks[i] > ticks[i - 1]);
        CHECK(ordered);
        for (const double t : ticks) CHECK(tick_label(t, ticks.size() > 1 ? ticks[1] - ticks[0] : 1).size() < 32);
    }
    // A line chart whose values include inf and NaN, and one whose every value is infinite.
    for (const std::vector<double>& y : {std::vector<double>{0.5, inf, 0.25, nan, 0.75},
                                         std::vector<double>{inf, inf, -inf}, std::vector<double>{1e308, -1e308, 0}}) {
        LineChart chart;
        chart.title = "odd values";
        chart.integer_x = true;
        chart.series = {{"validation", {1, 2, 3, 4, 5}, y}};
        chart.series[0].x.resize(y.size());
        chart.has_marker = true;
        chart.marker_x = 2;
        chart.marker_y = y[1];
        chart.marker_label = "best";
        const std::string svg = svg_line_chart(chart);
        check_chart(svg, "odd values");
        CHECK(svg.find("inf") == std::string::npos && svg.find("nan") == std::string::npos);
    }
    BarChart bars;
    bars.title = "odd bars";
    bars.categories = {"a", "b", "c"};
    bars.series = {{"s", {nan, inf, 0.5}}};
    const std::string bar_svg = svg_bar_chart(bars);
    check_chart(bar_svg, "odd bars");
    CHECK(bar_svg.find("inf") == std::string::npos && bar_svg.find("nan") == std::string::npos);
    HeatMap map;
    map.title = "odd cells";
    map.rows = map.cols = 2;
    map.values = {1, nan, inf, 4};
    const std::string map_svg = svg_heat_map(map);
    CHECK(xml_check::parse(map_svg).error.empty());
    CHECK(map_svg.find("\"inf") == std::string::npos && map_svg.find("\"nan") == std::string::npos);
}

}  // namespace

int main() {
    try {
        test_checker();
        test_primitives();
        test_bar_chart();
        test_line_chart();
        test_histogram();
        test_heat_map();
        test_colours_and_grid();
        test_values_that_are_not_plain_numbers();
    } catch (const std::exception& e) {
        CHECK_MSG(false, std::string("unexpected exception: ") + e.what());
    }
    return check_exit("test_svg");
}
