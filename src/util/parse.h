// Reading numbers typed by a person (command-line options, the settings table's defaults) and writing them
// back: decimal digits only, checked against a range, so "12abc", " 5", "+5", "0x10" and "inf" are refused
// the same way wherever a number is read. Not for file formats (codec/ reads bytes).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mnist {

// A whole number in [min, max], digits only. False for anything else.
bool parse_whole(const std::string& text, uint64_t min, uint64_t max, uint64_t& value);

// A real number in [min, max]: digits, at most one '-', a point and an exponent, finite. False otherwise.
bool parse_real(const std::string& text, double min, double max, double& value);

// Comma-separated whole numbers from 1 to max_each ("512,256,128"); "" is the empty list when allow_empty.
bool parse_size_list(const std::string& text, uint64_t max_each, bool allow_empty, std::vector<size_t>& values);

// The shortest usual way to write a number (printf's %g: 0.001, 1e-05, 20, 0.15), the way every setting is
// shown in the header, the report and messages; with `digits` significant digits at most (%.*g: 6 is %g's
// own, 4 the report's tooltips and messages, 17 enough for any double). The program's one %g.
std::string number_text(double value, int digits = 6);

// A whole number with a comma between each group of three digits: "1,523,456" (the counts and byte sizes
// the EDA, the demo page and its command print).
std::string with_thousands(uint64_t value);

}  // namespace mnist
