// Encoding and decoding model.bin byte by byte with shifts, so the file is the same on any machine.
// The format is the table in model_file.h; see docs/07-training.md.
#include "nn/model_file.h"

#include <cmath>
#include <cstring>
#include <stdexcept>

#include "codec/checksum.h"
#include "codec/image.h"
#include "util/check.h"
#include "util/file.h"
#include "util/output_file.h"
#include "util/subnormal.h"

namespace mnist {

namespace {

const char kMagic[8] = {'M', 'N', 'I', 'S', 'T', 'M', 'L', 'P'};
constexpr uint32_t kVersion = 1;

void put_u32(std::vector<uint8_t>& out, uint32_t value) {
    for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<uint8_t>(value >> shift));
}

uint32_t get_u32(const uint8_t* in) {
    return static_cast<uint32_t>(in[0]) | static_cast<uint32_t>(in[1]) << 8 | static_cast<uint32_t>(in[2]) << 16 |
           static_cast<uint32_t>(in[3]) << 24;
}

uint32_t float_bits(float value) {
    uint32_t bits;
    std::memcpy(&bits, &value, sizeof bits);  // the portable way to see a float's bit pattern
    return bits;
}

float bits_float(uint32_t bits) {
    float value;
    std::memcpy(&value, &bits, sizeof value);
    return value;
}

}  // namespace

std::string model_size_problem(const std::vector<size_t>& sizes) {
    if (sizes.size() < 2) return std::to_string(sizes.size()) + " layer sizes (a network needs inputs and outputs)";
    if (sizes.size() > kMaxLayerSizes)
        return std::to_string(sizes.size()) + " layer sizes, more than the " + std::to_string(kMaxLayerSizes) +
               " a model can have (" + std::to_string(kMaxLayerSizes - 2) + " hidden layers)";
    uint64_t parameters = 0;
    for (size_t i = 0; i < sizes.size(); ++i) {
        const uint64_t units = sizes[i];
        if (units == 0 || units > kMaxUnits)
            return "layer " + std::to_string(i) + " has " + std::to_string(units) + " units (1 to " +
                   std::to_string(kMaxUnits) + ")";
        if (i > 0) parameters += units * sizes[i - 1] + units;  // each term < 2^49, at most 63 terms: no overflow
    }
    if (parameters > kMaxParameters)
        return std::to_string(parameters) + " parameters, more than the " + std::to_string(kMaxParameters) +
               " a model can have";
    return "";
}

std::vector<uint8_t> encode_model(const Mlp& mlp, size_t image_rows, size_t image_cols) {
    const std::string problem = model_size_problem(mlp.layout.sizes);
    if (!problem.empty()) throw std::invalid_argument("encode_model: " + problem);
    std::vector<uint8_t> out(kMagic, kMagic + 8);
    put_u32(out, kVersion);
    put_u32(out, static_cast<uint32_t>(image_rows));
    put_u32(out, static_cast<uint32_t>(image_cols));
    put_u32(out, static_cast<uint32_t>(mlp.layout.sizes.size()));
    for (const size_t size : mlp.layout.sizes) put_u32(out, static_cast<uint32_t>(size));
    for (const float value : mlp.parameters) put_u32(out, float_bits(value));
    put_u32(out, crc32(out.data(), out.size()));
    return out;
}

SavedModel decode_model(const std::vector<uint8_t>& bytes, const std::string& name) {
    auto fail = [&](const std::string& reason) { return InputError(name + ": " + reason); };
    if (bytes.size() < 24 || std::memcmp(bytes.data(), kMagic, 8) != 0)
        throw fail("not a model file (no MNISTMLP magic)");
    const uint32_t version = get_u32(&bytes[8]);
    if (version != kVersion) throw fail("model format version " + std::to_string(version) + ", this program reads 1");
    const uint64_t rows = get_u32(&bytes[12]), cols = get_u32(&bytes[16]), size_count = get_u32(&bytes[20]);
    if (size_count < 2 || size_count > kMaxLayerSizes)
        throw fail(std::to_string(size_count) + " layer sizes (expected 2 to " + std::to_string(kMaxLayerSizes) + ")");
    // Limits (model_file.h), checked before anything is allocated from them: at most kMaxLayerSizes sizes, each 1 to
    // kMaxUnits, at most kMaxParameters in all, and the file must hold exactly what the sizes need. Sums and
    // products are 64-bit, so they cannot wrap where size_t has 32 bits; the offsets kept as size_t are
    // below the file's length.
    const size_t header = 24 + 4 * static_cast<size_t>(size_count);  // at most 280
    if (bytes.size() < header + 4) throw fail("truncated (the layer sizes are cut off)");
    std::vector<size_t> sizes;
    uint64_t parameters = 0;
    for (size_t i = 0; i < size_count; ++i) {
        const uint64_t units = get_u32(&bytes[24 + 4 * i]);
        if (units == 0 || units > kMaxUnits) throw fail("layer " + std::to_string(i) + " has " + std::to_string(units) + " units");
        if (i > 0) parameters += units * sizes.back() + units;  // each term < 2^49: no overflow
        if (parameters > kMaxParameters) throw fail("too many parameters");
        sizes.push_back(static_cast<size_t>(units));
    }
    if (rows == 0 || cols == 0 || rows * cols != sizes[0])
        throw fail("image size " + size_text(cols, rows) + " does not match " + std::to_string(sizes[0]) + " inputs");
    const uint64_t expected = header + 4 * parameters + 4;
    if (bytes.size() != expected)
        throw fail(std::to_string(bytes.size()) + " bytes, but its layer sizes need " + std::to_string(expected));
    const uint32_t stored_crc = get_u32(&bytes[bytes.size() - 4]);
    const uint32_t computed_crc = crc32(bytes.data(), bytes.size() - 4);
    if (stored_crc != computed_crc) throw fail("CRC-32 mismatch: the file is damaged");

    SavedModel model;
    model.image_rows = static_cast<size_t>(rows);
    model.image_cols = static_cast<size_t>(cols);
    model.mlp.layout = make_parameter_layout(sizes);
    model.mlp.parameters.resize(model.mlp.layout.total);
    for (size_t i = 0; i < model.mlp.parameters.size(); ++i) {
        const float value = bits_float(get_u32(&bytes[header + 4 * i]));
        if (!std::isfinite(value)) throw fail("parameter " + std::to_string(i) + " is not a finite number");
        model.mlp.parameters[i] = flush_subnormal(value);  // model_file.h: subnormals are read as 0
    }
    return model;
}

void save_model(const std::string& path, const Mlp& mlp, size_t image_rows, size_t image_cols) {
    write_file_atomic(path, encode_model(mlp, image_rows, image_cols));
}

SavedModel load_model(const std::string& path) {
    return decode_model(read_file(path, kMaxModelFileBytes, "a model file"), path);
}

}  // namespace mnist
