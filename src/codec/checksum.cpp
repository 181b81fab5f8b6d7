// CRC-32 one byte at a time through a 256-entry table that the compiler computes (no mutable state, no
// start-up work); slicing-by-8 would be faster, but a byte a step checks the 47 MB of training images in about
// 0.1 s, against 0.25 s to inflate them (docs/appendix-a-gzip-deflate.md). Adler-32 is the two-sums definition,
// reduced every 5552 bytes (docs/10-figures.md). The program's only CRC-32 and Adler-32: every format uses them.
#include "codec/checksum.h"

namespace mnist {
namespace {

// The CRC-32 polynomial x^32 + x^26 + x^23 + x^22 + x^16 + x^12 + x^11 + x^10 + x^8 + x^7 + x^5 + x^4 +
// x^2 + x + 1, written with its bits in reverse order ("reflected"): gzip feeds each byte into the
// register least significant bit first, so the register shifts right and x^0 sits at the top bit.
constexpr uint32_t kCrc32Polynomial = 0xEDB88320u;

struct Crc32Table {
    uint32_t entry[256];
};

// entry[b] is what 8 steps of the bit-by-bit division do to a register holding b: each step shifts one
// bit out and, when that bit is 1, subtracts (xors) the polynomial. A whole byte then costs one lookup.
constexpr Crc32Table make_crc32_table() {
    Crc32Table table{};
    for (uint32_t byte = 0; byte < 256; ++byte) {
        uint32_t r = byte;
        for (int step = 0; step < 8; ++step) r = (r & 1) ? (r >> 1) ^ kCrc32Polynomial : r >> 1;
        table.entry[byte] = r;
    }
    return table;
}

constexpr Crc32Table kCrc32Table = make_crc32_table();

}  // namespace

uint32_t crc32_update(uint32_t crc, const uint8_t* data, size_t length) {
    // The register starts as all ones and the result is its complement (RFC 1952 section 8). Undoing the
    // complement on entry is what lets a later call continue where an earlier one stopped.
    uint32_t r = ~crc;
    for (size_t i = 0; i < length; ++i) r = kCrc32Table.entry[(r ^ data[i]) & 0xFF] ^ (r >> 8);
    return ~r;
}

// Format notes (RFC 1950 section 8): two sums modulo 65521, the largest prime below 2^16. A is 1 plus
// the sum of the bytes, B is the sum of the values A has taken after each byte; the checksum is B * 65536 + A.
// B weighs each byte by its distance from the end, so swapped bytes change it where a plain sum would not.
// The sums are reduced once per block of kBlock bytes rather than once per byte (the same result: reducing
// later changes nothing modulo 65521). 5552 is the longest block after which B still fits in 32 bits,
// starting from A, B < 65521 with every byte 255: 255 n (n + 1) / 2 + (n + 1) 65520 < 2^32 (zlib's NMAX).
uint32_t adler32_update(uint32_t adler, const uint8_t* data, size_t length) {
    constexpr uint32_t kModulus = 65521;
    constexpr size_t kBlock = 5552;
    uint32_t a = adler & 0xFFFF, b = adler >> 16;
    while (length > 0) {
        const size_t block = length < kBlock ? length : kBlock;
        for (size_t i = 0; i < block; ++i) {
            a += data[i];
            b += a;
        }
        a %= kModulus;
        b %= kModulus;
        data += block;
        length -= block;
    }
    return (b << 16) | a;
}

}  // namespace mnist
