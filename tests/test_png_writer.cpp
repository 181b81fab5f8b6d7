// Tests for the PNG writer and what it is built on: util/checksum's Adler-32, util/base64,
// report/deflate_writer (every stream must inflate, with our own data/inflate.h, to exactly the bytes
// given) and report/png_writer (the test parses each PNG itself: signature, chunks and their CRCs, IHDR,
// the zlib header and Adler-32, the row filters; data/png_reader must read it back too). Not the PNG
// reader (tests/test_png.cpp) nor the charts (tests/test_svg.cpp). See docs/10-figures.md.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "check.h"
#include "data/inflate.h"
#include "data/png_reader.h"
#include "report/deflate_writer.h"
#include "report/png_writer.h"
#include "util/base64.h"
#include "util/checksum.h"
#include "util/rng.h"

using namespace mnist;

namespace {

std::vector<uint8_t> bytes_of(const std::string& text) { return std::vector<uint8_t>(text.begin(), text.end()); }

std::vector<uint8_t> noise(size_t count, uint64_t seed) {
    Rng rng = make_rng(seed, 7);
    std::vector<uint8_t> out(count);
    for (uint8_t& b : out) b = static_cast<uint8_t>(next_u64(rng) >> 56);
    return out;
}

// Adler-32 straight from its definition, in 64-bit sums reduced only at the end (no overflow for the
// sizes used here), to check the library's running version against.
uint32_t adler32_by_definition(const std::vector<uint8_t>& data) {
    uint64_t a = 1, b = 0;
    for (const uint8_t byte : data) {
        a += byte;
        b += a;
    }
    return static_cast<uint32_t>(((b % 65521) << 16) | (a % 65521));
}

// Inflates a raw DEFLATE stream that must hold exactly `expected_size` bytes and use all of `stream`.
bool inflate_exact(const std::vector<uint8_t>& stream, size_t expected_size, std::vector<uint8_t>& out) {
    out.assign(expected_size + 1, 0);  // one spare byte: a stream that makes too much shows as output_full
    size_t written = 0, used = 0;
    const InflateResult r = inflate(out.data(), out.size(), &written, stream.data(), stream.size(), &used);
    out.resize(written);
    return r == InflateResult::ok && written == expected_size && used == stream.size();
}

// The BTYPE of the first block of a raw DEFLATE stream: 0 stored, 1 fixed, 2 dynamic.
unsigned first_block_type(const std::vector<uint8_t>& stream) { return (stream.at(0) >> 1) & 3; }

uint32_t be32(const std::vector<uint8_t>& b, size_t at) {
    return (uint32_t{b[at]} << 24) | (uint32_t{b[at + 1]} << 16) | (uint32_t{b[at + 2]} << 8) | b[at + 3];
}

// A PNG reader just big enough to check ours, written from the specification: every check failure is
// returned as a reason, so a test shows what was wrong.
struct DecodedPng {
    std::string error;  // empty when the file was good
    size_t width = 0, height = 0;
    int channels = 0;
    std::vector<uint8_t> pixels;
    size_t idat_bytes = 0;  // the size of the compressed data
};

int paeth(int a, int b, int c) {
    const int p = a + b - c, pa = p > a ? p - a : a - p, pb = p > b ? p - b : b - p, pc = p > c ? p - c : c - p;
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

DecodedPng parse_png(const std::vector<uint8_t>& png) {
    DecodedPng d;
    const uint8_t signature[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    if (png.size() < 8 || !std::equal(signature, signature + 8, png.begin())) return d.error = "bad signature", d;
    std::vector<uint8_t> idat;
    std::vector<std::string> types;
    size_t at = 8;
    while (at < png.size()) {
        if (png.size() - at < 12) return d.error = "truncated chunk", d;
        const uint32_t length = be32(png, at);
        if (length > png.size() - at - 12) return d.error = "chunk longer than the file", d;
        const std::string type(png.begin() + static_cast<long>(at) + 4, png.begin() + static_cast<long>(at) + 8);
        const uint32_t stored_crc = be32(png, at + 8 + length);
        if (crc32(png.data() + at + 4, 4 + length) != stored_crc) return d.error = "CRC mismatch in " + type, d;
        const uint8_t* data = png.data() + at + 8;
        if (type == "IHDR") {
            if (length != 13) return d.error = "IHDR length", d;
            d.width = (size_t{data[0]} << 24) | (size_t{data[1]} << 16) | (size_t{data[2]} << 8) | data[3];
            d.height = (size_t{data[4]} << 24) | (size_t{data[5]} << 16) | (size_t{data[6]} << 8) | data[7];
            if (data[8] != 8) return d.error = "bit depth", d;
            if (data[9] != 0 && data[9] != 2) return d.error = "colour type", d;
            d.channels = data[9] == 0 ? 1 : 3;
            if (data[10] != 0 || data[11] != 0 || data[12] != 0) return d.error = "methods", d;
        } else if (type == "IDAT") {
            idat.insert(idat.end(), data, data + length);
        } else if (type == "IEND") {
            if (length != 0) return d.error = "IEND not empty", d;
        }
        types.push_back(type);
        at += 12 + length;
    }
    if (types.size() < 3 || types.front() != "IHDR" || types.back() != "IEND") return d.error = "chunk order", d;
    d.idat_bytes = idat.size();

    // The zlib stream: CMF, FLG, DEFLATE data, Adler-32.
    if (idat.size() < 6) return d.error = "IDAT too short", d;
    if ((idat[0] & 0x0F) != 8 || (idat[0] >> 4) > 7) return d.error = "zlib CMF", d;
    if ((idat[0] * 256 + idat[1]) % 31 != 0) return d.error = "zlib FCHECK", d;
    if (idat[1] & 0x20) return d.error = "zlib FDICT", d;
    const size_t row_bytes = d.width * static_cast<size_t>(d.channels);
    const std::vector<uint8_t> body(idat.begin() + 2, idat.end() - 4);
    std::vector<uint8_t> filtered;
    if (!inflate_exact(body, (row_bytes + 1) * d.height, filtered)) return d.error = "inflate", d;
    if (adler32_by_definition(filtered) != be32(idat, idat.size() - 4)) return d.error = "Adler-32 mismatch", d;

    // Undo the row filters (all five types, though our writer sends type 0).
    d.pixels.assign(row_bytes * d.height, 0);
    const size_t bpp = static_cast<size_t>(d.channels);
    for (size_t y = 0; y < d.height; ++y) {
        const uint8_t type = filtered[y * (row_bytes + 1)];
        const uint8_t* in = filtered.data() + y * (row_bytes + 1) + 1;
        uint8_t* row = d.pixels.data() + y * row_bytes;
        const uint8_t* up = y > 0 ? row - row_bytes : nullptr;
        for (size_t i = 0; i < row_bytes; ++i) {
            const int a = i >= bpp ? row[i - bpp] : 0, b = up ? up[i] : 0, c = (up && i >= bpp) ? up[i - bpp] : 0;
            int predictor = 0;
            switch (type) {
                case 0: predictor = 0; break;
                case 1: predictor = a; break;
                case 2: predictor = b; break;
                case 3: predictor = (a + b) / 2; break;
                case 4: predictor = paeth(a, b, c); break;
                default: return d.error = "filter type", d;
            }
            row[i] = static_cast<uint8_t>(in[i] + predictor);
        }
    }
    return d;
}

// Encodes, decodes and compares, with the parser above and with the project's PNG reader; returns the
// parsed image for further checks.
DecodedPng round_trip(const std::vector<uint8_t>& pixels, size_t width, size_t height, int channels) {
    const std::vector<uint8_t> png = encode_png(pixels.data(), width, height, channels);
    const DecodedPng d = parse_png(png);
    CHECK_MSG(d.error.empty(), format_message("%zux%zu x%d: %s", width, height, channels, d.error.c_str()));
    CHECK(d.width == width && d.height == height && d.channels == channels);
    CHECK(d.pixels == pixels);
    const Image image = decode_png(png, "written.png");
    CHECK(image.width == width && image.height == height && image.channels == static_cast<size_t>(channels));
    CHECK(image.max_value == 255);
    CHECK(std::equal(pixels.begin(), pixels.end(), image.samples.begin(), image.samples.end()));
    return d;
}

void test_adler32() {
    const std::vector<uint8_t> wikipedia = bytes_of("Wikipedia");
    CHECK(adler32(wikipedia.data(), wikipedia.size()) == 0x11E60398u);
    CHECK(adler32(nullptr, 0) == 1u);
    const std::vector<uint8_t> ones(1000000, 0xFF), data = noise(300000, 1);
    CHECK(adler32(ones.data(), ones.size()) == adler32_by_definition(ones));  // the sums wrap many times
    CHECK(adler32(data.data(), data.size()) == adler32_by_definition(data));
    const uint32_t first = adler32(data.data(), 12345);  // in two pieces, as the header promises
    CHECK(adler32_update(first, data.data() + 12345, data.size() - 12345) == adler32(data.data(), data.size()));
}

void test_base64() {
    // RFC 4648 section 10.
    const char* cases[][2] = {{"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},        {"foo", "Zm9v"},
                              {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
    for (const auto& c : cases) CHECK(base64_encode(bytes_of(c[0])) == c[1]);
    CHECK(base64_encode(std::vector<uint8_t>{0xFB, 0xFF, 0xBF}) == "+/+/");  // the last two characters
    CHECK(base64_encode(std::vector<uint8_t>{0x00, 0x00, 0x00, 0x00}) == "AAAAAA==");
}

void test_deflate() {
    std::vector<uint8_t> out;
    // Edge sizes and plain text.
    for (const std::string& text : {std::string(), std::string("a"), std::string("abc"),
                                    std::string("abcabcabcabcabcabcabcabc, and a tail that does not repeat")}) {
        const std::vector<uint8_t> data = bytes_of(text);
        CHECK(inflate_exact(deflate_compress(data.data(), data.size()), data.size(), out) && out == data);
    }
    // Long runs: many 258-byte copies at distance 1 and several 65535-byte blocks. Must shrink to a sliver.
    const std::vector<uint8_t> zeros(300000, 0);
    const std::vector<uint8_t> z = deflate_compress(zeros.data(), zeros.size());
    CHECK(inflate_exact(z, zeros.size(), out) && out == zeros);
    CHECK(first_block_type(z) == 1);
    CHECK(z.size() < zeros.size() / 100);
    // Noise cannot be compressed: stored blocks, costing 5 bytes per block of up to 65535 bytes.
    const std::vector<uint8_t> random = noise(200000, 2);
    const std::vector<uint8_t> r = deflate_compress(random.data(), random.size());
    CHECK(inflate_exact(r, random.size(), out) && out == random);
    CHECK(first_block_type(r) == 0);
    CHECK(r.size() <= random.size() + 5 * (random.size() / 65535 + 1));
    // Noise followed by itself: the second copy is found at exactly the window's reach (32768 back),
    // so the output is about half the input; one byte further back it is out of reach.
    for (const size_t period : {size_t(1000), size_t(32768), size_t(32769)}) {
        std::vector<uint8_t> twice = noise(period, 3);
        twice.insert(twice.end(), twice.begin(), twice.end());
        const std::vector<uint8_t> t = deflate_compress(twice.data(), twice.size());
        CHECK(inflate_exact(t, twice.size(), out) && out == twice);
        if (period <= 32768) CHECK(t.size() < period + period / 10);
        else CHECK(t.size() > twice.size() - twice.size() / 100);
    }
    // Image-like data: rows that repeat the row above (distance = the row's length), with noise mixed in,
    // so that fixed and stored blocks alternate and copies reach back into earlier blocks of either type.
    std::vector<uint8_t> mixed;
    Rng rng = make_rng(4, 0);
    while (mixed.size() < 400000) {
        const size_t run = 1 + uniform_below(rng, 40000);
        const bool repetitive = uniform_below(rng, 2) == 0;
        for (size_t i = 0; i < run; ++i)
            mixed.push_back(repetitive && mixed.size() >= 84 ? mixed[mixed.size() - 84]
                                                              : static_cast<uint8_t>(next_u64(rng)));
    }
    const std::vector<uint8_t> m = deflate_compress(mixed.data(), mixed.size());
    CHECK(inflate_exact(m, mixed.size(), out) && out == mixed);
    CHECK(m.size() < mixed.size());
    // The zlib wrapper: header bytes, a multiple of 31, and the Adler-32 at the end.
    const std::vector<uint8_t> hello = bytes_of("hello, hello, hello");
    const std::vector<uint8_t> zl = zlib_compress(hello.data(), hello.size());
    CHECK(zl.size() > 6 && zl[0] == 0x78 && (zl[0] * 256 + zl[1]) % 31 == 0 && (zl[1] & 0x20) == 0);
    CHECK(be32(zl, zl.size() - 4) == adler32_by_definition(hello));
    CHECK(inflate_exact(std::vector<uint8_t>(zl.begin() + 2, zl.end() - 4), hello.size(), out) && out == hello);
}

void test_png() {
    // 1 x 1, grey and RGB.
    round_trip({0x7F}, 1, 1, 1);
    round_trip({0x01, 0x80, 0xFE}, 1, 1, 3);
    // 28 x 28: a ring of ink on a blank background, as a digit might be.
    std::vector<uint8_t> digit(28 * 28, 0);
    for (size_t y = 0; y < 28; ++y)
        for (size_t x = 0; x < 28; ++x) {
            const double dx = static_cast<double>(x) - 13.5, dy = static_cast<double>(y) - 13.5;
            const double r2 = dx * dx + dy * dy;
            if (r2 > 36 && r2 < 100) digit[y * 28 + x] = static_cast<uint8_t>(255 - r2);
        }
    round_trip(digit, 28, 28, 1);
    // Odd widths (rows of odd length, RGB rows of 3 * odd bytes) and a one-pixel-wide column.
    round_trip(noise(3 * 5, 5), 3, 5, 1);
    round_trip(noise(17 * 9 * 3, 6), 17, 9, 3);
    round_trip(noise(127 * 3, 7), 127, 3, 1);
    round_trip(noise(1 * 31 * 3, 8), 1, 31, 3);
    // Noise is incompressible: the IDAT holds little more than the raw rows and their filter bytes.
    const size_t w = 300, h = 250;
    const DecodedPng n = round_trip(noise(w * h * 3, 9), w, h, 3);
    const size_t raw = (w * 3 + 1) * h;
    CHECK(n.idat_bytes <= raw + 6 + 5 * (raw / 65535 + 1));
    // A flat image compresses to almost nothing, grey or RGB.
    const DecodedPng flat = round_trip(std::vector<uint8_t>(w * h, 200), w, h, 1);
    CHECK(flat.idat_bytes < (w + 1) * h / 50);
    const DecodedPng flat_rgb = round_trip(std::vector<uint8_t>(w * h * 3, 90), w, h, 3);
    CHECK(flat_rgb.idat_bytes < raw / 50);
    // The digit compresses too: its background is a run of zeros.
    CHECK(parse_png(encode_png(digit.data(), 28, 28, 1)).idat_bytes < 28 * 29);
    // A damaged file fails the check (the test's reader can fail): one bit flipped in the IDAT data.
    std::vector<uint8_t> damaged = encode_png(digit.data(), 28, 28, 1);
    damaged[damaged.size() - 20] ^= 0x04;
    CHECK(!parse_png(damaged).error.empty());
    // Bad arguments are the caller's bug.
    CHECK_THROWS(std::invalid_argument, encode_png(digit.data(), 28, 28, 2));
    CHECK_THROWS(std::invalid_argument, encode_png(digit.data(), 0, 28, 1));
    CHECK_THROWS(std::invalid_argument, encode_png(digit.data(), 28, 0, 1));
}

std::vector<uint8_t> read_back(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void test_files() {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("mnist_test_png_" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    fs::create_directories(dir);
    const std::vector<uint8_t> image = noise(5 * 4, 10);
    write_png((dir / "a.png").string(), image.data(), 5, 4, 1);
    CHECK(read_back(dir / "a.png") == encode_png(image.data(), 5, 4, 1));
    std::error_code ignored;
    fs::remove_all(dir, ignored);
}

}  // namespace

int main() {
    try {
        test_adler32();
        test_base64();
        test_deflate();
        test_png();
        test_files();
    } catch (const std::exception& e) {
        CHECK_MSG(false, std::string("unexpected exception: ") + e.what());
    }
    return check_exit("test_png_writer");
}
