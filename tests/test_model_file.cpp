// Tests for nn/model_file (model.bin): a bit-exact round trip in memory and through a file; the documented
// little-endian layout byte by byte; and rejection of every damaged or crafted file: each flipped byte,
// each truncation, bad magic, version, sizes, image shape, non-finite parameters, trailing bytes.
// Not training (tests/test_training.cpp) or the eval command (tests/test_cli.cpp). See docs/07-training.md.
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "check.h"
#include "codec/checksum.h"
#include "nn/mlp.h"
#include "nn/model_file.h"
#include "util/check.h"
#include "util/file.h"

using namespace mnist;

namespace {

uint32_t bits_of(float value) {
    uint32_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    return bits;
}

void put_u32_at(std::vector<uint8_t>& bytes, size_t offset, uint32_t value) {
    for (int i = 0; i < 4; ++i) bytes[offset + i] = static_cast<uint8_t>(value >> (8 * i));
}

uint32_t u32_at(const std::vector<uint8_t>& bytes, size_t offset) {
    uint32_t value = 0;
    for (int i = 0; i < 4; ++i) value |= static_cast<uint32_t>(bytes[offset + i]) << (8 * i);
    return value;
}

// After editing a file's body, writes a correct CRC-32 over it into the last 4 bytes, so that only the
// check under test (not the CRC) can reject it.
void fix_crc(std::vector<uint8_t>& bytes) {
    put_u32_at(bytes, bytes.size() - 4, crc32(bytes.data(), bytes.size() - 4));
}

bool decodes(const std::vector<uint8_t>& bytes) {
    try {
        decode_model(bytes, "test.bin");
        return true;
    } catch (const InputError&) {
        return false;
    }
}

// The message of the InputError decode_model throws, or "" if it throws none (or another type).
std::string rejection(const std::vector<uint8_t>& bytes) {
    try {
        decode_model(bytes, "test.bin");
    } catch (const InputError& e) {
        return e.what();
    } catch (...) {
    }
    return "";
}

bool mentions(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A small model: sizes {4, 3, 2} (2 x 2 images), 4*3 + 3 + 3*2 + 2 = 23 parameters, with hand-set values
// including the awkward ones a text format would lose: -0.0, the smallest normal float, FLT_MAX. (A
// subnormal is written as it is but read as 0: model_file.h; checked below.)
Mlp tiny_model() {
    Mlp mlp = make_mlp({4, 3, 2}, 1);
    for (size_t i = 0; i < mlp.parameters.size(); ++i) mlp.parameters[i] = 0.125f * static_cast<float>(i) - 1.0f;
    mlp.parameters[0] = -2.5f;  // bits 0xC0200000: stored as 00 00 20 C0
    mlp.parameters[1] = -0.0f;
    mlp.parameters[2] = std::numeric_limits<float>::min();
    mlp.parameters[3] = std::numeric_limits<float>::max();
    mlp.parameters[22] = 1.0f;  // the last parameter, bits 0x3F800000
    return mlp;
}

}  // namespace

int main() {
    const Mlp tiny = tiny_model();
    CHECK(tiny.parameters.size() == 23);
    const std::vector<uint8_t> bytes = encode_model(tiny, 2, 2);
    // 24 header bytes + 3 sizes * 4 + 23 parameters * 4 + 4 CRC bytes = 132.
    CHECK(bytes.size() == 132);

    // ---------------------------------------------------------------------------------------------------
    // The layout is the documented little-endian one, whatever the machine: look at specific bytes.
    if (bytes.size() == 132) {
        CHECK(std::memcmp(bytes.data(), "MNISTMLP", 8) == 0);
        const uint8_t version[4] = {0x01, 0x00, 0x00, 0x00};
        CHECK(std::memcmp(&bytes[8], version, 4) == 0);
        const uint8_t two[4] = {0x02, 0x00, 0x00, 0x00};
        CHECK(std::memcmp(&bytes[12], two, 4) == 0);  // image rows
        CHECK(std::memcmp(&bytes[16], two, 4) == 0);  // image columns
        const uint8_t three[4] = {0x03, 0x00, 0x00, 0x00};
        CHECK(std::memcmp(&bytes[20], three, 4) == 0);  // 3 layer sizes
        CHECK(bytes[24] == 4 && bytes[28] == 3 && bytes[32] == 2);
        CHECK(bytes[25] == 0 && bytes[26] == 0 && bytes[27] == 0);
        // Parameter 0 = -2.5f = 0xC0200000, low byte first.
        const uint8_t minus_two_and_a_half[4] = {0x00, 0x00, 0x20, 0xC0};
        CHECK(std::memcmp(&bytes[36], minus_two_and_a_half, 4) == 0);
        // Parameter 1 = -0.0f = 0x80000000; parameter 22 (the last) = 1.0f = 0x3F800000 at 36 + 88 = 124.
        const uint8_t minus_zero[4] = {0x00, 0x00, 0x00, 0x80};
        CHECK(std::memcmp(&bytes[40], minus_zero, 4) == 0);
        const uint8_t one[4] = {0x00, 0x00, 0x80, 0x3F};
        CHECK(std::memcmp(&bytes[124], one, 4) == 0);
        // The CRC-32 of bytes 0..127, low byte first.
        const uint32_t crc = crc32(bytes.data(), 128);
        CHECK(bytes[128] == (crc & 0xFF) && bytes[129] == ((crc >> 8) & 0xFF) && bytes[130] == ((crc >> 16) & 0xFF) &&
              bytes[131] == (crc >> 24));
    }

    // ---------------------------------------------------------------------------------------------------
    // Round trip: decode(encode(model)) has the same sizes, image shape and every parameter bit-exact.
    {
        const SavedModel back = decode_model(bytes, "tiny");
        CHECK(back.image_rows == 2 && back.image_cols == 2);
        CHECK(back.mlp.layout.sizes == tiny.layout.sizes);
        CHECK(back.mlp.layout.total == 23);
        CHECK(same_bits(back.mlp.parameters, tiny.parameters));
        CHECK(bits_of(back.mlp.parameters[1]) == 0x80000000u);  // -0.0 stays -0.0
        CHECK(back.mlp.parameters[2] == std::numeric_limits<float>::min());
        CHECK(encode_model(back.mlp, back.image_rows, back.image_cols) == bytes);
        // A subnormal parameter (as files written before 2026-11-28 hold) is stored bit for bit and read as 0
        // (of its sign, as -0.0 is kept).
        Mlp old = tiny;
        old.parameters[2] = -std::numeric_limits<float>::denorm_min();
        const std::vector<uint8_t> old_bytes = encode_model(old, 2, 2);
        const uint8_t smallest_negative[4] = {0x01, 0x00, 0x00, 0x80};
        CHECK(std::memcmp(&old_bytes[44], smallest_negative, 4) == 0);
        const SavedModel flushed = decode_model(old_bytes, "old");
        CHECK(bits_of(flushed.mlp.parameters[2]) == 0x80000000u && flushed.mlp.parameters[3] == old.parameters[3]);
    }
    // The report's network, 784-512-256-128-10 for 28 x 28 images, freshly initialised: 567,434 parameters
    // (784*512 + 512 = 401,920; 512*256 + 256 = 131,328; 256*128 + 128 = 32,896; 128*10 + 10 = 1,290).
    // Image rows and columns are kept apart (28 x 28 vs, say, 14 x 56 is the file's business).
    {
        const Mlp big = make_mlp({784, 512, 256, 128, 10}, 42);
        CHECK(big.parameters.size() == 567434);
        const std::vector<uint8_t> big_bytes = encode_model(big, 28, 28);
        CHECK(big_bytes.size() == 24 + 5 * 4 + 567434 * 4 + 4);
        const SavedModel back = decode_model(big_bytes, "big");
        CHECK(back.mlp.layout.sizes == big.layout.sizes);
        CHECK(back.image_rows == 28 && back.image_cols == 28);
        CHECK(same_bits(back.mlp.parameters, big.parameters));
        const SavedModel wide = decode_model(encode_model(big, 14, 56), "wide");
        CHECK(wide.image_rows == 14 && wide.image_cols == 56);
        // No hidden layers at all: a softmax regression, sizes {4, 2}.
        const Mlp flat = make_mlp({4, 2}, 3);
        const SavedModel flat_back = decode_model(encode_model(flat, 1, 4), "flat");
        CHECK(flat_back.mlp.layout.sizes == flat.layout.sizes);
        CHECK(same_bits(flat_back.mlp.parameters, flat.parameters));
    }

    // Through a file: save_model then load_model in the system's temporary folder. The write is atomic, so
    // no ".partial" file is left behind. A missing file is an InputError naming it.
    {
        const std::string stamp = std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
        const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("mnist_test_model_file_" + stamp);
        std::filesystem::create_directories(dir);
        const std::string path = (dir / "model.bin").string();
        save_model(path, tiny, 2, 2);
        CHECK(std::filesystem::exists(path));
        CHECK(std::filesystem::file_size(path) == 132);
        CHECK(!std::filesystem::exists(path + ".partial"));
        CHECK(read_file(path, 1000, "a model") == bytes);
        const SavedModel loaded = load_model(path);
        CHECK(loaded.mlp.layout.sizes == tiny.layout.sizes);
        CHECK(loaded.image_rows == 2 && loaded.image_cols == 2);
        CHECK(same_bits(loaded.mlp.parameters, tiny.parameters));
        // Saving again over an existing file replaces it.
        Mlp changed = tiny;
        changed.parameters[5] = 42.0f;
        save_model(path, changed, 2, 2);
        CHECK(load_model(path).mlp.parameters[5] == 42.0f);
        const std::string missing = (dir / "no-such-model.bin").string();
        CHECK_THROWS(InputError, load_model(missing));
        try {
            load_model(missing);
        } catch (const InputError& e) {
            CHECK(mentions(e.what(), "no-such-model.bin"));
        }
        std::error_code ignored;
        std::filesystem::remove_all(dir, ignored);
    }

    // ---------------------------------------------------------------------------------------------------
    // Every single damaged byte is caught: each of the 132 positions XORed with 0x01, 0x80 and 0xFF must
    // make decode_model throw InputError (a header check or the CRC-32, which detects every error confined
    // to 32 consecutive bits). The undamaged file must decode, or this loop would prove nothing.
    CHECK(decodes(bytes));
    {
        size_t accepted = 0, wrong_type = 0;
        for (size_t position = 0; position < bytes.size(); ++position) {
            for (const uint8_t flip : {uint8_t{0x01}, uint8_t{0x80}, uint8_t{0xFF}}) {
                std::vector<uint8_t> damaged = bytes;
                damaged[position] ^= flip;
                try {
                    decode_model(damaged, "damaged.bin");
                    ++accepted;
                    std::fprintf(stderr, "accepted a flip of byte %zu by 0x%02X\n", position, flip);
                } catch (const InputError& e) {
                    if (!mentions(e.what(), "damaged.bin")) ++wrong_type;  // every message names the file
                } catch (...) {
                    ++wrong_type;
                    std::fprintf(stderr, "byte %zu flipped by 0x%02X: not an InputError\n", position, flip);
                }
            }
        }
        CHECK(accepted == 0);
        CHECK(wrong_type == 0);
    }
    // Truncation at every length from 0 to 131 bytes is caught (and never reads past the end: run under
    // the address sanitizer to see that part).
    {
        size_t accepted = 0;
        for (size_t length = 0; length < bytes.size(); ++length) {
            const std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(length));
            std::string message = rejection(cut);
            if (message.empty()) {
                ++accepted;
                std::fprintf(stderr, "truncation to %zu bytes not rejected as InputError\n", length);
            }
        }
        CHECK(accepted == 0);
    }

    // ---------------------------------------------------------------------------------------------------
    // Crafted headers. Each has its CRC recomputed, so it is the header check that must reject it.
    {
        // Wrong magic ("MNISTMLQ"), and a file of some other kind altogether.
        std::vector<uint8_t> magic = bytes;
        magic[7] = 'Q';
        fix_crc(magic);
        CHECK(mentions(rejection(magic), "magic"));
        CHECK(!rejection(std::vector<uint8_t>(132, 0)).empty());

        // Version 2 (a future format) and version 0.
        std::vector<uint8_t> version = bytes;
        put_u32_at(version, 8, 2);
        fix_crc(version);
        CHECK(mentions(rejection(version), "version 2"));
        put_u32_at(version, 8, 0);
        fix_crc(version);
        CHECK(!rejection(version).empty());
        // The version is little-endian: 01 00 00 00 is 1, 00 00 00 01 is 16,777,216, not 1.
        std::vector<uint8_t> big_endian_version = bytes;
        put_u32_at(big_endian_version, 8, 0x01000000u);
        fix_crc(big_endian_version);
        CHECK(!rejection(big_endian_version).empty());

        // A zero layer size, in the middle and at each end.
        for (const size_t which : {0, 1, 2}) {
            std::vector<uint8_t> zero = bytes;
            put_u32_at(zero, 24 + 4 * which, 0);
            fix_crc(zero);
            CHECK(!rejection(zero).empty());
        }

        // Size counts 1 and 65 (allowed: 2 to 64), and a huge count that must not make it allocate or read
        // past the end.
        for (const uint32_t count : {0u, 1u, 65u, 0xFFFFFFFFu}) {
            std::vector<uint8_t> wrong_count = bytes;
            put_u32_at(wrong_count, 20, count);
            fix_crc(wrong_count);
            CHECK(!rejection(wrong_count).empty());
        }
        // The limits 2..64 themselves, on files whose length really matches their count, so that only the
        // count check can decide: 64 sizes of 1 unit (63 layers of one weight and one bias, 1 x 1 images) is
        // accepted; 65 sizes is refused.
        for (const uint32_t count : {64u, 65u}) {
            std::vector<uint8_t> chain(bytes.begin(), bytes.begin() + 8);  // the magic
            for (const uint32_t field : {1u, 1u, 1u, count}) {             // version, rows, columns, count
                chain.resize(chain.size() + 4);
                put_u32_at(chain, chain.size() - 4, field);
            }
            for (uint32_t i = 0; i < count; ++i) {                         // every layer size is 1
                chain.resize(chain.size() + 4);
                put_u32_at(chain, chain.size() - 4, 1);
            }
            chain.resize(chain.size() + 4 * 2 * (count - 1) + 4);           // parameters (all 0.0f) and CRC
            fix_crc(chain);
            if (count == 64) {
                CHECK(decodes(chain));
                if (decodes(chain)) CHECK(decode_model(chain, "chain").mlp.layers() == 63);
            } else {
                CHECK(mentions(rejection(chain), "layer sizes"));
            }
        }
        // Issue 15, item 3: the writer has the reader's limits (nn/model_file.h's model_size_problem), so
        // nothing is written that cannot be read back: 64 sizes are encoded and decoded, 65 are refused by
        // both; a parameter count at the limit is fine and one past it refused, in words naming the limit.
        CHECK(model_size_problem(std::vector<size_t>(64, 1)).empty());
        CHECK(mentions(model_size_problem(std::vector<size_t>(65, 1)), "65 layer sizes, more than the 64"));
        CHECK(mentions(model_size_problem({1, 16384, 16384, 2}), "parameters, more than the 268435456"));
        CHECK(model_size_problem({16383, 16383, 1}).empty());  // 16383 x 16384 + 16384 + 1 < 2^28
        CHECK(mentions(model_size_problem({4, 0, 2}), "layer 1 has 0 units"));
        CHECK(mentions(model_size_problem({4, (size_t{1} << 24) + 1, 2}), "units"));
        {
            const Mlp chain64 = make_mlp(std::vector<size_t>(64, 1), 3);
            CHECK(decodes(encode_model(chain64, 1, 1)));
            const Mlp chain65 = make_mlp(std::vector<size_t>(65, 1), 3);
            CHECK_THROWS(std::invalid_argument, encode_model(chain65, 1, 1));
        }
        // A count of 1 in a file really laid out with one size: {4}, still rejected (no layers).
        {
            std::vector<uint8_t> one_size(bytes.begin(), bytes.begin() + 28);  // header + the size 4
            put_u32_at(one_size, 20, 1);
            one_size.resize(one_size.size() + 4);
            fix_crc(one_size);
            CHECK(mentions(rejection(one_size), "layer sizes"));
        }

        // Image shape that does not multiply to the first layer size: 3 x 2 = 6 != 4, 4 x 4 = 16 != 4,
        // 0 x 4, and 1 x 4 (= 4, accepted: the shape is the file's to choose).
        for (const uint32_t rows_cols : {0x0302u, 0x0404u, 0x0004u, 0x0104u}) {
            std::vector<uint8_t> shape = bytes;
            put_u32_at(shape, 12, rows_cols >> 8);
            put_u32_at(shape, 16, rows_cols & 0xFF);
            fix_crc(shape);
            if (rows_cols == 0x0104u) {
                CHECK(decodes(shape));
                if (decodes(shape)) CHECK(decode_model(shape, "s").image_rows == 1);
            } else {
                CHECK(mentions(rejection(shape), "image size"));
            }
        }
        // Rows x columns overflowing 32 bits: 2 x (2^31 + 2) = 2^32 + 4, which 32-bit arithmetic would wrap
        // to exactly the first layer size, 4. It must be computed in 64 bits and refused.
        {
            std::vector<uint8_t> wrap = bytes;
            put_u32_at(wrap, 12, 2);
            put_u32_at(wrap, 16, 0x80000002u);
            fix_crc(wrap);
            CHECK(mentions(rejection(wrap), "image size"));
        }

        // A layer size absurdly large (2^31): the check must come before any allocation.
        {
            std::vector<uint8_t> huge = bytes;
            put_u32_at(huge, 28, 0x80000000u);
            fix_crc(huge);
            CHECK(!rejection(huge).empty());
        }
        // Layer sizes that ask for a different number of parameters than the file holds: {4, 4, 2} needs
        // 30 parameters, the file has 23.
        {
            std::vector<uint8_t> more = bytes;
            put_u32_at(more, 28, 4);
            fix_crc(more);
            CHECK(!rejection(more).empty());
        }

        // Non-finite parameters with a valid CRC: NaN, +infinity, -infinity at the first and last
        // positions. The CRC only proves the bytes are what was written; these must still be refused.
        for (const uint32_t bad : {0x7FC00000u, 0x7F800001u, 0x7F800000u, 0xFF800000u}) {
            for (const size_t index : {size_t{0}, size_t{22}}) {
                std::vector<uint8_t> non_finite = bytes;
                put_u32_at(non_finite, 36 + 4 * index, bad);
                fix_crc(non_finite);
                CHECK(mentions(rejection(non_finite), "finite"));
            }
        }

        // Trailing bytes: after the CRC (one byte, or four); or inside, with the CRC recomputed over them.
        std::vector<uint8_t> trailing = bytes;
        trailing.push_back(0);
        CHECK(!rejection(trailing).empty());
        trailing.insert(trailing.end(), {0, 0, 0});
        CHECK(!rejection(trailing).empty());
        std::vector<uint8_t> padded = bytes;
        padded.insert(padded.end() - 4, {0, 0, 0, 0});
        fix_crc(padded);
        CHECK(!rejection(padded).empty());

        // A wrong CRC on an otherwise perfect file names the CRC.
        std::vector<uint8_t> crc = bytes;
        put_u32_at(crc, 128, u32_at(crc, 128) + 1);
        CHECK(mentions(rejection(crc), "CRC"));
    }

    return check_exit("test_model_file");
}
