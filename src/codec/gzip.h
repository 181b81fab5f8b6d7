// Reading a .gz file (RFC 1952): the gzip header and trailer around each DEFLATE stream, whose decoding
// is codec/inflate.h's job. A file of several members (cat a.gz b.gz) is read as their contents one after
// another, as gzip -d and zlib read it. Not a streaming reader, not a compressor. docs/appendix-a-gzip-deflate.md.
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

// The decompressed contents of a gzip file: its members' contents, one after another. `name` is used in
// messages only. Checks each member's header (ID1 ID2, CM = 8, no reserved FLG bits, FEXTRA/FNAME/FCOMMENT
// skipped, FHCRC verified), that its DEFLATE data decode, and its trailer (CRC-32 and ISIZE, read where the
// DEFLATE data end), and that nothing but another member follows. Every problem throws
// InputError("<name>: <reason>"), e.g. "t10k-labels-idx1-ubyte.gz: CRC-32 mismatch (stored 0x12345678,
// computed 0x9abcdef0)", "x.gz: 8 bytes after the end of the gzip member that are not another member".
// Nothing is allocated from what the file claims: the output buffer starts at 16 times the compressed
// bytes (at least 64 KiB; the last 4 bytes' ISIZE when that is smaller and possible) and is doubled by
// decoding again, so it is at most twice what the data decode to (or 64 KiB), and the whole output at
// most max_bytes (else "decompresses to more than the ...-byte limit").
std::vector<uint8_t> gunzip(const std::vector<uint8_t>& file, const std::string& name,
                            size_t max_bytes = kMaxGunzipBytes);

}  // namespace mnist
