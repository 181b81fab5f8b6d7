// A small JSON writer for our output files (metrics.json and friends): objects, arrays, strings with the
// escapes RFC 8259 requires (and always valid UTF-8: a byte that is not becomes U+FFFD), and numbers that read back exactly (the shortest of %.15g-%.17g; non-finite -> null,
// since JSON has no NaN). Writing only: the project never needs to parse JSON.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mnist {

class JsonWriter {
public:
    JsonWriter& begin_object();
    JsonWriter& end_object();
    JsonWriter& begin_array();
    JsonWriter& end_array();
    JsonWriter& key(const std::string& name);  // inside an object, before each value
    JsonWriter& value(const std::string& text);
    JsonWriter& value(const char* text);
    JsonWriter& value(double number);
    JsonWriter& value(uint64_t number);
    JsonWriter& value(int64_t number);
    JsonWriter& value(bool flag);
    JsonWriter& null();
    JsonWriter& raw(const std::string& encoded);  // a value that is already JSON text
    const std::string& text() const { return out_; }

private:
    void before_value();
    std::string out_;
    std::vector<bool> first_in_level_;  // one per open object/array: no comma needed yet
    bool after_key_ = false;
};

// `text` as a JSON string literal, quotes included.
std::string json_quote(const std::string& text);

}  // namespace mnist
