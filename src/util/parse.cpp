// Numbers typed by a person, read and written one way. See parse.h.
#include "util/parse.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace mnist {

bool parse_whole(const std::string& text, uint64_t min, uint64_t max, uint64_t& value) {
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) return false;
    errno = 0;
    char* end = nullptr;
    const unsigned long long parsed = std::strtoull(text.c_str(), &end, 10);
    if (errno == ERANGE || *end != '\0' || parsed < min || parsed > max) return false;
    value = parsed;
    return true;
}

bool parse_real(const std::string& text, double min, double max, double& value) {
    // strtod alone would skip leading spaces, take '+', hexadecimal, "inf" and "nan": only decimal numbers,
    // written as the whole numbers are, get as far as strtod.
    if (text.empty() || text.find_first_not_of("0123456789.eE+-") != std::string::npos ||
        !(std::isdigit(static_cast<unsigned char>(text[0])) || text[0] == '.' || text[0] == '-'))
        return false;
    errno = 0;
    char* end = nullptr;
    const double parsed = std::strtod(text.c_str(), &end);
    if (errno == ERANGE || *end != '\0' || !std::isfinite(parsed) || parsed < min || parsed > max) return false;
    value = parsed;
    return true;
}

bool parse_size_list(const std::string& text, uint64_t max_each, bool allow_empty, std::vector<size_t>& values) {
    std::vector<size_t> parsed;
    if (text.empty()) {
        values = parsed;
        return allow_empty;
    }
    size_t start = 0;
    while (start <= text.size()) {
        const size_t comma = std::min(text.find(',', start), text.size());
        uint64_t item = 0;
        if (!parse_whole(text.substr(start, comma - start), 1, max_each, item)) return false;
        parsed.push_back(static_cast<size_t>(item));
        start = comma + 1;
    }
    values = parsed;
    return true;
}

std::string number_text(double value, int digits) {
    char text[40];  // "-1.2345678901234567e-308" and the like: at most 24 characters up to 17 digits
    std::snprintf(text, sizeof text, "%.*g", digits, value);
    return text;
}

std::string with_thousands(uint64_t value) {
    std::string digits = std::to_string(value), out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

}  // namespace mnist
