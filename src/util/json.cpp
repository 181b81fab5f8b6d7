// JSON output: compact, one value after another, with commas managed per nesting level.
#include "util/json.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "util/parse.h"
#include "util/printable.h"

namespace mnist {

std::string json_quote(const std::string& text) {
    std::string out = "\"";
    for (size_t i = 0; i < text.size(); ++i) {
        const char ch = text[i];
        const unsigned char c = static_cast<unsigned char>(ch);
        // JSON text is UTF-8 (RFC 8259 section 8.1): valid sequences are copied, and each byte that is not
        // part of one (a file name in another encoding, say) becomes U+FFFD, the replacement character.
        if (c >= 0x80) {
            const size_t length = utf8_sequence_length(text, i);
            if (length == 0) {
                out += "\xEF\xBF\xBD";
            } else {
                out.append(text, i, length);
                i += length - 1;
            }
            continue;
        }
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20) {
                    char buffer[8];
                    std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(c));
                    out += buffer;
                } else {
                    out += ch;
                }
        }
    }
    return out + "\"";
}

void JsonWriter::before_value() {
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (!first_in_level_.empty()) {
        if (!first_in_level_.back()) out_ += ',';
        first_in_level_.back() = false;
    }
}

JsonWriter& JsonWriter::begin_object() {
    before_value();
    out_ += '{';
    first_in_level_.push_back(true);
    return *this;
}

JsonWriter& JsonWriter::end_object() {
    first_in_level_.pop_back();
    out_ += '}';
    return *this;
}

JsonWriter& JsonWriter::begin_array() {
    before_value();
    out_ += '[';
    first_in_level_.push_back(true);
    return *this;
}

JsonWriter& JsonWriter::end_array() {
    first_in_level_.pop_back();
    out_ += ']';
    return *this;
}

JsonWriter& JsonWriter::key(const std::string& name) {
    before_value();
    out_ += json_quote(name);
    out_ += ':';
    after_key_ = true;
    return *this;
}

JsonWriter& JsonWriter::value(const std::string& text) {
    before_value();
    out_ += json_quote(text);
    return *this;
}

JsonWriter& JsonWriter::value(const char* text) { return value(std::string(text)); }

JsonWriter& JsonWriter::value(double number) {
    before_value();
    if (!std::isfinite(number)) {
        out_ += "null";
        return *this;
    }
    // The shortest of 15, 16 or 17 significant digits that reads back as the same double.
    std::string text;
    for (int digits = 15; digits <= 17; ++digits) {
        text = number_text(number, digits);
        if (std::strtod(text.c_str(), nullptr) == number) break;
    }
    out_ += text;
    return *this;
}

JsonWriter& JsonWriter::value(uint64_t number) {
    before_value();
    out_ += std::to_string(number);
    return *this;
}

JsonWriter& JsonWriter::value(int64_t number) {
    before_value();
    out_ += std::to_string(number);
    return *this;
}

JsonWriter& JsonWriter::value(bool flag) {
    before_value();
    out_ += flag ? "true" : "false";
    return *this;
}

JsonWriter& JsonWriter::raw(const std::string& encoded) {
    before_value();
    out_ += encoded;
    return *this;
}

JsonWriter& JsonWriter::null() {
    before_value();
    out_ += "null";
    return *this;
}

}  // namespace mnist
