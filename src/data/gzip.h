// Reading a .gz file (RFC 1952): the gzip header and trailer around one DEFLATE stream, whose decoding
// is data/inflate.h's job. Only the single-member files that gzip writes; not multi-member files, not a
// streaming reader, not a compressor. Described in docs/appendix-a-gzip-deflate.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mnist {

// The largest decompressed size gunzip accepts: 1 GiB, twenty times the largest MNIST file (47 MB).
// It keeps a corrupt or hostile ISIZE from making us allocate gigabytes before inflating a single byte.
constexpr size_t kMaxGunzipBytes = size_t(1) << 30;

// True when the bytes start with the gzip magic number 1f 8b (RFC 1952 section 2.3.1, ID1 and ID2).
bool is_gzip(const std::vector<uint8_t>& bytes);

// The decompressed contents of a single-member gzip file. `name` is used in messages only. Checks the
// header (ID1 ID2, CM = 8, no reserved FLG bits, FEXTRA/FNAME/FCOMMENT skipped, FHCRC verified), that
// the DEFLATE data decodes, and the trailer: CRC-32, ISIZE, and no bytes after it. Every problem
// throws InputError("<name>: <reason>"), e.g. "t10k-labels-idx1-ubyte.gz: CRC-32 mismatch (stored
// 0x12345678, computed 0x9abcdef0)". Before allocating, checks that DEFLATE could produce what ISIZE
// promises from the bytes present and that it is at most kMaxGunzipBytes; then allocates ISIZE or 16 times
// the DEFLATE bytes, whichever is less, decoding again into twice the room when the data really decode to
// more. So the output buffer is at most kMaxGunzipBytes and at most twice what the data decode to (or 64 KiB).
std::vector<uint8_t> gunzip(const std::vector<uint8_t>& file, const std::string& name);

}  // namespace mnist
