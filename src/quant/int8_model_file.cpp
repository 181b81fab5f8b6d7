// Encoding and decoding model-int8.bin with codec/byte_io.h, so the file is the same on any machine.
// The decoder checks every size in 64 bits against the file's length before it allocates, then every value
// against the limits the inference relies on. The format is the table in int8_model_file.h; see
// docs/13-quantisation.md.
#include "quant/int8_model_file.h"

#include <cstring>

#include "codec/byte_io.h"
#include "codec/checksum.h"
#include "nn/model_file.h"
#include "util/check.h"
#include "util/file.h"
#include "util/output_file.h"

namespace mnist {

namespace {

const char kMagic[8] = {'M', 'N', 'I', 'S', 'T', 'I', 'N', 'T'};
constexpr uint32_t kVersion = 1;

// Two's complement bytes back to signed values, without relying on how a narrowing cast behaves.
int32_t signed32(uint32_t bits) {
    return bits < 0x80000000u ? static_cast<int32_t>(bits) : -static_cast<int32_t>(~bits) - 1;
}
int signed8(uint8_t bits) { return bits < 0x80 ? bits : bits - 256; }

std::string str(uint64_t value) { return std::to_string(value); }

}  // namespace

ModelFileKind model_file_kind(const std::vector<uint8_t>& bytes) {
    if (has_model_magic(bytes)) return ModelFileKind::float32;
    if (bytes.size() >= 8 && std::memcmp(bytes.data(), kMagic, 8) == 0) return ModelFileKind::int8;
    return ModelFileKind::unknown;
}

std::vector<uint8_t> encode_int8_model(const Int8Model& model) {
    ByteWriter out;
    out.raw(kMagic, 8);
    out.u32(kVersion);
    out.u32(static_cast<uint32_t>(model.image_rows));
    out.u32(static_cast<uint32_t>(model.image_cols));
    write_layer_sizes(out, model.sizes());
    out.u8(static_cast<uint8_t>(model.scale_kind));
    out.u32(model.float_model_crc);
    for (const Int8Layer& layer : model.layers) {
        for (const int8_t w : layer.weights) out.u8(static_cast<uint8_t>(w));
        for (const int32_t b : layer.biases) out.u32(static_cast<uint32_t>(b));
        for (const uint32_t m : layer.multipliers) out.u32(m);
        for (const uint8_t s : layer.shifts) out.u8(s);
    }
    out.u32(crc32(out.bytes.data(), out.bytes.size()));
    return std::move(out.bytes);
}

Int8Model decode_int8_model(const std::vector<uint8_t>& bytes, const std::string& name) {
    ByteReader in(bytes.data(), bytes.size(), name);
    if (model_file_kind(bytes) != ModelFileKind::int8) {
        if (model_file_kind(bytes) == ModelFileKind::float32)
            in.fail("a float model (MNISTMLP), not an int8 one: make one with `mnist quantize`");
        in.fail("not an int8 model file (no MNISTINT magic)");
    }
    in.skip(8, "the magic");  // checked above
    const uint32_t version = in.u32();
    if (version != kVersion) in.fail("int8 model format version " + str(version) + ", this program reads 1");
    const uint64_t rows = in.u32(), cols = in.u32();
    // Every limit is checked in 64 bits before anything is allocated from it: model.bin's (nn/model_file.h),
    // then this format's own on inputs. Then the file must hold exactly what the sizes need.
    const std::vector<size_t> sizes = read_layer_sizes(in);
    uint64_t weights = 0, units = 0;
    for (size_t i = 0; i + 1 < sizes.size(); ++i) {
        if (sizes[i] > kMaxInt8Inputs)
            in.fail("layer " + str(i) + " has " + str(sizes[i]) + " units, more than the " + str(kMaxInt8Inputs) +
                    " inputs an int8 layer may have (its int32 sums could overflow)");
        weights += uint64_t{sizes[i]} * sizes[i + 1];  // at most kMaxParameters in all
        units += sizes[i + 1];
    }
    if (rows == 0 || cols == 0 || rows * cols != sizes[0])
        in.fail("image size " + str(rows) + "x" + str(cols) + " does not match " + str(sizes[0]) + " inputs");
    const uint64_t expected = in.position() + 5 + weights + 9 * units + 4;
    if (bytes.size() != expected)
        in.fail(str(bytes.size()) + " bytes, but its layer sizes need " + str(expected));
    if (read_le32(&bytes[bytes.size() - 4]) != crc32(bytes.data(), bytes.size() - 4))
        in.fail("CRC-32 mismatch: the file is damaged");

    Int8Model model;
    model.image_rows = static_cast<size_t>(rows);
    model.image_cols = static_cast<size_t>(cols);
    const uint8_t kind = in.u8();
    if (kind > 1) in.fail("weight scale kind " + str(kind) + " (expected 0, per row, or 1, per layer)");
    model.scale_kind = static_cast<ScaleKind>(kind);
    model.float_model_crc = in.u32();
    for (size_t l = 0; l + 1 < sizes.size(); ++l) {
        Int8Layer layer;
        layer.inputs = sizes[l];
        layer.outputs = sizes[l + 1];
        const std::string where = "layer " + str(l + 1) + " ";
        layer.weights.resize(layer.inputs * layer.outputs);
        for (size_t i = 0; i < layer.weights.size(); ++i) {
            const int w = signed8(in.u8());
            if (w == -128) in.fail(where + "weight " + str(i) + " is -128 (weights are symmetric: -127 to 127)");
            layer.weights[i] = static_cast<int8_t>(w);
        }
        layer.biases.resize(layer.outputs);
        for (size_t j = 0; j < layer.outputs; ++j) {
            const int32_t b = signed32(in.u32());
            if (b > kMaxInt8Bias || b < -kMaxInt8Bias)
                in.fail(where + "bias " + str(j) + " is " + std::to_string(b) + ", beyond +-2^30");
            layer.biases[j] = b;
        }
        layer.multipliers.resize(layer.outputs);
        for (size_t j = 0; j < layer.outputs; ++j) {
            const uint32_t m = in.u32();
            if (m >= kMaxMultiplier) in.fail(where + "multiplier " + str(j) + " is " + str(m) + ", not below 2^31");
            layer.multipliers[j] = m;
        }
        layer.shifts.resize(layer.outputs);
        for (size_t j = 0; j < layer.outputs; ++j) {
            const uint8_t s = in.u8();
            if (s < kMinShift || s > kMaxShift) in.fail(where + "shift " + str(j) + " is " + str(s) + ", not 1 to 62");
            layer.shifts[j] = s;
        }
        if (model.scale_kind == ScaleKind::per_tensor)
            for (size_t j = 1; j < layer.outputs; ++j)
                if (layer.multipliers[j] != layer.multipliers[0] || layer.shifts[j] != layer.shifts[0])
                    in.fail(where + "has one weight scale per layer, but row " + str(j) +
                            " has another multiplier or shift than row 0");
        model.layers.push_back(std::move(layer));
    }
    return model;
}

void save_int8_model(const std::string& path, const Int8Model& model) {
    write_file_atomic(path, encode_int8_model(model));
}

Int8Model load_int8_model(const std::string& path) {
    return decode_int8_model(read_file(path, kMaxInt8ModelFileBytes, "an int8 model file"), path);
}

}  // namespace mnist
