// RFC 1952 around RFC 1951: parse the gzip header, check the trailer's ISIZE before allocating, inflate,
// then check CRC-32 and ISIZE against what came out. Not the inflater itself (codec/inflate.cpp) and not
// a writer. Described in docs/appendix-a-gzip-deflate.md.
#include "codec/gzip.h"

#include <algorithm>
#include <cstdio>

#include "codec/byte_io.h"
#include "codec/checksum.h"
#include "codec/inflate.h"
#include "util/check.h"

namespace mnist {
namespace {

// The FLG bits (RFC 1952 section 2.3.1).
// Bit 0, FTEXT ("probably text"), is only a hint and needs nothing from a reader.
constexpr uint8_t kFlagHeaderCrc = 1 << 1;  // FHCRC: a CRC-16 of the header follows it
constexpr uint8_t kFlagExtra = 1 << 2;      // FEXTRA: XLEN (2 bytes) and XLEN bytes of extra fields
constexpr uint8_t kFlagName = 1 << 3;       // FNAME: the original file name, zero-terminated
constexpr uint8_t kFlagComment = 1 << 4;    // FCOMMENT: a comment, zero-terminated
constexpr uint8_t kFlagReserved = 0xE0;     // bits 5-7 must be zero

constexpr size_t kFixedHeaderBytes = 10;  // ID1 ID2 CM FLG MTIME(4) XFL OS
constexpr size_t kTrailerBytes = 8;       // CRC32(4) ISIZE(4)

// The first output buffer gunzip makes: at most this many times the DEFLATE bytes (and at least 64 KiB),
// however much more ISIZE promises. See gunzip.
constexpr uint64_t kFirstRoomRatio = 16;
constexpr uint64_t kFirstRoomMin = uint64_t{1} << 16;

std::string hex(uint32_t value, int digits) {
    char text[16];
    std::snprintf(text, sizeof text, "0x%0*X", digits, static_cast<unsigned>(value));
    return text;
}

// Format notes (RFC 1952 sections 2.1 and 2.3): numbers are little-endian (codec/byte_io.h's read_le16 and
// read_le32). A member starts with ID1 = 0x1f, ID2 = 0x8b, CM (8 = DEFLATE), FLG, MTIME (4 bytes), XFL and
// OS; then, each present only when its FLG bit is set and in this order, the extra field (XLEN, 2 bytes,
// then XLEN bytes), the file name and the comment (each zero-terminated), and the header CRC-16 (the low
// 16 bits of the CRC-32 of every header byte before it). MTIME, XFL and OS describe the original file and
// do not affect decoding, so we skip them.
//
// Returns the length of the header of the member that starts at file[at]: where its DEFLATE data starts.
size_t gzip_header_length(const std::vector<uint8_t>& file, size_t at, const std::string& name) {
    const size_t size = file.size();
    if (size - at >= 2 && (file[at] != 0x1F || file[at + 1] != 0x8B)) {
        throw InputError(name + ": not a gzip file (starts with " + hex(file[at], 2) + " " + hex(file[at + 1], 2) +
                         ", expected 0x1F 0x8B)");
    }
    if (size - at < kFixedHeaderBytes) throw InputError(name + ": truncated gzip header");
    const uint8_t method = file[at + 2], flags = file[at + 3];
    if (method != 8) {
        throw InputError(name + ": unsupported gzip compression method " + std::to_string(method) +
                         " (only 8, DEFLATE, is defined)");
    }
    if (flags & kFlagReserved) {
        throw InputError(name + ": reserved gzip flag bits are set (FLG = " + hex(flags, 2) + ")");
    }

    size_t pos = at + kFixedHeaderBytes;
    if (flags & kFlagExtra) {
        if (size - pos < 2) throw InputError(name + ": truncated gzip header (in the extra field)");
        const size_t extra_length = read_le16(&file[pos]);
        pos += 2;
        if (size - pos < extra_length) {
            throw InputError(name + ": truncated gzip header (in the extra field)");
        }
        pos += extra_length;
    }
    // Skips a zero-terminated string (FNAME or FCOMMENT), terminator included.
    auto skip_string = [&](const char* what) {
        while (pos < size && file[pos] != 0) ++pos;
        if (pos == size) throw InputError(name + ": truncated gzip header (in the " + what + ")");
        ++pos;
    };
    if (flags & kFlagName) skip_string("file name");
    if (flags & kFlagComment) skip_string("comment");
    if (flags & kFlagHeaderCrc) {
        if (size - pos < 2) throw InputError(name + ": truncated gzip header (in the header CRC)");
        const uint32_t stored = read_le16(&file[pos]);
        const uint32_t computed = crc32(file.data() + at, pos - at) & 0xFFFF;
        if (stored != computed) {
            throw InputError(name + ": gzip header CRC mismatch (stored " + hex(stored, 4) + ", computed " +
                             hex(computed, 4) + ")");
        }
        pos += 2;
    }
    return pos - at;
}

}  // namespace

bool is_gzip(const std::vector<uint8_t>& bytes) {
    return bytes.size() >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B;
}

// Format notes (RFC 1952 sections 2.2 and 2.3): a gzip file is a series of members, each a header, DEFLATE
// data and a trailer: CRC32, the CRC-32 of that member's uncompressed data, and ISIZE, its length modulo
// 2^32, both 4 bytes little-endian. The file's contents are the members' contents one after another (what
// `cat a.gz b.gz` makes, and gzip -d and zlib read). After the last member the file must end.
//
// Nothing is allocated from what a header or trailer claims. A member's ISIZE is read only once its DEFLATE
// data have been decoded and its trailer found after them: bytes appended to a file used to be taken for
// the ISIZE of its last 4 bytes and reported as an absurd size. The output buffer starts at 16 times the
// compressed bytes (at least 64 KiB; or, when the file's last 4 bytes are a plausible ISIZE of a single
// member, that), and a member that decodes to more is decoded again into twice the room: so the buffer is
// at most twice what the data really decode to (or 64 KiB), and never more than max_bytes.
std::vector<uint8_t> gunzip(const std::vector<uint8_t>& file, const std::string& name, size_t max_bytes) {
    const size_t size = file.size();
    std::vector<uint8_t> out;
    size_t total = 0;  // bytes of `out` holding the members decoded so far
    size_t pos = 0;    // where the member being read starts
    for (;;) {
        const size_t start = pos + gzip_header_length(file, pos, name);
        if (size - start < kTrailerBytes) throw InputError(name + ": truncated gzip stream");
        const size_t deflate_bytes = size - start;  // at most: the trailer and any later members follow

        // A first guess at the room this member needs, bounded by what DEFLATE can make of the bytes
        // present and by max_bytes (64-bit products: 1032 x deflate_bytes may not fit a 32-bit size_t).
        const uint64_t possible = std::min<uint64_t>(kMaxInflateRatio * uint64_t{deflate_bytes}, max_bytes - total);
        uint64_t room = std::min<uint64_t>(possible, std::max(kFirstRoomMin, kFirstRoomRatio * uint64_t{deflate_bytes}));
        // The file's last 4 bytes are the ISIZE of a file of one member: used, when possible, as the
        // room to try first or to grow to, never as more than the data have shown they need.
        const uint32_t last_isize = read_le32(&file[size - 4]);
        const bool hint = pos == 0 && last_isize <= possible && last_isize > 0;
        if (hint) room = std::min<uint64_t>(room, last_isize);
        size_t produced = 0, used = 0;
        InflateResult r;
        for (;;) {
            if (total == 0) std::vector<uint8_t>().swap(out);  // nothing to keep: free before allocating more
            out.resize(total + static_cast<size_t>(room));    // room <= max_bytes - total
            r = inflate(out.data() + total, static_cast<size_t>(room), &produced, file.data() + start, deflate_bytes, &used);
            if (r != InflateResult::output_full || room == possible) break;
            room = std::min<uint64_t>(possible, hint && room < last_isize ? std::min<uint64_t>(2 * room, last_isize) : 2 * room);
        }
        if (r == InflateResult::output_full) {
            if (total + produced >= max_bytes)
                throw InputError(name + ": decompresses to more than the " + std::to_string(max_bytes) +
                                 "-byte limit for one file");
            throw InputError(name + ": corrupt DEFLATE data: " + inflate_message(r));  // cannot happen: room = possible
        }
        if (r == InflateResult::input_truncated) throw InputError(name + ": truncated gzip stream");
        if (r != InflateResult::ok) throw InputError(name + ": corrupt DEFLATE data: " + inflate_message(r));

        // The trailer follows the DEFLATE data directly.
        const size_t trailer = start + used;
        if (size - trailer < kTrailerBytes)
            throw InputError(name + ": truncated gzip stream (the trailer after the DEFLATE data is cut off)");
        const uint32_t stored_crc = read_le32(&file[trailer]), isize = read_le32(&file[trailer + 4]);
        if (isize != static_cast<uint32_t>(produced)) {
            throw InputError(name + ": ISIZE mismatch (stored " + std::to_string(isize) + ", decompressed " +
                             std::to_string(produced) + " bytes)");
        }
        const uint32_t computed_crc = crc32(out.data() + total, produced);
        if (stored_crc != computed_crc) {
            throw InputError(name + ": CRC-32 mismatch (stored " + hex(stored_crc, 8) + ", computed " +
                             hex(computed_crc, 8) + ")");
        }
        total += produced;
        pos = trailer + kTrailerBytes;
        if (pos == size) break;
        // Another member, or bytes that do not belong to the file.
        if (size - pos < 2 || file[pos] != 0x1F || file[pos + 1] != 0x8B) {
            throw InputError(name + ": " + std::to_string(size - pos) +
                             " bytes after the end of the gzip member that are not another member");
        }
    }
    out.resize(total);
    return out;
}

}  // namespace mnist
