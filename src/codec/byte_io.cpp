// ByteWriter appends and ByteReader's checked reads, both through the byte-order functions of byte_io.h.
#include "codec/byte_io.h"

#include "util/check.h"

namespace mnist {
namespace {

// Appends the low `count` bytes of `value` in the given order.
void append(std::vector<uint8_t>& bytes, uint64_t value, int count, bool big_endian) {
    const size_t at = bytes.size();
    bytes.resize(at + static_cast<size_t>(count));
    if (big_endian) write_uint_be(&bytes[at], value, count);
    else write_uint_le(&bytes[at], value, count);
}

}  // namespace

void ByteWriter::u16(uint16_t value) { append(bytes, value, 2, false); }
void ByteWriter::u32(uint32_t value) { append(bytes, value, 4, false); }
void ByteWriter::u64(uint64_t value) { append(bytes, value, 8, false); }
void ByteWriter::be32(uint32_t value) { append(bytes, value, 4, true); }
void ByteWriter::f32(float value) { u32(float_to_bits(value)); }
void ByteWriter::f64(double value) { u64(double_to_bits(value)); }

void ByteWriter::raw(const void* data, size_t size) {
    const uint8_t* in = static_cast<const uint8_t*>(data);
    bytes.insert(bytes.end(), in, in + size);
}

void ByteReader::fail(const std::string& reason) const { throw InputError(name_ + ": " + reason); }

void ByteReader::need(uint64_t count, const char* what) const {
    if (count > remaining()) fail(std::string("truncated (") + what + ")");
}

const uint8_t* ByteReader::take(size_t count, const char* what) {
    need(count, what);
    const uint8_t* p = data_ + position_;
    position_ += count;
    return p;
}

uint8_t ByteReader::u8() { return *take(1, "a byte"); }
uint32_t ByteReader::u32() { return read_le32(take(4, "a 32-bit field")); }
uint64_t ByteReader::u64() { return read_uint_le(take(8, "a 64-bit field"), 8); }
uint32_t ByteReader::be32() { return read_be32(take(4, "a 32-bit field")); }

uint64_t ByteReader::u64_at_most(uint64_t max, const char* what) {
    const uint64_t value = u64();
    if (value > max) fail(std::string(what) + " is " + std::to_string(value) + ", more than " + std::to_string(max));
    return value;
}

float ByteReader::f32() { return bits_to_float(u32()); }
double ByteReader::f64() { return bits_to_double(u64()); }

void ByteReader::skip(uint64_t count, const char* what) {
    need(count, what);
    position_ += static_cast<size_t>(count);  // at most remaining(), a size_t
}

}  // namespace mnist
