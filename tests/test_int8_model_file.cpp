// Tests for quant/int8_model_file (model-int8.bin): the documented little-endian layout byte by byte, a
// round trip in memory and through a file, and a one-line error naming the file for every damaged or crafted
// file: each flipped byte, each truncation, and one crafted header or value per check of the decoder (with
// its CRC made right, so that check and not the CRC must catch it). See docs/13-quantisation.md.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "check.h"
#include "codec/checksum.h"
#include "quant/int8_model.h"
#include "quant/int8_model_file.h"
#include "util/check.h"
#include "util/file.h"

using namespace mnist;

namespace {

void put_u32_at(std::vector<uint8_t>& bytes, size_t offset, uint32_t value) {
    for (int i = 0; i < 4; ++i) bytes[offset + i] = static_cast<uint8_t>(value >> (8 * i));
}

void fix_crc(std::vector<uint8_t>& bytes) { put_u32_at(bytes, bytes.size() - 4, crc32(bytes.data(), bytes.size() - 4)); }

// A 4-3-2 network on 2 x 2 images with hand-set values, the awkward ones included: weights -127 and 127, a
// negative bias at the limit, the largest multiplier, shifts 1 and 62.
Int8Model tiny_model() {
    Int8Model m;
    m.image_rows = 2;
    m.image_cols = 2;
    m.scale_kind = ScaleKind::per_row;
    m.float_model_crc = 0xCAFEF00Du;
    Int8Layer a;
    a.inputs = 4;
    a.outputs = 3;
    a.weights = {-127, 127, 0, 1, -1, 2, -2, 3, 50, -50, 100, -100};
    a.biases = {-kMaxInt8Bias, 0, 123456};
    a.multipliers = {0x7FFFFFFFu, 1u << 30, 0};
    a.shifts = {1, 31, 62};
    Int8Layer b;
    b.inputs = 3;
    b.outputs = 2;
    b.weights = {5, -6, 7, -8, 9, -10};
    b.biases = {kMaxInt8Bias, -1};
    b.multipliers = {1234567890u, 987654321u};
    b.shifts = {20, 40};
    m.layers = {a, b};
    return m;
}

// Where the fields of tiny_model() sit (int8_model_file.h): 24 + 3 sizes x 4 = 36, kind at 36, the float
// model's CRC at 37, layer 1 from 41: weights 12, biases 12, multipliers 12, shifts 3; layer 2 from 80:
// weights 6, biases 8, multipliers 8, shifts 2; the CRC at 104.
constexpr size_t kKind = 36, kFloatCrc = 37, kWeights1 = 41, kBiases1 = 53, kMultipliers1 = 65, kShifts1 = 77;
constexpr size_t kMultipliers2 = 94, kShifts2 = 102, kSize = 108;

#define CHECK_REJECTS(bytes, phrase) \
    check_error_message<InputError>([&] { decode_int8_model(bytes, "q.bin"); }, "q.bin", phrase, __FILE__, __LINE__)

bool same_model(const Int8Model& a, const Int8Model& b) {
    if (a.image_rows != b.image_rows || a.image_cols != b.image_cols || a.scale_kind != b.scale_kind ||
        a.float_model_crc != b.float_model_crc || a.layers.size() != b.layers.size())
        return false;
    for (size_t l = 0; l < a.layers.size(); ++l) {
        const Int8Layer &x = a.layers[l], &y = b.layers[l];
        if (x.inputs != y.inputs || x.outputs != y.outputs || x.weights != y.weights || x.biases != y.biases ||
            x.multipliers != y.multipliers || x.shifts != y.shifts)
            return false;
    }
    return true;
}

}  // namespace

int main() {
    const Int8Model tiny = tiny_model();
    const std::vector<uint8_t> bytes = encode_int8_model(tiny);
    CHECK(bytes.size() == kSize);

    // The layout, byte by byte.
    if (bytes.size() == kSize) {
        CHECK(std::memcmp(bytes.data(), "MNISTINT", 8) == 0);
        CHECK(bytes[8] == 1 && bytes[9] == 0 && bytes[10] == 0 && bytes[11] == 0);  // version 1
        CHECK(bytes[12] == 2 && bytes[16] == 2 && bytes[20] == 3);                   // 2 x 2 images, 3 sizes
        CHECK(bytes[24] == 4 && bytes[28] == 3 && bytes[32] == 2);
        CHECK(bytes[kKind] == 0);
        CHECK(bytes[kFloatCrc] == 0x0D && bytes[kFloatCrc + 1] == 0xF0 && bytes[kFloatCrc + 2] == 0xFE &&
              bytes[kFloatCrc + 3] == 0xCA);
        CHECK(bytes[kWeights1] == 0x81 && bytes[kWeights1 + 1] == 0x7F);  // -127, 127 in two's complement
        // -2^30 = 0xC0000000, low byte first; 123456 = 0x0001E240.
        CHECK(bytes[kBiases1] == 0 && bytes[kBiases1 + 1] == 0 && bytes[kBiases1 + 2] == 0 && bytes[kBiases1 + 3] == 0xC0);
        CHECK(bytes[kBiases1 + 8] == 0x40 && bytes[kBiases1 + 9] == 0xE2 && bytes[kBiases1 + 10] == 0x01);
        CHECK(bytes[kMultipliers1] == 0xFF && bytes[kMultipliers1 + 3] == 0x7F);
        CHECK(bytes[kShifts1] == 1 && bytes[kShifts1 + 1] == 31 && bytes[kShifts1 + 2] == 62);
        CHECK(bytes[kShifts2] == 20 && bytes[kShifts2 + 1] == 40);
        const uint32_t crc = crc32(bytes.data(), kSize - 4);
        CHECK(bytes[104] == (crc & 0xFF) && bytes[107] == (crc >> 24));
    }

    // Round trip in memory and through a file (written atomically).
    CHECK(same_model(decode_int8_model(bytes, "tiny"), tiny));
    CHECK(encode_int8_model(decode_int8_model(bytes, "tiny")) == bytes);
    {
        const std::string stamp = std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
        const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("mnist_test_int8_file_" + stamp);
        std::filesystem::create_directories(dir);
        const std::string path = (dir / "model-int8.bin").string();
        save_int8_model(path, tiny);
        CHECK(read_file(path, kMaxInt8ModelFileBytes, "an int8 model file") == bytes);
        CHECK(same_model(load_int8_model(path), tiny));
        check_error_message<InputError>([&] { load_int8_model((dir / "missing.bin").string()); },
                                        (dir / "missing.bin").string(), "cannot open", __FILE__, __LINE__);
        std::error_code ignored;
        std::filesystem::remove_all(dir, ignored);
    }
    CHECK(model_file_kind(bytes) == ModelFileKind::int8);
    CHECK(model_file_kind(std::vector<uint8_t>{'M', 'N', 'I', 'S', 'T', 'M', 'L', 'P', 1}) == ModelFileKind::float32);
    CHECK(model_file_kind(std::vector<uint8_t>{'M', 'N', 'I'}) == ModelFileKind::unknown);

    // Every flipped byte and every truncation is refused with an InputError naming the file.
    {
        size_t accepted = 0, unnamed = 0;
        for (size_t position = 0; position < bytes.size(); ++position)
            for (const uint8_t flip : {uint8_t{0x01}, uint8_t{0x80}, uint8_t{0xFF}}) {
                std::vector<uint8_t> damaged = bytes;
                damaged[position] ^= flip;
                try {
                    decode_int8_model(damaged, "damaged.bin");
                    ++accepted;
                } catch (const InputError& e) {
                    unnamed += std::string(e.what()).compare(0, 13, "damaged.bin: ") != 0;
                }
            }
        for (size_t length = 0; length < bytes.size(); ++length) {
            try {
                decode_int8_model(std::vector<uint8_t>(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(length)),
                                  "cut.bin");
                ++accepted;
            } catch (const InputError& e) {
                unnamed += std::string(e.what()).compare(0, 9, "cut.bin: ") != 0;
            }
        }
        CHECK(accepted == 0);
        CHECK(unnamed == 0);
    }

    // One crafted file per check, CRC made right.
    auto with = [&](size_t offset, uint32_t value, int width) {
        std::vector<uint8_t> b = bytes;
        for (int i = 0; i < width; ++i) b[offset + i] = static_cast<uint8_t>(value >> (8 * i));
        fix_crc(b);
        return b;
    };
    {
        std::vector<uint8_t> other = bytes;
        other[7] = 'X';
        CHECK_REJECTS(other, "no MNISTINT magic");
        std::vector<uint8_t> float_file = bytes;
        std::memcpy(float_file.data(), "MNISTMLP", 8);
        CHECK_REJECTS(float_file, "a float model (MNISTMLP)");
    }
    CHECK_REJECTS(with(8, 2, 4), "int8 model format version 2");
    CHECK_REJECTS(with(20, 1, 4), "1 layer sizes");
    CHECK_REJECTS(with(20, 65, 4), "65 layer sizes");
    CHECK_REJECTS(with(20, 0xFFFFFFFFu, 4), "layer sizes");
    CHECK_REJECTS(with(28, 0, 4), "layer 1 has 0 units");
    CHECK_REJECTS(with(32, (1u << 24) + 1, 4), "layer 2 has 16777217 units");
    CHECK_REJECTS(with(28, 1u << 16, 4), "more than the 32768 inputs");
    CHECK_REJECTS(with(12, 3, 4), "image size 3x2 does not match 4 inputs");
    CHECK_REJECTS(with(12, 0, 4), "image size 0x2");
    CHECK_REJECTS(with(12, 1u << 16, 4), "image size 65536x2");  // 2^17 x ... never wraps: 64-bit product
    CHECK_REJECTS(with(28, 4, 4), "bytes, but its layer sizes need");  // 4 units: more weights than the file has
    {
        std::vector<uint8_t> longer = bytes;
        longer.insert(longer.end() - 4, uint8_t{0});
        fix_crc(longer);
        CHECK_REJECTS(longer, "109 bytes, but its layer sizes need 108");
        std::vector<uint8_t> crc = bytes;
        crc[kWeights1 + 5] ^= 0x10;
        CHECK_REJECTS(crc, "CRC-32 mismatch");
    }
    CHECK_REJECTS(with(kKind, 2, 1), "weight scale kind 2");
    CHECK_REJECTS(with(kWeights1 + 2, 0x80, 1), "layer 1 weight 2 is -128");
    CHECK_REJECTS(with(kBiases1, static_cast<uint32_t>(-kMaxInt8Bias - 1), 4), "layer 1 bias 0 is -1073741825");
    CHECK_REJECTS(with(kBiases1 + 4, (1u << 30) + 1, 4), "layer 1 bias 1 is 1073741825");
    CHECK_REJECTS(with(kMultipliers2 + 4, 0x80000000u, 4), "layer 2 multiplier 1 is 2147483648");
    CHECK_REJECTS(with(kShifts1, 0, 1), "layer 1 shift 0 is 0");
    CHECK_REJECTS(with(kShifts2 + 1, 63, 1), "layer 2 shift 1 is 63");
    // A per-layer model must have one multiplier and shift per layer.
    {
        Int8Model per_tensor = tiny;
        per_tensor.scale_kind = ScaleKind::per_tensor;
        for (Int8Layer& layer : per_tensor.layers) {
            layer.multipliers.assign(layer.outputs, 1u << 30);
            layer.shifts.assign(layer.outputs, 31);
        }
        const std::vector<uint8_t> good = encode_int8_model(per_tensor);
        CHECK(same_model(decode_int8_model(good, "q.bin"), per_tensor));
        std::vector<uint8_t> bad = good;
        bad[kShifts1 + 2] = 30;
        fix_crc(bad);
        CHECK_REJECTS(bad, "layer 1 has one weight scale per layer, but row 2 has another multiplier or shift");
    }
    return check_exit("test_int8_model_file");
}
