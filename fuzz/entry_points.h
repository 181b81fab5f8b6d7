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
#include "data/inflate.h"
#include "nn/model_file.h"
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

// decode_model: a success re-encodes (encode_model) to exactly the bytes it was decoded from.
inline void model_entry(const uint8_t* data, size_t size) {
    const std::vector<uint8_t> bytes(data, data + size);
    const mnist::SavedModel model = mnist::decode_model(bytes, "fuzz-model.bin");
    require(model.mlp.parameters.size() == model.mlp.layout.total, "parameter block and layout disagree");
    require(mnist::encode_model(model.mlp, model.image_rows, model.image_cols) == bytes,
            "the decoded model does not re-encode to the same bytes");
}

}  // namespace fuzz
