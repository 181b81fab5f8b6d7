// The few SVG elements our charts are drawn with, written as text, and the arithmetic of axes: where the
// ticks go and how they are labelled. Not a general SVG library (no paths, transforms only for rotated
// text) and not the charts themselves (report/svg_charts.h). See docs/10-figures.md.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace mnist {

// Text with & < > " ' replaced by entities, safe inside XML elements and attribute values.
std::string xml_escape(const std::string& text);

// A coordinate or length: at most 2 decimals, trailing zeros dropped ("12.5", "3", never "-0"); a value
// that is not finite becomes 0 and magnitudes are capped at 1e9, so the document stays valid whatever.
std::string svg_number(double value);

// The <svg> start tag (its size in pixels, the font for all its text) with a <title> child, which viewers
// show as a tooltip and screen readers read; and the end tag.
std::string svg_open(double width, double height, const std::string& title);
std::string svg_close();

// Elements. `attributes` is extra attribute text, e.g. "class=\"bar\"", placed as it is. A non-empty
// `tooltip` becomes a <title> child, shown when the pointer rests on the element.
std::string svg_rect(double x, double y, double width, double height, const std::string& fill,
                     const std::string& attributes = "", const std::string& tooltip = "");
std::string svg_line(double x1, double y1, double x2, double y2, const std::string& stroke, double stroke_width,
                     const std::string& attributes = "");
std::string svg_circle(double cx, double cy, double r, const std::string& fill, const std::string& attributes = "",
                       const std::string& tooltip = "");
std::string svg_polyline(const std::vector<std::pair<double, double>>& points, const std::string& stroke,
                         double stroke_width, const std::string& attributes = "");
// anchor: "start", "middle" or "end" (where x is along the text).
std::string svg_text(double x, double y, const std::string& text, const std::string& anchor, double size,
                     const std::string& attributes = "");

// About how wide `text` is at font size `size` in a sans-serif font: 0.6 em per character. Used to keep
// labels apart; an estimate, since the real width depends on the viewer's font.
double text_width(const std::string& text, double size);

// Round tick values covering [low, high]: multiples of a step of 1, 2 or 5 times a power of ten, chosen so
// that there are about `about` intervals; the first tick is at or below low and the last at or above high.
// low == high is widened to a range around the value. Always at least two finite, increasing ticks, at
// most 10 x about + 11, whatever the limits: infinite or NaN ones are replaced, huge ones capped at
// +-1e300, and a range narrower than a billionth of its values is widened.
std::vector<double> nice_ticks(double low, double high, size_t about);

// A tick value with as many decimals as the step between ticks needs ("0.25" with step 0.05, "30" with
// step 10); 10,000 and above in thousands ("20k"); 1e9 and above, or steps below 1e-6, as "%.3g".
std::string tick_label(double value, double step);

// A count in short form: 950, 1.2k, 12k, 3.4M (1e12 and above as "%.3g").
std::string compact_count(double value);

}  // namespace mnist
