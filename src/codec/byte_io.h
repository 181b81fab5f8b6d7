// The byte order of every file format, written once: numbers go to and from bytes with shifts, so a file
// means the same on every machine, whatever its own byte order. Big-endian (most significant byte first):
// IDX, PNG, zlib. Little-endian: gzip, model.bin, checkpoint.bin, model-int8.bin. Not a format itself: the
// readers and writers in codec/, data/idx.cpp, nn/, train/ and quant/ use these. See docs/07-training.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "util/float_bits.h"

namespace mnist {

// The unsigned number in p[0 .. count), count at most 8: least significant byte first (le) or most
// significant first (be). The caller has checked that the bytes are there; ByteReader checks for you.
inline uint64_t read_uint_le(const uint8_t* p, int count) {
    uint64_t value = 0;
    for (int i = 0; i < count; ++i) value |= uint64_t{p[i]} << (8 * i);
    return value;
}
inline uint64_t read_uint_be(const uint8_t* p, int count) {
    uint64_t value = 0;
    for (int i = 0; i < count; ++i) value = value << 8 | p[i];
    return value;
}
inline uint16_t read_le16(const uint8_t* p) { return static_cast<uint16_t>(read_uint_le(p, 2)); }
inline uint32_t read_le32(const uint8_t* p) { return static_cast<uint32_t>(read_uint_le(p, 4)); }
inline uint16_t read_be16(const uint8_t* p) { return static_cast<uint16_t>(read_uint_be(p, 2)); }
inline uint32_t read_be32(const uint8_t* p) { return static_cast<uint32_t>(read_uint_be(p, 4)); }

// And back: the low `count` bytes of `value` into out[0 .. count), in the same two orders.
inline void write_uint_le(uint8_t* out, uint64_t value, int count) {
    for (int i = 0; i < count; ++i) out[i] = static_cast<uint8_t>(value >> (8 * i));
}
inline void write_uint_be(uint8_t* out, uint64_t value, int count) {
    for (int i = 0; i < count; ++i) out[count - 1 - i] = static_cast<uint8_t>(value >> (8 * i));
}
inline void write_le32(uint8_t* out, uint32_t value) { write_uint_le(out, value, 4); }

// Appends to `bytes`. Integers without "be" in their name are little-endian; floats are their IEEE-754 bit
// patterns (util/float_bits.h), little-endian.
struct ByteWriter {
    std::vector<uint8_t> bytes;
    void u8(uint8_t value) { bytes.push_back(value); }
    void u16(uint16_t value);
    void u32(uint32_t value);
    void u64(uint64_t value);
    void be32(uint32_t value);
    void f32(float value);
    void f64(double value);
    void raw(const void* data, size_t size);
};

// Reads bytes[0 .. size) from the front. Every read checks that its bytes are there first and throws
// InputError("<name>: truncated (...)") when they are not; nothing reads past the end.
class ByteReader {
public:
    // `name` goes into error messages.
    ByteReader(const uint8_t* data, size_t size, std::string name) : data_(data), size_(size), name_(std::move(name)) {}
    uint8_t u8();
    uint32_t u32();
    uint64_t u64();
    uint32_t be32();
    // A u64 that must not exceed `max` (else InputError naming `what`): read and checked as 64 bits before
    // anyone narrows it to a size_t, which is 32 bits on some machines.
    uint64_t u64_at_most(uint64_t max, const char* what);
    float f32();
    double f64();
    // Steps over `count` bytes (a magic number already checked, say).
    void skip(uint64_t count, const char* what);
    size_t position() const { return position_; }
    size_t remaining() const { return size_ - position_; }
    // Throws InputError("<name>: truncated (<what>)") unless `count` more bytes are present.
    void need(uint64_t count, const char* what) const;
    [[noreturn]] void fail(const std::string& reason) const;

private:
    // The next `count` bytes (need()-checked), and the position moved past them.
    const uint8_t* take(size_t count, const char* what);

    const uint8_t* data_;
    size_t size_, position_ = 0;
    std::string name_;
};

}  // namespace mnist
