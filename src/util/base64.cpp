// Base64 encoding, three bytes (24 bits) at a time, each 6-bit group most significant first.
#include "util/base64.h"

namespace mnist {

std::string base64_encode(const uint8_t* data, size_t length) {
    static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((length + 2) / 3 * 4);
    for (size_t i = 0; i < length; i += 3) {
        // The group's bytes as one 24-bit number; missing bytes at the end count as zeros.
        const size_t present = length - i < 3 ? length - i : 3;
        uint32_t group = uint32_t{data[i]} << 16;
        if (present > 1) group |= uint32_t{data[i + 1]} << 8;
        if (present > 2) group |= data[i + 2];
        // n bytes fill n + 1 characters; the rest of the 4 are '=' (RFC 4648 section 4, cases 2 and 3).
        for (size_t k = 0; k < 4; ++k) out += k <= present ? kAlphabet[(group >> (18 - 6 * k)) & 0x3F] : '=';
    }
    return out;
}

}  // namespace mnist
