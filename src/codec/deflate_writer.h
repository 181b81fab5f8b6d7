// Our DEFLATE compressor (RFC 1951) and the zlib wrapper around it (RFC 1950), written for the PNG writer:
// greedy LZ77 matching found through a hash of the next 3 bytes, sent with the fixed Huffman codes, and a
// stored block wherever that comes out smaller (noise). What it is not: a zlib replacement. No dynamic
// Huffman codes, no lazy matching, no streaming; it is small and compresses a report's images well enough.
// See docs/10-figures.md; the matching decoder is codec/inflate.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace mnist {

// data[0 .. length) as one complete raw DEFLATE stream (no header or trailer), any length including 0.
std::vector<uint8_t> deflate_compress(const uint8_t* data, size_t length);

// data[0 .. length) as a zlib stream: the two-byte header (RFC 1950 section 2.2), deflate_compress's
// output, then the Adler-32 of the uncompressed data, most significant byte first. PNG's IDAT data.
std::vector<uint8_t> zlib_compress(const uint8_t* data, size_t length);

}  // namespace mnist
