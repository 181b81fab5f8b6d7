// Text from outside the program (file names, mostly) made safe for where it is shown: one line of a
// terminal or a log, where a raw newline would split a message in two and stray bytes can garble the
// screen. Not for JSON, whose own escaping is util/json.h's. See README.md, "errors and exit codes".
#pragma once

#include <string>

namespace mnist {

// `text` with every control character (newline, tab, escape, ...) and every byte that is not part of valid
// UTF-8 written as \n, \r, \t or \xNN; everything else, valid UTF-8 included, as it is.
std::string printable(const std::string& text);

// The length of the valid UTF-8 sequence (1 to 4 bytes) starting at text[at], or 0 when the bytes there
// are not one: a stray continuation byte, a sequence cut short, an overlong form, a UTF-16 surrogate or a
// code point above U+10FFFF (RFC 3629 section 4).
size_t utf8_sequence_length(const std::string& text, size_t at);

}  // namespace mnist
