// A raw DEFLATE decoder (RFC 1951), meant to be read beside the RFC: one function per part of the
// format, named as the RFC names it, as zlib's puff.c does. Not a gzip reader (codec/gzip.h adds RFC
// 1952's header and checks) and not a streaming decoder: all input is in memory and all output goes to
// one buffer the caller supplies. Described in docs/appendix-a-gzip-deflate.md.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mnist {

// What inflate() found. Anything but `ok` means the output is incomplete and must not be used.
//
//   result                     meaning                                                          RFC 1951
//   ok                         the final block ended: the stream is complete                    3.2.3
//   output_full                the stream holds more output than dest_capacity                  -
//   input_truncated            the input ended before the final block did                       3.2.3
//   bad_block_type             a block header has BTYPE = 11, which is reserved                 3.2.3
//   stored_length_mismatch     a stored block's NLEN is not LEN with every bit inverted         3.2.4
//   too_many_codes             a dynamic block asks for more than 286 literal/length codes      3.2.7
//                              (HLIT > 29) or more than 30 distance codes (HDIST > 29)
//   oversubscribed_code        code lengths asking for more codes than there are bit patterns   3.2.2
//                              (e.g. three codes of 1 bit)
//   incomplete_code            code lengths leaving bit patterns unused. Allowed only for a     3.2.2,
//                              literal/length or distance code made of one 1-bit code (3.2.7    3.2.7
//                              allows it for distances; zlib for both), never for the code
//                              that sends the code lengths
//   bad_code_lengths_repeat    code length symbol 16 ("repeat the previous length") first, or   3.2.7
//                              a repeat running past the HLIT + HDIST lengths
//   missing_end_of_block_code  the literal/length code has no code for symbol 256               3.2.7
//   invalid_symbol             bits that are no code (the unused part of an incomplete code),   3.2.5,
//                              or literal/length 286-287 or distance 30-31, which the fixed     3.2.6
//                              code has codes for but the format never uses
//   distance_too_far           a copy from before the start of the output                       3.2.5
//
// inflate_message() gives each a short phrase for error messages.
enum class InflateResult {
    ok,
    output_full,
    input_truncated,
    bad_block_type,
    stored_length_mismatch,
    too_many_codes,
    oversubscribed_code,
    incomplete_code,
    bad_code_lengths_repeat,
    missing_end_of_block_code,
    invalid_symbol,
    distance_too_far,
};

// A short lower-case phrase, e.g. "distance too far back", to follow "corrupt DEFLATE data: ".
const char* inflate_message(InflateResult r);

// The most output one byte of DEFLATE data can produce. A literal costs at least 1 bit and gives 1
// byte; a length/distance pair costs at least 2 bits (a 1-bit length code for 258, the longest match,
// and a 1-bit distance code) and gives at most 258 bytes; stored blocks give less than they cost. So 8
// bits give at most 4 x 258 = 1032 bytes, and n bytes of DEFLATE data decode to at most 1032 n bytes.
// Readers compare what a header promises with 1032 n before they allocate (codec/gzip.cpp, png_reader.cpp).
constexpr uint64_t kMaxInflateRatio = 1032;

// Decodes the one complete DEFLATE stream at the start of source[0 .. source_length), writing at most
// dest_capacity bytes to dest. On return, whatever the result, *dest_length is the number of bytes
// written and *source_used the number of input bytes read (on `ok`, up to and including the byte that
// holds the end of the final block: what follows the stream starts at source + *source_used).
// Allocates nothing; the decoder's state (under 2 KB) lives on the stack. dest may be null when
// dest_capacity is 0.
InflateResult inflate(uint8_t* dest, size_t dest_capacity, size_t* dest_length, const uint8_t* source,
                      size_t source_length, size_t* source_used);

}  // namespace mnist
