// Checksums over byte buffers: CRC-32 as gzip (RFC 1952 section 8) and PNG define it, and Adler-32 as
// zlib streams (RFC 1950 section 8) define it. Guards against accidental damage, not cryptographic hashes.
// The gzip checks are described in docs/appendix-a-gzip-deflate.md, the PNG and zlib ones in docs/10-figures.md.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mnist {

// Continues a CRC-32 over `length` more bytes. Start with crc = 0. Feeding a buffer in pieces gives the
// same answer as feeding it whole: crc32_update(crc32_update(0, a, n), a + n, m) == crc32(a, n + m).
uint32_t crc32_update(uint32_t crc, const uint8_t* data, size_t length);

// The CRC-32 of one whole buffer. The standard check value: crc32 of the 9 bytes "123456789" is 0xCBF43926.
inline uint32_t crc32(const uint8_t* data, size_t length) { return crc32_update(0, data, length); }

// Continues an Adler-32 over `length` more bytes. Start with adler = 1 (not 0: the empty buffer's
// Adler-32 is 1). As with CRC-32, feeding a buffer in pieces gives the same answer as feeding it whole.
uint32_t adler32_update(uint32_t adler, const uint8_t* data, size_t length);

// The Adler-32 of one whole buffer. Check value: adler32 of the 9 bytes "Wikipedia" is 0x11E60398.
inline uint32_t adler32(const uint8_t* data, size_t length) { return adler32_update(1, data, length); }

}  // namespace mnist
