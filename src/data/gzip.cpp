// RFC 1952 around RFC 1951: parse the gzip header, check the trailer's ISIZE before allocating, inflate,
// then check CRC-32 and ISIZE against what came out. Not the inflater itself (data/inflate.cpp) and not
// a writer. Described in docs/appendix-a-gzip-deflate.md.
#include "data/gzip.h"

#include <algorithm>
#include <cstdio>

#include "data/inflate.h"
#include "util/check.h"
#include "util/checksum.h"

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

// Fields are little-endian: least significant byte first (RFC 1952 section 2.1).
uint32_t read_le16(const uint8_t* p) { return uint32_t{p[0]} | uint32_t{p[1]} << 8; }
uint32_t read_le32(const uint8_t* p) {
    return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

std::string hex(uint32_t value, int digits) {
    char text[16];
    std::snprintf(text, sizeof text, "0x%0*X", digits, static_cast<unsigned>(value));
    return text;
}

// Format notes (RFC 1952 section 2.3): a member starts with ID1 = 0x1f, ID2 = 0x8b, CM (8 = DEFLATE), FLG,
// MTIME (4 bytes), XFL and OS; then, each present only when its FLG bit is set and in this order, the
// extra field (XLEN, 2 bytes, then XLEN bytes), the file name and the comment (each zero-terminated),
// and the header CRC-16 (the low 16 bits of the CRC-32 of every header byte before it). MTIME, XFL and
// OS describe the original file and do not affect decoding, so we skip them.
//
// Returns the length of the header: where the DEFLATE data starts.
size_t gzip_header_length(const std::vector<uint8_t>& file, const std::string& name) {
    const size_t size = file.size();
    if (size >= 2 && !is_gzip(file)) {
        throw InputError(name + ": not a gzip file (starts with " + hex(file[0], 2) + " " + hex(file[1], 2) +
                         ", expected 0x1F 0x8B)");
    }
    if (size < kFixedHeaderBytes) throw InputError(name + ": truncated gzip header");
    const uint8_t method = file[2], flags = file[3];
    if (method != 8) {
        throw InputError(name + ": unsupported gzip compression method " + std::to_string(method) +
                         " (only 8, DEFLATE, is defined)");
    }
    if (flags & kFlagReserved) {
        throw InputError(name + ": reserved gzip flag bits are set (FLG = " + hex(flags, 2) + ")");
    }

    size_t pos = kFixedHeaderBytes;
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
        const uint32_t computed = crc32(file.data(), pos) & 0xFFFF;
        if (stored != computed) {
            throw InputError(name + ": gzip header CRC mismatch (stored " + hex(stored, 4) + ", computed " +
                             hex(computed, 4) + ")");
        }
        pos += 2;
    }
    return pos;
}

}  // namespace

bool is_gzip(const std::vector<uint8_t>& bytes) {
    return bytes.size() >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B;
}

// Format notes (RFC 1952 section 2.3): after the header come the DEFLATE data and the trailer: CRC32,
// the CRC-32 of the uncompressed data, and ISIZE, its length modulo 2^32, both 4 bytes little-endian.
// gzip may write several members one after another; we accept exactly one and nothing after it.
std::vector<uint8_t> gunzip(const std::vector<uint8_t>& file, const std::string& name) {
    const size_t start = gzip_header_length(file, name);
    if (file.size() - start < kTrailerBytes) throw InputError(name + ": truncated gzip stream");
    const size_t deflate_bytes = file.size() - start - kTrailerBytes;

    // Validate before allocating. If the file is whole, its last 4 bytes are ISIZE. Anything larger than
    // DEFLATE can produce from the bytes present, or than our cap, is refused here; sizes are compared
    // in 64 bits so that 1032 x deflate_bytes cannot overflow where size_t has 32.
    const uint32_t isize = read_le32(&file[file.size() - 4]);
    const uint64_t most_possible = kMaxInflateRatio * uint64_t{deflate_bytes};
    if (isize > most_possible) {
        throw InputError(name + ": truncated or corrupt gzip stream (ISIZE promises " +
                         std::to_string(isize) + " bytes, but " + std::to_string(deflate_bytes) +
                         " bytes of DEFLATE data decode to at most " + std::to_string(most_possible) + ")");
    }
    if (isize > kMaxGunzipBytes) {
        throw InputError(name + ": ISIZE promises " + std::to_string(isize) + " bytes, more than the " +
                         std::to_string(kMaxGunzipBytes) + "-byte limit for one file");
    }

    // ISIZE is still only a claim, and up to 1032 x the DEFLATE bytes: a 1 MB file could make us zero-fill
    // 1 GiB before its data turned out to be garbage. So the first buffer is ISIZE or kFirstRoomRatio times
    // the DEFLATE bytes, whichever is less; a file that really decodes to more than that (MNIST's do not:
    // 4.7 and 2 to 1) is decoded again into twice the room, up to ISIZE. The buffer is then never more
    // than twice what the data really decode to (or 64 KiB), whatever ISIZE says.
    uint64_t room = std::min<uint64_t>(isize, std::max(kFirstRoomMin, kFirstRoomRatio * uint64_t{deflate_bytes}));
    std::vector<uint8_t> out;
    size_t produced = 0, used = 0;
    InflateResult r;
    for (;;) {
        std::vector<uint8_t>().swap(out);  // free the smaller buffer before the larger one is made
        out.resize(static_cast<size_t>(room));  // room <= ISIZE <= kMaxGunzipBytes: fits any size_t
        r = inflate(out.data(), out.size(), &produced, file.data() + start, deflate_bytes, &used);
        if (r != InflateResult::output_full || room == isize) break;
        room = std::min<uint64_t>(isize, 2 * room);
    }
    if (r == InflateResult::input_truncated) throw InputError(name + ": truncated gzip stream");
    if (r == InflateResult::output_full) {  // ISIZE is wrong, or the last 4 bytes are not ISIZE
        throw InputError(name + ": ISIZE mismatch (the data decodes to more than the " +
                         std::to_string(isize) +
                         " bytes promised; or the file is cut short, or has bytes after its end)");
    }
    if (r != InflateResult::ok) throw InputError(name + ": corrupt DEFLATE data: " + inflate_message(r));

    // The trailer must follow the DEFLATE data directly, and end the file.
    if (used != deflate_bytes) {
        throw InputError(name + ": " + std::to_string(deflate_bytes - used) +
                         " bytes after the end of the gzip member (a second member, or garbage)");
    }
    if (produced != isize) {
        throw InputError(name + ": ISIZE mismatch (stored " + std::to_string(isize) + ", decompressed " +
                         std::to_string(produced) + " bytes)");
    }
    const uint32_t stored_crc = read_le32(&file[file.size() - 8]);
    const uint32_t computed_crc = crc32(out.data(), out.size());
    if (stored_crc != computed_crc) {
        throw InputError(name + ": CRC-32 mismatch (stored " + hex(stored_crc, 8) + ", computed " +
                         hex(computed_crc, 8) + ")");
    }
    return out;
}

}  // namespace mnist
