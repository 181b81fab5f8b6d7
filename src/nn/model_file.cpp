// Encoding and decoding model.bin with codec/byte_io.h, so the file is the same on any machine, and the one
// check of a network's layer sizes that every network file and `train --hidden` use. The format is the table
// in model_file.h; see docs/07-training.md.
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

// Why `count` layer sizes cannot make a network within the limits, or "".
std::string layer_count_problem(uint64_t count) {
    if (count < 2) return std::to_string(count) + " layer sizes (a network needs inputs and outputs)";
    if (count > kMaxLayerSizes)
        return std::to_string(count) + " layer sizes, more than the " + std::to_string(kMaxLayerSizes) +
               " a model can have (" + std::to_string(kMaxLayerSizes - 2) + " hidden layers)";
    return "";
}

}  // namespace

std::string model_size_problem(const std::vector<size_t>& sizes) {
    const std::string count_problem = layer_count_problem(sizes.size());
    if (!count_problem.empty()) return count_problem;
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

void write_layer_sizes(ByteWriter& out, const std::vector<size_t>& sizes) {
    out.u32(static_cast<uint32_t>(sizes.size()));
    for (const size_t size : sizes) out.u32(static_cast<uint32_t>(size));
}

std::vector<size_t> read_layer_sizes(ByteReader& in) {
    const uint32_t count = in.u32();
    const std::string count_problem = layer_count_problem(count);
    if (!count_problem.empty()) in.fail(count_problem);
    in.need(4 * uint64_t{count}, "the layer sizes are cut off");  // count <= kMaxLayerSizes from here on
    std::vector<size_t> sizes(count);
    for (size_t& size : sizes) size = in.u32();
    const std::string problem = model_size_problem(sizes);
    if (!problem.empty()) in.fail(problem);
    return sizes;
}

std::vector<uint8_t> encode_model(const Mlp& mlp, size_t image_rows, size_t image_cols) {
    const std::string problem = model_size_problem(mlp.layout.sizes);
    if (!problem.empty()) throw std::invalid_argument("encode_model: " + problem);
    ByteWriter out;
    out.bytes.reserve(24 + 4 * mlp.layout.sizes.size() + 4 * mlp.parameters.size() + 4);  // the whole file
    out.raw(kMagic, 8);
    out.u32(kVersion);
    out.u32(static_cast<uint32_t>(image_rows));
    out.u32(static_cast<uint32_t>(image_cols));
    write_layer_sizes(out, mlp.layout.sizes);
    for (const float value : mlp.parameters) out.f32(value);
    out.u32(crc32(out.bytes.data(), out.bytes.size()));
    return std::move(out.bytes);  // a member is not moved implicitly: without std::move, a copy
}

SavedModel decode_model(const std::vector<uint8_t>& bytes, const std::string& name) {
    ByteReader in(bytes.data(), bytes.size(), name);
    if (bytes.size() < 24 || std::memcmp(bytes.data(), kMagic, 8) != 0) in.fail("not a model file (no MNISTMLP magic)");
    in.skip(8, "the magic");
    const uint32_t version = in.u32();
    if (version != kVersion) in.fail("model format version " + std::to_string(version) + ", this program reads 1");
    const uint64_t rows = in.u32(), cols = in.u32();
    // The limits (model_file.h) are checked before anything is allocated from the sizes; then the file must
    // hold exactly what the sizes need. Products are 64-bit, so they cannot wrap where size_t has 32 bits.
    const std::vector<size_t> sizes = read_layer_sizes(in);
    if (rows == 0 || cols == 0 || rows * cols != sizes[0])
        in.fail("image size " + size_text(cols, rows) + " does not match " + std::to_string(sizes[0]) + " inputs");
    const ParameterLayout layout = make_parameter_layout(sizes);
    const uint64_t expected = in.position() + 4 * uint64_t{layout.total} + 4;
    if (bytes.size() != expected)
        in.fail(std::to_string(bytes.size()) + " bytes, but its layer sizes need " + std::to_string(expected));
    const uint32_t stored_crc = read_le32(&bytes[bytes.size() - 4]);
    if (stored_crc != crc32(bytes.data(), bytes.size() - 4)) in.fail("CRC-32 mismatch: the file is damaged");

    SavedModel model;
    model.image_rows = static_cast<size_t>(rows);
    model.image_cols = static_cast<size_t>(cols);
    model.mlp.layout = layout;
    model.mlp.parameters.resize(layout.total);
    for (size_t i = 0; i < layout.total; ++i) {
        const float value = in.f32();
        if (!std::isfinite(value)) in.fail("parameter " + std::to_string(i) + " is not a finite number");
        model.mlp.parameters[i] = flush_subnormal(value);  // model_file.h: subnormals are read as 0
    }
    return model;
}

void save_model(const std::string& path, const Mlp& mlp, size_t image_rows, size_t image_cols) {
    write_file_atomic(path, encode_model(mlp, image_rows, image_cols));
}

bool has_model_magic(const std::vector<uint8_t>& bytes) {
    return bytes.size() >= 8 && std::memcmp(bytes.data(), kMagic, 8) == 0;
}

SavedModel load_model(const std::string& path) {
    return decode_model(read_file(path, kMaxModelFileBytes, "a model file"), path);
}

}  // namespace mnist
