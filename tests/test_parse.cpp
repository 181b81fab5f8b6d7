// Tests for util/parse: number_text, the program's one printf-%g helper, at its default 6 significant
// digits and at the 3, 4 and 15-17 digits the report, the messages and the JSON writer ask for; and the
// JSON writer's shortest text that reads back as the same double, which is built on it. Not the options
// that read numbers (tests/test_cli.cpp).
#include <cstdlib>
#include <string>

#include "check.h"
#include "util/json.h"
#include "util/parse.h"

using namespace mnist;

namespace {

void test_number_text() {
    // %g's own: 6 significant digits, trailing zeros dropped, an exponent below 1e-4 and from 1e6.
    CHECK(number_text(0.001) == "0.001");
    CHECK(number_text(1e-5) == "1e-05");
    CHECK(number_text(20) == "20");
    CHECK(number_text(0.15) == "0.15");
    CHECK(number_text(1234567) == "1.23457e+06");
    CHECK(number_text(-2.5) == "-2.5");
    // Fewer digits, rounded to nearest: the report's tooltips (4) and tick labels far from 0 (3).
    CHECK(number_text(1234.5678, 4) == "1235");
    CHECK(number_text(0.000123456, 4) == "0.0001235");
    CHECK(number_text(1.7e9, 4) == "1.7e+09");
    CHECK(number_text(123456789, 3) == "1.23e+08");
    // The longest text: 17 digits and a three-digit exponent fit.
    CHECK(number_text(-1.2345678901234567e-308, 17) == "-1.2345678901234567e-308");
    CHECK(number_text(0.1, 17) == "0.10000000000000001");
}

// JsonWriter::value(double) takes 15 digits when they read back exactly, else 16 or 17.
void test_json_numbers() {
    const double values[] = {0.1, 1.0 / 3.0, 0.30000000000000004, 123456.789, 5e-324, 1.7976931348623157e308};
    for (const double v : values) {
        JsonWriter json;
        json.value(v);
        CHECK_MSG(std::strtod(json.text().c_str(), nullptr) == v, "JSON text " + json.text() + " is not the double");
    }
    JsonWriter short_one;
    short_one.value(0.1);
    CHECK(short_one.text() == "0.1");  // 15 digits suffice: not 0.10000000000000001
    JsonWriter third;
    third.value(1.0 / 3.0);
    CHECK(third.text() == "0.3333333333333333");  // 16 digits are needed
}

}  // namespace

int main() {
    test_number_text();
    test_json_numbers();
    return check_exit("test_parse");
}
