// Colour scales by linear interpolation between stops placed evenly along [0, 1].
#include "report/colour_map.h"

#include <cstdio>

namespace mnist {
namespace {

// The colour at t along stops[0 .. count), evenly spaced: between the two stops around t, mixed in
// proportion to where t falls between them.
Rgb interpolate(const Rgb* stops, int count, double t) {
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    const double position = t * (count - 1);
    int i = static_cast<int>(position);
    if (i >= count - 1) i = count - 2;
    const double f = position - i;
    const auto mix = [f](uint8_t a, uint8_t b) { return static_cast<uint8_t>(a + (b - a) * f + 0.5); };
    return {mix(stops[i].r, stops[i + 1].r), mix(stops[i].g, stops[i + 1].g), mix(stops[i].b, stops[i + 1].b)};
}

}  // namespace

Rgb sequential_colour(double t) {
    static const Rgb kStops[] = {{247, 250, 253}, {178, 208, 232}, {86, 146, 200}, {30, 88, 160}, {10, 36, 90}};
    return interpolate(kStops, 5, t);
}

Rgb diverging_colour(double t) {
    static const Rgb kStops[] = {{20, 60, 150}, {120, 165, 215}, {255, 255, 255}, {225, 130, 110}, {150, 20, 30}};
    return interpolate(kStops, 5, (t + 1) / 2);
}

std::string hex_colour(Rgb colour) {
    char text[8];
    std::snprintf(text, sizeof text, "#%02x%02x%02x", colour.r, colour.g, colour.b);
    return text;
}

bool is_dark(Rgb colour) {
    // Perceived brightness, weighting green most and blue least (the usual luma weights, rounded).
    return 0.3 * colour.r + 0.59 * colour.g + 0.11 * colour.b < 140;
}

}  // namespace mnist
