// SVG elements as strings, and tick arithmetic.
#include "report/svg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

#include "util/parse.h"

namespace mnist {

std::string xml_escape(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string svg_number(double value) {
    // Coordinates come from data clamped to the chart's axes; this is the last guard, so that a value that
    // slipped through still makes a valid document (and "%.2f" of 1e300 would not fit the buffer).
    if (!std::isfinite(value)) value = 0;
    value = std::min(std::max(value, -1e9), 1e9);
    char text[32];
    std::snprintf(text, sizeof text, "%.2f", value);
    std::string s = text;
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s == "-0" ? "0" : s;
}

std::string svg_open(double width, double height, const std::string& title) {
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"" +
           svg_number(width) + "\" height=\"" + svg_number(height) + "\" viewBox=\"0 0 " + svg_number(width) + " " +
           svg_number(height) + "\" font-family=\"Helvetica, Arial, sans-serif\">\n<title>" + xml_escape(title) +
           "</title>\n" + svg_rect(0, 0, width, height, "#ffffff", "class=\"background\"");
}

std::string svg_close() { return "</svg>\n"; }

namespace {

// Either "/>" or ">" + <title>tooltip</title> + the end tag.
std::string close_element(const std::string& name, const std::string& tooltip) {
    if (tooltip.empty()) return "/>\n";
    return "><title>" + xml_escape(tooltip) + "</title></" + name + ">\n";
}

std::string with_space(const std::string& attributes) { return attributes.empty() ? "" : " " + attributes; }

}  // namespace

std::string svg_rect(double x, double y, double width, double height, const std::string& fill,
                     const std::string& attributes, const std::string& tooltip) {
    return "<rect x=\"" + svg_number(x) + "\" y=\"" + svg_number(y) + "\" width=\"" + svg_number(width) +
           "\" height=\"" + svg_number(height) + "\" fill=\"" + fill + "\"" + with_space(attributes) +
           close_element("rect", tooltip);
}

std::string svg_line(double x1, double y1, double x2, double y2, const std::string& stroke, double stroke_width,
                     const std::string& attributes) {
    return "<line x1=\"" + svg_number(x1) + "\" y1=\"" + svg_number(y1) + "\" x2=\"" + svg_number(x2) + "\" y2=\"" +
           svg_number(y2) + "\" stroke=\"" + stroke + "\" stroke-width=\"" + svg_number(stroke_width) + "\"" +
           with_space(attributes) + "/>\n";
}

std::string svg_circle(double cx, double cy, double r, const std::string& fill, const std::string& attributes,
                       const std::string& tooltip) {
    return "<circle cx=\"" + svg_number(cx) + "\" cy=\"" + svg_number(cy) + "\" r=\"" + svg_number(r) +
           "\" fill=\"" + fill + "\"" + with_space(attributes) + close_element("circle", tooltip);
}

std::string svg_polyline(const std::vector<std::pair<double, double>>& points, const std::string& stroke,
                         double stroke_width, const std::string& attributes) {
    std::string list;
    for (const auto& p : points) list += (list.empty() ? "" : " ") + svg_number(p.first) + "," + svg_number(p.second);
    return "<polyline points=\"" + list + "\" fill=\"none\" stroke=\"" + stroke + "\" stroke-width=\"" +
           svg_number(stroke_width) + "\" stroke-linejoin=\"round\"" + with_space(attributes) + "/>\n";
}

std::string svg_text(double x, double y, const std::string& text, const std::string& anchor, double size,
                     const std::string& attributes) {
    return "<text x=\"" + svg_number(x) + "\" y=\"" + svg_number(y) + "\" font-size=\"" + svg_number(size) +
           "\" text-anchor=\"" + anchor + "\"" + with_space(attributes) + ">" + xml_escape(text) + "</text>\n";
}

double text_width(const std::string& text, double size) {
    size_t characters = 0;
    for (const char c : text)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++characters;  // count UTF-8 lead bytes only
    return 0.6 * size * static_cast<double>(characters);
}

std::vector<double> nice_ticks(double low, double high, size_t about) {
    // Limits a chart cannot draw are made drawable first: a non-finite one (a NaN, a diverged loss) gives
    // way to the other (or to [0, 1]), magnitudes are kept below 1e300 so that high - low cannot overflow,
    // and a range narrower than a billionth of its values is widened, else the steps below would be too
    // fine to count with doubles (first + 1 == first).
    if (!std::isfinite(low)) low = std::isfinite(high) ? high : 0;
    if (!std::isfinite(high)) high = std::isfinite(low) ? low : 1;
    low = std::min(std::max(low, -1e300), 1e300);
    high = std::min(std::max(high, -1e300), 1e300);
    if (low > high) std::swap(low, high);
    const double least_width = 1e-9 * std::max(std::fabs(low), std::fabs(high));
    if (!(high - low > least_width)) {  // one value (or nearly): a range around it
        const double half = low != 0 ? std::max(std::fabs(low) * 0.5, least_width) : 0.5;
        const double middle = low / 2 + high / 2;
        low = middle - half;
        high = middle + half;
    }
    if (about == 0) about = 1;
    // The raw step, written as f x 10^k with f in [1, 10), rounded up to the next of 1, 2, 5, 10.
    const double raw = (high - low) / static_cast<double>(about);
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double f = raw / magnitude * (1 - 1e-9);  // so that 0.05 / 5, a hair above 0.01, counts as 1 x 10^-2
    const double step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * magnitude;
    // A small tolerance, so that a value a rounding error above a multiple of the step is not pushed out.
    const double first = std::floor(low / step + 1e-9), last = std::ceil(high / step - 1e-9);
    // About `about` intervals by construction; the count guards against anything the arithmetic missed.
    const double count = last - first;
    if (!(count >= 1 && count <= 10.0 * static_cast<double>(about) + 10)) return {low, high};
    std::vector<double> ticks;
    for (int i = 0; i <= static_cast<int>(count); ++i) ticks.push_back((first + i) * step);  // no drift from repeated adds
    return ticks;
}

std::string tick_label(double value, double step) {
    char text[32];
    if (std::fabs(value) >= 1e9 || (step > 0 && step < 1e-6) || !std::isfinite(value))  // far from 0 or 1
        return number_text(value, 3);
    if (std::fabs(value) >= 10000 && step >= 1000) return compact_count(value);
    const int decimals = step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    const std::string s = text;
    return s.find_first_not_of("-0.") == std::string::npos ? std::string(text + (text[0] == '-' ? 1 : 0)) : s;
}

std::string compact_count(double value) {
    char text[32];
    const double a = std::fabs(value);
    if (!(a < 1e12)) return number_text(value, 3);  // beyond any count of pixels or images (and NaN)
    if (a < 1000) std::snprintf(text, sizeof text, "%.0f", value);
    else if (a < 10000) std::snprintf(text, sizeof text, "%.1fk", value / 1e3);
    else if (a < 1e6) std::snprintf(text, sizeof text, "%.0fk", value / 1e3);
    else if (a < 1e7) std::snprintf(text, sizeof text, "%.1fM", value / 1e6);
    else std::snprintf(text, sizeof text, "%.0fM", value / 1e6);
    std::string s = text;
    const size_t dot_zero = s.find(".0");  // "1.0k" -> "1k"
    if (dot_zero != std::string::npos && dot_zero + 2 < s.size() && (s[dot_zero + 2] == 'k' || s[dot_zero + 2] == 'M'))
        s.erase(dot_zero, 2);
    return s;
}

}  // namespace mnist
