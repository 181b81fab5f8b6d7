// Checking and unpacking IDX files: every header field is read with shifts, the size the header promises
// is computed in 64 bits with overflow checks, and it must match the bytes present exactly. Not a
// general IDX reader (other element types are refused by name). Described in docs/01-data.md.
#include "data/idx.h"

#include <cstddef>
#include <cstdint>
#include <utility>

#include "codec/byte_io.h"
#include "codec/gzip.h"
#include "util/check.h"
#include "util/file.h"

namespace mnist {
namespace {

constexpr uint8_t kTypeUnsignedByte = 0x08;
constexpr size_t kMaxDims = 4;

// The element types the IDX format defines, for messages about the ones we do not read.
const char* idx_type_name(uint8_t type) {
    switch (type) {
        case 0x08: return "unsigned byte";
        case 0x09: return "signed byte";
        case 0x0B: return "16-bit integer";
        case 0x0C: return "32-bit integer";
        case 0x0D: return "32-bit float";
        case 0x0E: return "64-bit float";
        default: return "not an IDX type";
    }
}

std::string hex_byte(uint8_t value) {
    const char* digits = "0123456789ABCDEF";
    return std::string("0x") + digits[value >> 4] + digits[value & 15];
}

// "60000 x 28 x 28"
std::string dims_text(const std::vector<uint32_t>& dims) {
    std::string text;
    for (size_t i = 0; i < dims.size(); ++i) text += (i > 0 ? " x " : "") + std::to_string(dims[i]);
    return text;
}

}  // namespace

IdxArray parse_idx(std::vector<uint8_t> bytes, const std::string& name) {
    // Bytes 0-1 are zero, byte 2 is the element type, byte 3 the number of dimensions.
    if (bytes.size() < 4) {
        throw InputError(name + ": truncated IDX header (" + std::to_string(bytes.size()) +
                         " bytes; the header alone needs at least 8)");
    }
    if (bytes[0] != 0 || bytes[1] != 0) {
        throw InputError(name + ": not an IDX file (starts with " + hex_byte(bytes[0]) + " " +
                         hex_byte(bytes[1]) + ", expected 0x00 0x00)");
    }
    const uint8_t type = bytes[2];
    if (type != kTypeUnsignedByte) {
        throw InputError(name + ": IDX element type " + hex_byte(type) + " (" + idx_type_name(type) +
                         ") is not supported, only 0x08 (unsigned byte)");
    }
    const size_t dim_count = bytes[3];
    if (dim_count < 1 || dim_count > kMaxDims) {
        throw InputError(name + ": " + std::to_string(dim_count) + " dimensions, expected 1 to " +
                         std::to_string(kMaxDims));
    }

    // Then one 32-bit big-endian size per dimension.
    const size_t header_bytes = 4 + 4 * dim_count;
    if (bytes.size() < header_bytes) {
        throw InputError(name + ": truncated IDX header (" + std::to_string(bytes.size()) + " bytes; a " +
                         std::to_string(dim_count) + "-dimensional header needs " +
                         std::to_string(header_bytes) + ")");
    }
    IdxArray array;
    array.dims.resize(dim_count);
    for (size_t i = 0; i < dim_count; ++i) array.dims[i] = read_be32(&bytes[4 + 4 * i]);

    // The number of data bytes is the product of the dimensions: up to 4 x 32 bits, so it can overflow
    // even 64 bits. Nothing is allocated from it; it is only compared with what the file holds.
    uint64_t promised = 1;
    for (const uint32_t dim : array.dims) {
        if (dim != 0 && promised > UINT64_MAX / dim) {
            throw InputError(name + ": dimensions " + dims_text(array.dims) +
                             " multiply to more than 64 bits hold");
        }
        promised *= dim;
    }

    // The data must be exactly what the header promises: no shorter, and nothing after it.
    const uint64_t present = bytes.size() - header_bytes;
    if (present != promised) {
        throw InputError(name + ": " + std::to_string(promised) + " bytes of data promised (" +
                         dims_text(array.dims) + "), " + std::to_string(present) + " present");
    }

    bytes.erase(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(header_bytes));
    array.values = std::move(bytes);
    return array;
}

std::string find_idx_file(const std::string& dir, const std::string& base) {
    const std::string raw = (dir.empty() || dir.back() == '/') ? dir + base : dir + "/" + base;
    const std::string gz = raw + ".gz";
    if (file_exists(raw)) return raw;
    if (file_exists(gz)) return gz;
    throw InputError("cannot find " + raw + " or " + gz);
}

IdxArray read_idx_file(const std::string& path) {
    std::vector<uint8_t> bytes = read_file(path, kMaxIdxFileBytes, "an MNIST data file");
    if (is_gzip(bytes)) bytes = gunzip(bytes, path);  // the move-assignment frees the compressed bytes
    return parse_idx(std::move(bytes), path);
}

IdxArray load_idx(const std::string& dir, const std::string& base) {
    return read_idx_file(find_idx_file(dir, base));
}

}  // namespace mnist
