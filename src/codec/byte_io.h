// Little-endian binary encoding for our own file formats (model.bin, checkpoint.bin): every integer and
// float is written byte by byte with shifts, so a file means the same on every machine, whatever its byte
// order. The reader checks every length before it reads and throws InputError naming the file.
// Not for IDX (big-endian, read in data/idx.cpp). See docs/07-training.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "util/float_bits.h"

namespace mnist {

struct ByteWriter {
    std::vector<uint8_t> bytes;
    void u8(uint8_t value) { bytes.push_back(value); }
    void u32(uint32_t value);
    void u64(uint64_t value);
    void f32(float value);   // IEEE-754 binary32 bit pattern
    void f64(double value);  // IEEE-754 binary64 bit pattern
    void raw(const void* data, size_t size);
};

class ByteReader {
public:
    // Reads bytes[0 .. size); `name` goes into error messages.
    ByteReader(const uint8_t* data, size_t size, std::string name) : data_(data), size_(size), name_(std::move(name)) {}
    uint8_t u8();
    uint32_t u32();
    uint64_t u64();
    // A u64 that must not exceed `max` (else InputError naming `what`): read and checked as 64 bits before
    // anyone narrows it to a size_t, which is 32 bits on some machines.
    uint64_t u64_at_most(uint64_t max, const char* what);
    float f32();
    double f64();
    size_t position() const { return position_; }
    size_t remaining() const { return size_ - position_; }
    // Throws InputError("<name>: truncated (<what>)") unless `count` more bytes are present.
    void need(uint64_t count, const char* what) const;
    [[noreturn]] void fail(const std::string& reason) const;

private:
    const uint8_t* data_;
    size_t size_, position_ = 0;
    std::string name_;
};

}  // namespace mnist
