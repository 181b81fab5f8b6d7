// Checksums over byte buffers: CRC-32 as gzip (RFC 1952 section 8) and PNG define it, used to confirm
// that a file decompressed to exactly what was compressed. A guard against accidental damage, not a
// cryptographic hash. The gzip checks that use it are described in docs/01-data.md.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mnist {

// Continues a CRC-32 over `length` more bytes. Start with crc = 0. Feeding a buffer in pieces gives the
// same answer as feeding it whole: crc32_update(crc32_update(0, a, n), a + n, m) == crc32(a, n + m).
uint32_t crc32_update(uint32_t crc, const uint8_t* data, size_t length);

// The CRC-32 of one whole buffer. The standard check value: crc32 of the 9 bytes "123456789" is 0xCBF43926.
inline uint32_t crc32(const uint8_t* data, size_t length) { return crc32_update(0, data, length); }

}  // namespace mnist
