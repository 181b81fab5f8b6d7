// The colours of our figures as functions of a number: a sequential scale (light to dark blue) for
// counts, as in the confusion-matrix heat map, and a diverging one (blue, white, red) for signed values,
// as in the first layer's weights. Shared by the SVG charts and the PNG images; no colour science beyond
// straight-line interpolation between a few chosen colours. See docs/10-figures.md.
#pragma once

#include <cstdint>
#include <string>

namespace mnist {

struct Rgb {
    uint8_t r = 0, g = 0, b = 0;
};

// t in [0, 1] (clamped): 0 is near-white, 1 dark blue, getting darker all the way.
Rgb sequential_colour(double t);

// t in [-1, 1] (clamped): -1 dark blue, 0 white, 1 dark red.
Rgb diverging_colour(double t);

// "#rrggbb", for SVG attributes.
std::string hex_colour(Rgb colour);

// Whether text drawn on this colour should be white rather than black (the colour is dark).
bool is_dark(Rgb colour);

}  // namespace mnist
