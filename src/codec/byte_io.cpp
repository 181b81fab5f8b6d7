// Byte-by-byte little-endian encoding and checked decoding.
#include "codec/byte_io.h"

#include "util/check.h"

namespace mnist {

void ByteWriter::u32(uint32_t value) {
    for (int shift = 0; shift < 32; shift += 8) bytes.push_back(static_cast<uint8_t>(value >> shift));
}

void ByteWriter::u64(uint64_t value) {
    for (int shift = 0; shift < 64; shift += 8) bytes.push_back(static_cast<uint8_t>(value >> shift));
}

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

uint8_t ByteReader::u8() {
    need(1, "a byte");
    return data_[position_++];
}

uint32_t ByteReader::u32() {
    need(4, "a 32-bit field");
    uint32_t value = 0;
    for (int i = 0; i < 4; ++i) value |= static_cast<uint32_t>(data_[position_++]) << (8 * i);
    return value;
}

uint64_t ByteReader::u64() {
    need(8, "a 64-bit field");
    uint64_t value = 0;
    for (int i = 0; i < 8; ++i) value |= static_cast<uint64_t>(data_[position_++]) << (8 * i);
    return value;
}

uint64_t ByteReader::u64_at_most(uint64_t max, const char* what) {
    const uint64_t value = u64();
    if (value > max) fail(std::string(what) + " is " + std::to_string(value) + ", more than " + std::to_string(max));
    return value;
}

float ByteReader::f32() { return bits_to_float(u32()); }

double ByteReader::f64() { return bits_to_double(u64()); }

}  // namespace mnist
