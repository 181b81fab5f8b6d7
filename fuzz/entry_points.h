// What each fuzz harness does with its input, shared by the harnesses (fuzz/fuzz_*.cpp) and by the
// ordinary test that replays their corpora (tests/test_fuzz_regressions.cpp), so both run the same code.
// Each function feeds the bytes to one parser and checks what a success returned; the parser refusing
// the bytes with InputError is expected. A broken check throws std::logic_error: a finding, like a crash.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "data/gzip.h"
#include "data/idx.h"
#include "data/image.h"
#include "data/inflate.h"
#include "data/png_reader.h"
#include "data/pnm_reader.h"
#include "nn/model_file.h"
#include "quant/int8_model.h"
#include "quant/int8_model_file.h"
#include "train/checkpoint.h"
#include "util/check.h"
#include "util/checksum.h"

namespace fuzz {

// The inflate harness decodes into a buffer of this many bytes: the size of DEFLATE's window, so that
// streams reaching the back-reference limit fit, and small enough that libFuzzer's short inputs can fill
// it (258 bytes per 2-bit length/distance pair) and reach the output_full paths.
constexpr size_t kInflateCapacity = 32768;

inline void require(bool ok, const char* what) {
    if (!ok) throw std::logic_error(std::string("fuzz check failed: ") + what);
}

inline uint32_t le32(const uint8_t* p) {
    return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

// gunzip (RFC 1952 around RFC 1951). A success must match the trailer: ISIZE is the output's length
// and CRC32 its CRC-32 (gunzip checks both; this checks that it did).
inline void gunzip_entry(const uint8_t* data, size_t size) {
    const std::vector<uint8_t> file(data, data + size);
    const std::vector<uint8_t> out = mnist::gunzip(file, "fuzz.gz");
    require(size >= 18, "gunzip accepted a file shorter than a gzip header and trailer");
    require(out.size() == le32(data + size - 4), "output length differs from ISIZE");
    require(mnist::crc32(out.data(), out.size()) == le32(data + size - 8), "output CRC-32 differs from CRC32");
}

// Raw inflate into a fixed kInflateCapacity-byte buffer. inflate reports by its result; a result other
// than ok is turned into InputError here, so that every entry point refuses the same way. Whatever the
// result, inflate may not claim more output than the buffer or more input than given. When the stream
// decodes (n bytes), decoding it again into exactly n bytes must give the same bytes, and into n - 1
// bytes must stop with output_full: the capacity checks are exact.
inline void inflate_entry(const uint8_t* data, size_t size) {
    std::vector<uint8_t> out(kInflateCapacity);
    size_t produced = 0, used = 0;
    const mnist::InflateResult r = mnist::inflate(out.data(), out.size(), &produced, data, size, &used);
    require(produced <= out.size(), "inflate reports more output than the buffer holds");
    require(used <= size, "inflate reports reading past the input");
    if (r != mnist::InflateResult::ok) {
        throw mnist::InputError(std::string("fuzz.deflate: ") + mnist::inflate_message(r));
    }

    std::vector<uint8_t> exact(produced);
    size_t produced2 = 0, used2 = 0;
    require(mnist::inflate(exact.data(), exact.size(), &produced2, data, size, &used2) == mnist::InflateResult::ok,
            "a stream that decodes into a large buffer fails in one of exactly its size");
    require(produced2 == produced && used2 == used, "a second decode gives other lengths");
    require(exact.empty() || std::equal(exact.begin(), exact.end(), out.begin()), "a second decode gives other bytes");
    if (produced > 0) {
        std::vector<uint8_t> short_by_one(produced - 1);
        require(mnist::inflate(short_by_one.data(), short_by_one.size(), &produced2, data, size, &used2) ==
                    mnist::InflateResult::output_full,
                "a buffer one byte short does not give output_full");
    }
}

// parse_idx: a success has 1 to 4 dimensions whose product is the number of values.
inline void idx_entry(const uint8_t* data, size_t size) {
    const mnist::IdxArray array = mnist::parse_idx(std::vector<uint8_t>(data, data + size), "fuzz-idx");
    require(!array.dims.empty() && array.dims.size() <= 4, "dimension count out of range");
    uint64_t product = 1;
    for (const uint32_t dim : array.dims) product *= dim;
    require(product == array.values.size(), "values do not fill the dimensions");
    require(array.values.size() + 4 + 4 * array.dims.size() == size, "header and data do not add up to the file");
}

inline void put_le32(std::vector<uint8_t>& bytes, size_t at, uint32_t value) {
    for (int i = 0; i < 4; ++i) bytes[at + i] = static_cast<uint8_t>(value >> (8 * i));
}
inline void put_be32(std::vector<uint8_t>& bytes, size_t at, uint32_t value) {
    for (int i = 0; i < 4; ++i) bytes[at + i] = static_cast<uint8_t>(value >> (24 - 8 * i));
}

// Runs `check` on `first`, where InputError is expected, then on `second`, letting InputError out: the
// harnesses that try a file as given and then its repaired twin.
template <typename Check>
void on_both(const std::vector<uint8_t>& first, const std::vector<uint8_t>& second, Check check) {
    try {
        check(first);
    } catch (const mnist::InputError&) {
    }
    check(second);
}

// A copy of a file whose last 4 bytes are a little-endian CRC-32 of the rest (model.bin, checkpoint.bin)
// with that CRC made right. A mutated file nearly always fails its CRC first; its repaired twin gets past
// it, to the checks behind (parameters, training state), which the fuzzer would otherwise never reach.
inline std::vector<uint8_t> with_crc_repaired(const uint8_t* data, size_t size) {
    std::vector<uint8_t> bytes(data, data + size);
    if (size >= 4) put_le32(bytes, size - 4, mnist::crc32(bytes.data(), size - 4));
    return bytes;
}

// decode_model, on the bytes as given and on their CRC-repaired twin: a success re-encodes (encode_model)
// to exactly the bytes it was decoded from (every field has one encoding).
inline void model_entry(const uint8_t* data, size_t size) {
    on_both({data, data + size}, with_crc_repaired(data, size), [](const std::vector<uint8_t>& bytes) {
        const mnist::SavedModel model = mnist::decode_model(bytes, "fuzz-model.bin");
        require(model.mlp.parameters.size() == model.mlp.layout.total, "parameter block and layout disagree");
        require(mnist::encode_model(model.mlp, model.image_rows, model.image_cols) == bytes,
                "the decoded model does not re-encode to the same bytes");
    });
}

// decode_int8_model (model-int8.bin), on the bytes as given and on their CRC-repaired twin. A success
// re-encodes (encode_int8_model) to exactly its bytes, and runs an all-255 and an all-0 image through
// int8_forward: the file's limits must keep every int32 sum and uint64 product from overflowing (UBSan, which
// the harnesses are built with, reports a signed overflow as a finding).
inline void int8_model_entry(const uint8_t* data, size_t size) {
    on_both({data, data + size}, with_crc_repaired(data, size), [](const std::vector<uint8_t>& bytes) {
        const mnist::Int8Model model = mnist::decode_int8_model(bytes, "fuzz-int8.bin");
        require(mnist::encode_int8_model(model) == bytes, "the decoded int8 model does not re-encode to the same bytes");
        mnist::Int8Workspace ws = mnist::make_int8_workspace(model);
        std::vector<int32_t> scores(model.classes());
        for (const uint8_t value : {uint8_t{255}, uint8_t{0}}) {
            const std::vector<uint8_t> pixels(model.inputs(), value);
            require(mnist::int8_forward(model, ws, pixels.data(), scores.data()) < model.classes(),
                    "int8_forward returned a class out of range");
        }
    });
}

// decode_checkpoint, on the bytes as given and on their CRC-repaired twin. A success has every block the
// size of the model and a batch order within the training images, and re-encodes (encode_checkpoint) to
// the bytes it came from, except that the `finished` flag, read as true for any non-zero byte, is written
// as 1 (the flag is the byte 45 + 56 x history bytes before the end). Where size_t has 32 bits, a 64-bit
// field narrowed before its range check shows here as a re-encoding that differs.
inline void checkpoint_entry(const uint8_t* data, size_t size) {
    on_both({data, data + size}, with_crc_repaired(data, size), [](const std::vector<uint8_t>& bytes) {
        const mnist::Checkpoint c = mnist::decode_checkpoint(bytes, "fuzz-checkpoint.bin");
        const size_t total = c.mlp.layout.total;
        require(c.mlp.parameters.size() == total && c.state.best_parameters.size() == total &&
                    c.state.adam.first_moment.size() == total && c.state.adam.second_moment.size() == total,
                "a parameter-sized block of another size");
        for (const uint32_t index : c.state.order) require(index < c.identity.train_images, "order out of range");
        require(c.state.next_row <= c.state.order.size(), "position past the batch order");
        std::vector<uint8_t> expected = bytes;
        const size_t flag = bytes.size() - 45 - 56 * c.state.result.history.size();
        expected[flag] = expected[flag] != 0 ? 1 : 0;
        const std::vector<uint8_t> again = mnist::encode_checkpoint(c.identity, c.mlp, c.state);
        require(again.size() == expected.size() && std::equal(again.begin(), again.end() - 4, expected.begin()),
                "the decoded checkpoint does not re-encode to the same bytes");
    });
}

// What every image reader must return: a size within kMaxImagePixels, 1 to 4 channels, a max_value of
// 1 to 65535, exactly width x height x channels samples, none above max_value.
inline void check_image(const mnist::Image& image) {
    require(image.width > 0 && image.height > 0, "empty image");
    require(uint64_t{image.width} * image.height <= mnist::kMaxImagePixels, "image over the pixel limit");
    require(image.channels >= 1 && image.channels <= 4, "channel count out of range");
    require(image.max_value >= 1 && image.max_value <= 65535, "max_value out of range");
    require(image.samples.size() == image.width * image.height * image.channels, "sample count");
    for (const uint16_t sample : image.samples) require(sample <= image.max_value, "sample above max_value");
}

// A copy of a PNG file with every chunk's CRC made right, walking the chunks while their lengths fit.
inline std::vector<uint8_t> png_with_crcs_repaired(const uint8_t* data, size_t size) {
    std::vector<uint8_t> bytes(data, data + size);
    size_t pos = 8;  // after the signature
    while (size >= pos && size - pos >= 12) {
        const uint32_t length = uint32_t{bytes[pos]} << 24 | uint32_t{bytes[pos + 1]} << 16 |
                                uint32_t{bytes[pos + 2]} << 8 | uint32_t{bytes[pos + 3]};
        if (length > size - pos - 12) break;
        put_be32(bytes, pos + 8 + length, mnist::crc32(&bytes[pos + 4], 4 + size_t{length}));
        pos += 12 + size_t{length};
    }
    return bytes;
}

// decode_png on a whole file, as given and with its chunk CRCs repaired.
inline void png_entry(const uint8_t* data, size_t size) {
    on_both({data, data + size}, png_with_crcs_repaired(data, size),
            [](const std::vector<uint8_t>& bytes) { check_image(mnist::decode_png(bytes, "fuzz.png")); });
}

inline void append_chunk(std::vector<uint8_t>& png, const char* type, const uint8_t* data, size_t length) {
    const size_t at = png.size();
    png.resize(at + 12 + length);
    put_be32(png, at, static_cast<uint32_t>(length));
    for (int i = 0; i < 4; ++i) png[at + 4 + i] = static_cast<uint8_t>(type[i]);
    for (size_t i = 0; i < length; ++i) png[at + 8 + i] = data[i];
    put_be32(png, at + 8 + length, mnist::crc32(&png[at + 4], 4 + length));
}

// The pixel half of the PNG reader: the input is IHDR's 13 bytes, a byte n, n palette bytes (PLTE, for
// any colour type: a misplaced PLTE must be refused), a byte m, m tRNS bytes, then the filtered scanlines
// as they are. The harness wraps these into a well-formed PNG (chunk CRCs, a zlib stream of stored
// blocks, its Adler-32), so every input reaches filtering, bit unpacking, Adam7, palettes and tRNS.
inline std::vector<uint8_t> png_from_pixels(const uint8_t* data, size_t size) {
    static const uint8_t kSignature[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    std::vector<uint8_t> png(kSignature, kSignature + 8);
    if (size < 13) return png;
    append_chunk(png, "IHDR", data, 13);
    size_t pos = 13;
    for (const char* type : {"PLTE", "tRNS"}) {
        if (pos == size) break;
        const size_t length = std::min<size_t>(data[pos], size - pos - 1);
        if (length > 0) append_chunk(png, type, data + pos + 1, length);
        pos += 1 + length;
    }
    // zlib (RFC 1950): CMF 0x78, FLG 0x01, stored DEFLATE blocks of at most 65535 bytes, Adler-32.
    const uint8_t* raw = data + pos;
    const size_t raw_size = size - pos;
    std::vector<uint8_t> z = {0x78, 0x01};
    size_t done = 0;
    do {
        const size_t n = std::min<size_t>(raw_size - done, 65535);
        z.push_back(done + n == raw_size ? 1 : 0);
        z.push_back(static_cast<uint8_t>(n));
        z.push_back(static_cast<uint8_t>(n >> 8));
        z.push_back(static_cast<uint8_t>(~n));
        z.push_back(static_cast<uint8_t>(~n >> 8));
        z.insert(z.end(), raw + done, raw + done + n);
        done += n;
    } while (done < raw_size);
    uint32_t a = 1, b = 0;
    for (size_t i = 0; i < raw_size; ++i) {
        a = (a + raw[i]) % 65521;
        b = (b + a) % 65521;
    }
    z.resize(z.size() + 4);
    put_be32(z, z.size() - 4, b << 16 | a);
    append_chunk(png, "IDAT", z.data(), z.size());
    append_chunk(png, "IEND", nullptr, 0);
    return png;
}

inline void png_pixels_entry(const uint8_t* data, size_t size) {
    check_image(mnist::decode_png(png_from_pixels(data, size), "fuzz-pixels.png"));
}

// decode_pnm: PGM and PPM, plain and binary.
inline void pnm_entry(const uint8_t* data, size_t size) {
    check_image(mnist::decode_pnm(std::vector<uint8_t>(data, data + size), "fuzz.pnm"));
}

}  // namespace fuzz
