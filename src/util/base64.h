// Base64 (RFC 4648 section 4): bytes as text, 3 bytes to 4 characters from A-Z a-z 0-9 + /, with '='
// padding. Used to put PNG images inside SVG and HTML as data: URLs (docs/10-figures.md). Encoding only;
// not the URL-safe alphabet, no line breaks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mnist {

// The base64 text of data[0 .. length): 4 * ceil(length / 3) characters.
std::string base64_encode(const uint8_t* data, size_t length);
inline std::string base64_encode(const std::vector<uint8_t>& bytes) { return base64_encode(bytes.data(), bytes.size()); }

}  // namespace mnist
