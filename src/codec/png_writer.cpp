// A PNG file is an 8-byte signature and a list of chunks: IHDR (the image's size and kind), IDAT (the
// compressed pixels) and IEND. Each chunk is its length, a 4-letter type, its data and a CRC-32 of the
// type and data, all numbers big-endian (the PNG specification's "PNG signature", "Chunk layout" and
// "Critical chunks" sections).
#include "codec/png_writer.h"

#include <stdexcept>

#include "codec/byte_io.h"
#include "codec/checksum.h"
#include "codec/deflate_writer.h"
#include "util/output_file.h"

namespace mnist {
namespace {

constexpr uint64_t kMaxDimension = 0x7FFFFFFFu;  // PNG sizes are 31-bit (IHDR)

// Appends one chunk: length, type, data, then the CRC-32 of type and data (not of the length).
void put_chunk(ByteWriter& out, const char (&type)[5], const std::vector<uint8_t>& data) {
    out.be32(static_cast<uint32_t>(data.size()));
    const size_t type_at = out.bytes.size();
    out.raw(type, 4);
    out.raw(data.data(), data.size());
    out.be32(crc32(out.bytes.data() + type_at, 4 + data.size()));
}

}  // namespace

std::vector<uint8_t> encode_png(const uint8_t* pixels, size_t width, size_t height, int channels) {
    if (channels != 1 && channels != 3) throw std::invalid_argument("encode_png: channels must be 1 or 3");
    if (width == 0 || height == 0 || width > kMaxDimension || height > kMaxDimension)
        throw std::invalid_argument("encode_png: width and height must be 1 to 2^31 - 1");
    const size_t row_bytes = width * static_cast<size_t>(channels);  // fits: width < 2^31, channels <= 3
    if ((row_bytes + 1) > SIZE_MAX / height) throw std::invalid_argument("encode_png: image too large");

    // "Filtering": each row of the image data starts with its filter type. Type 0 sends the row as it
    // is; the other four predict each byte from its neighbours, which helps photographs more than our
    // flat-backgrounded figures, whose runs LZ77 already finds.
    std::vector<uint8_t> filtered;
    filtered.reserve((row_bytes + 1) * height);
    for (size_t y = 0; y < height; ++y) {
        filtered.push_back(0);
        filtered.insert(filtered.end(), pixels + y * row_bytes, pixels + (y + 1) * row_bytes);
    }

    // IHDR: width, height, bit depth 8, colour type (0 greyscale, 2 truecolour),
    // compression method 0 (zlib), filter method 0, interlace method 0 (none).
    ByteWriter header;
    header.be32(static_cast<uint32_t>(width));
    header.be32(static_cast<uint32_t>(height));
    header.u8(8);
    header.u8(channels == 1 ? 0 : 2);
    header.u8(0);
    header.u8(0);
    header.u8(0);

    ByteWriter png;
    const uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    png.raw(signature, sizeof signature);
    put_chunk(png, "IHDR", header.bytes);
    put_chunk(png, "IDAT", zlib_compress(filtered.data(), filtered.size()));
    put_chunk(png, "IEND", {});
    return std::move(png.bytes);  // a member is not moved implicitly
}

void write_png(const std::string& path, const uint8_t* pixels, size_t width, size_t height, int channels) {
    write_file_atomic(path, encode_png(pixels, width, height, channels));
}

}  // namespace mnist
