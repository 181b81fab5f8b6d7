// A PNG decoder meant to be read beside the specification (W3C PNG, second edition; section numbers
// below are its). The file is checked chunk by chunk before anything sized by its header is allocated;
// the image data then go through zlib (RFC 1950) and DEFLATE (codec/inflate.h) into a buffer of exactly
// the size the header implies, and the scanlines are unfiltered and unpacked. Not a writer, not a
// streaming decoder. See docs/11-predict.md.
#include "codec/png_reader.h"

#include <cstddef>
#include <cstdio>
#include <cstdlib>

#include "codec/byte_io.h"
#include "codec/checksum.h"
#include "codec/inflate.h"
#include "util/check.h"

namespace mnist {
namespace {

constexpr uint8_t kSignature[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};  // section 5.2

// A chunk is LENGTH (4 bytes), TYPE (4), DATA (LENGTH bytes) and a CRC (4) of TYPE and DATA (5.3).
constexpr size_t kChunkOverhead = 12;
constexpr uint32_t kMaxChunkLength = 0x7FFFFFFF;  // lengths and image sizes are below 2^31 (7.1)

// Colour types (IHDR, 11.2.2): a sum of 1 (palette used), 2 (colour used) and 4 (alpha channel).
constexpr int kGrey = 0, kRgb = 2, kPalette = 3, kGreyAlpha = 4, kRgba = 6;

// zlib (RFC 1950 section 2.2): CMF and FLG before the DEFLATE data, Adler-32 (4 bytes) after it.
constexpr size_t kZlibHeaderBytes = 2, kZlibTrailerBytes = 4;

// What IHDR says (11.2.2).
struct Header {
    uint32_t width = 0, height = 0;
    int bit_depth = 0, colour_type = 0;
    bool interlaced = false;
};

// The two optional colour chunks: PLTE (11.2.3) and tRNS (11.3.2.1).
struct Colours {
    std::vector<uint8_t> palette;  // [entries x 3] red, green, blue
    bool has_transparency = false;
    std::vector<uint8_t> palette_alpha;  // palette images: one alpha per entry; missing entries are opaque
    uint16_t key[3] = {0, 0, 0};         // greyscale (key[0]) or RGB images: the one transparent colour
};

std::string hex32(uint32_t value) {
    char text[16];
    std::snprintf(text, sizeof text, "0x%08X", static_cast<unsigned>(value));
    return text;
}

std::string n(uint64_t value) { return std::to_string(value); }

const char* colour_type_name(int colour_type) {
    switch (colour_type) {
        case kGrey: return "greyscale";
        case kRgb: return "RGB";
        case kPalette: return "palette";
        case kGreyAlpha: return "greyscale+alpha";
        case kRgba: return "RGBA";
        default: return "unknown";
    }
}

// Samples per pixel as stored in the scanlines (a palette pixel is one index).
int stored_channels(int colour_type) {
    switch (colour_type) {
        case kRgb: return 3;
        case kGreyAlpha: return 2;
        case kRgba: return 4;
        default: return 1;  // kGrey, kPalette
    }
}

// Format notes (11.2.2): IHDR is 13 bytes: width (4), height (4), bit depth, colour type, compression
// method (0: zlib), filter method (0: the five filters of section 9), interlace method (0 none, 1 Adam7).
// Width and height are 1 .. 2^31 - 1. The allowed bit depths depend on the colour type:
//   greyscale 1, 2, 4, 8, 16   RGB 8, 16   palette 1, 2, 4, 8   greyscale+alpha 8, 16   RGBA 8, 16
// Our own limit, kMaxImagePixels, is checked here, before any allocation sized by the header.
Header parse_ihdr(const uint8_t* data, size_t length, const std::string& name) {
    if (length != 13) throw InputError(name + ": IHDR chunk is " + n(length) + " bytes, expected 13");
    ByteReader in(data, length, name);
    Header h;
    h.width = in.be32();
    h.height = in.be32();
    h.bit_depth = in.u8();
    h.colour_type = in.u8();
    const uint8_t compression = in.u8(), filter = in.u8(), interlace = in.u8();
    if (h.width == 0 || h.height == 0 || h.width > kMaxChunkLength || h.height > kMaxChunkLength)
        throw InputError(name + ": impossible image size " + n(h.width) + "x" + n(h.height) +
                         " (each side must be 1 to 2^31 - 1)");
    const uint64_t pixels = uint64_t{h.width} * h.height;  // < 2^62
    if (pixels > kMaxImagePixels)
        throw InputError(name + ": " + n(h.width) + "x" + n(h.height) + " is " + n(pixels) +
                         " pixels, more than the limit of " + n(kMaxImagePixels) + " (scale the image down)");

    const int d = h.bit_depth;
    bool depth_ok = false;
    switch (h.colour_type) {
        case kGrey: depth_ok = d == 1 || d == 2 || d == 4 || d == 8 || d == 16; break;
        case kPalette: depth_ok = d == 1 || d == 2 || d == 4 || d == 8; break;
        case kRgb:
        case kGreyAlpha:
        case kRgba: depth_ok = d == 8 || d == 16; break;
        default: throw InputError(name + ": colour type " + n(h.colour_type) + " does not exist (0, 2, 3, 4 or 6)");
    }
    if (!depth_ok)
        throw InputError(name + ": bit depth " + n(d) + " is not allowed for a " +
                         colour_type_name(h.colour_type) + " image");
    if (compression != 0) throw InputError(name + ": compression method " + n(compression) + " is unknown (only 0)");
    if (filter != 0) throw InputError(name + ": filter method " + n(filter) + " is unknown (only 0)");
    if (interlace > 1) throw InputError(name + ": interlace method " + n(interlace) + " is unknown (0 none, 1 Adam7)");
    h.interlaced = interlace == 1;
    return h;
}

// Format notes (11.2.3): PLTE holds 1 to 256 entries of 3 bytes (red, green, blue). A palette image
// needs it, and its indices must not reach past it; RGB and RGBA images may carry one as a hint for
// displays with few colours, which we check and then ignore; a greyscale image must not have one.
void parse_plte(const Header& h, const uint8_t* data, size_t length, Colours& colours, const std::string& name) {
    if (h.colour_type == kGrey || h.colour_type == kGreyAlpha)
        throw InputError(name + ": PLTE chunk in a " + std::string(colour_type_name(h.colour_type)) + " image");
    if (length == 0 || length % 3 != 0 || length > 3 * 256)
        throw InputError(name + ": PLTE chunk is " + n(length) + " bytes, expected 3 per entry and 1 to 256 entries");
    if (h.colour_type == kPalette && length / 3 > (size_t{1} << h.bit_depth))
        throw InputError(name + ": PLTE has " + n(length / 3) + " entries, more than " + n(h.bit_depth) +
                         "-bit indices can reach");
    if (h.colour_type == kPalette) colours.palette.assign(data, data + length);
}

// Format notes (11.3.2.1): tRNS gives transparency to images without an alpha channel. Palette images:
// one alpha byte per palette entry, at most as many as there are entries (the rest stay opaque).
// Greyscale: one 2-byte grey value; RGB: three 2-byte values; pixels of exactly that colour are fully
// transparent. For bit depths below 16 only the low bits count: the rest must be masked off.
void parse_trns(const Header& h, const uint8_t* data, size_t length, bool have_plte, Colours& colours,
                const std::string& name) {
    const uint32_t mask = (uint32_t{1} << h.bit_depth) - 1;
    switch (h.colour_type) {
        case kPalette:
            if (!have_plte) throw InputError(name + ": tRNS chunk before PLTE");
            if (length > colours.palette.size() / 3)
                throw InputError(name + ": tRNS has " + n(length) + " entries but PLTE only " +
                                 n(colours.palette.size() / 3));
            colours.palette_alpha.assign(data, data + length);
            break;
        case kGrey:
            if (length != 2) throw InputError(name + ": tRNS chunk is " + n(length) + " bytes, expected 2");
            colours.key[0] = static_cast<uint16_t>(read_be16(data) & mask);
            break;
        case kRgb:
            if (length != 6) throw InputError(name + ": tRNS chunk is " + n(length) + " bytes, expected 6");
            for (int c = 0; c < 3; ++c) colours.key[c] = static_cast<uint16_t>(read_be16(data + 2 * c) & mask);
            break;
        default:
            throw InputError(name + ": tRNS chunk in a " + std::string(colour_type_name(h.colour_type)) +
                             " image, which has an alpha channel already");
    }
    colours.has_transparency = true;
}

// Format notes (8.2): Adam7 sends the image in seven passes, each a smaller image of every
// column_step-th pixel of every row_step-th row, starting at (first_column, first_row):
//   pass           1  2  3  4  5  6  7
//   first row      0  0  4  0  2  0  1
//   first column   0  4  0  2  0  1  0
//   row step       8  8  8  4  4  2  2
//   column step    8  8  4  4  2  2  1
// A pass with no pixels (in an image narrower than 5 pixels, say) sends nothing, not even filter bytes.
// A plain image is one pass with steps of 1.
struct Pass {
    uint32_t first_row, first_column, row_step, column_step;
};
constexpr Pass kAdam7[7] = {{0, 0, 8, 8}, {0, 4, 8, 8}, {4, 0, 8, 4}, {0, 2, 4, 4},
                            {2, 0, 4, 2}, {0, 1, 2, 2}, {1, 0, 2, 1}};
constexpr Pass kWholeImage = {0, 0, 1, 1};

// Pixels of one pass along a side of `size` pixels.
uint64_t pass_count(uint32_t size, uint32_t first, uint32_t step) {
    return size > first ? (uint64_t{size} - first + step - 1) / step : 0;
}

// Bytes of one filtered scanline of `columns` pixels: the filter-type byte, then the pixels packed
// with no gaps, rounded up to whole bytes (7.2).
uint64_t scanline_bytes(uint64_t columns, int bits_per_pixel) {
    return 1 + (columns * static_cast<uint64_t>(bits_per_pixel) + 7) / 8;
}

// The exact size of the decompressed image data: the sum, over the passes, of rows x scanline bytes.
// Width and height are at most 2^24 here and bits_per_pixel at most 64, so nothing overflows 64 bits.
uint64_t filtered_size(const Header& h, int bits_per_pixel) {
    uint64_t total = 0;
    const int passes = h.interlaced ? 7 : 1;
    for (int p = 0; p < passes; ++p) {
        const Pass& pass = h.interlaced ? kAdam7[p] : kWholeImage;
        const uint64_t columns = pass_count(h.width, pass.first_column, pass.column_step);
        const uint64_t rows = pass_count(h.height, pass.first_row, pass.row_step);
        if (columns > 0 && rows > 0) total += rows * scanline_bytes(columns, bits_per_pixel);
    }
    return total;
}

// Format notes (RFC 1950 section 2.2 and PNG 10.1): the concatenated IDAT data are one zlib stream:
// CMF (low 4 bits CM = 8, DEFLATE; high 4 bits CINFO = log2(window size) - 8, at most 7), FLG (bit 5
// FDICT: a preset dictionary, which PNG forbids; the whole 16-bit CMF * 256 + FLG a multiple of 31),
// the DEFLATE data, and the Adler-32 of the uncompressed data, most significant byte first. The output
// must be exactly `expected` bytes: no fewer, and the decoder stops rather than write more.
std::vector<uint8_t> decompress(const std::vector<uint8_t>& stream, uint64_t expected, const Header& h,
                                const std::string& name) {
    const std::string what = n(h.width) + "x" + n(h.height) + " " + colour_type_name(h.colour_type) + " image";
    if (stream.size() < kZlibHeaderBytes + kZlibTrailerBytes)
        throw InputError(name + ": the image data (IDAT) are " + n(stream.size()) +
                         " bytes, too short for a zlib stream");
    const uint32_t cmf = stream[0], flg = stream[1];
    if ((cmf & 15) != 8)
        throw InputError(name + ": bad zlib header: compression method " + n(cmf & 15) + " (only 8, DEFLATE)");
    if ((cmf >> 4) > 7) throw InputError(name + ": bad zlib header: window size 2^" + n((cmf >> 4) + 8) + " (at most 2^15)");
    if ((cmf * 256 + flg) % 31 != 0) throw InputError(name + ": bad zlib header: check bits (FCHECK) wrong");
    if (flg & 0x20) throw InputError(name + ": bad zlib header: preset dictionary (FDICT), which PNG forbids");

    // Validate before allocating: the data present must be able to produce the size the header implies.
    const size_t deflate_bytes = stream.size() - kZlibHeaderBytes - kZlibTrailerBytes;
    const uint64_t most_possible = kMaxInflateRatio * uint64_t{deflate_bytes};
    if (expected > most_possible)
        throw InputError(name + ": too little image data: a " + what + " needs " + n(expected) +
                         " bytes, and " + n(deflate_bytes) + " compressed bytes give at most " + n(most_possible));

    std::vector<uint8_t> out(static_cast<size_t>(expected));
    size_t produced = 0, used = 0;
    const InflateResult r =
        inflate(out.data(), out.size(), &produced, stream.data() + kZlibHeaderBytes, deflate_bytes, &used);
    if (r == InflateResult::output_full)
        throw InputError(name + ": the image data decompress to more than the " + n(expected) + " bytes a " +
                         what + " needs");
    if (r == InflateResult::input_truncated) throw InputError(name + ": truncated image data (zlib stream cut short)");
    if (r != InflateResult::ok) throw InputError(name + ": corrupt image data: " + inflate_message(r));
    if (produced != expected)
        throw InputError(name + ": too little image data: " + n(produced) + " bytes, but a " + what + " needs " +
                         n(expected));
    if (used != deflate_bytes)
        throw InputError(name + ": " + n(deflate_bytes - used) + " bytes between the end of the zlib data and its Adler-32");
    const uint32_t stored = read_be32(stream.data() + stream.size() - kZlibTrailerBytes);
    const uint32_t computed = adler32(out.data(), out.size());
    if (stored != computed)
        throw InputError(name + ": Adler-32 mismatch in the image data (stored " + hex32(stored) + ", computed " +
                         hex32(computed) + ")");
    return out;
}

// Format notes (9.4): Paeth's predictor: of the byte to the left (a), above (b) and above-left (c), the
// one closest to a + b - c, ties going to a, then b.
uint8_t paeth(int a, int b, int c) {
    const int p = a + b - c;
    const int pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
    if (pa <= pb && pa <= pc) return static_cast<uint8_t>(a);
    if (pb <= pc) return static_cast<uint8_t>(b);
    return static_cast<uint8_t>(c);
}

// Format notes (9.2): each scanline starts with its filter type; the filter predicted every byte from
// bytes already decoded, and the file holds the difference modulo 256. Undoing it adds the prediction
// back, left to right:
//   0 None     x
//   1 Sub      x + a       a: the byte one pixel to the left (bpp bytes back; 0 before the line starts)
//   2 Up       x + b       b: the byte above, in the previous scanline of the same pass (0 on its first)
//   3 Average  x + floor((a + b) / 2)
//   4 Paeth    x + paeth(a, b, c)   c: the byte above-left
// `line` is unfiltered in place; `prior` is the previous unfiltered line, all zeros for the first.
void unfilter(uint8_t filter, uint8_t* line, const uint8_t* prior, size_t length, size_t bpp,
              const std::string& name) {
    switch (filter) {
        case 0: return;
        case 1:
            for (size_t i = bpp; i < length; ++i) line[i] = static_cast<uint8_t>(line[i] + line[i - bpp]);
            return;
        case 2:
            for (size_t i = 0; i < length; ++i) line[i] = static_cast<uint8_t>(line[i] + prior[i]);
            return;
        case 3:
            for (size_t i = 0; i < length; ++i) {
                const int a = i >= bpp ? line[i - bpp] : 0;
                line[i] = static_cast<uint8_t>(line[i] + (a + prior[i]) / 2);
            }
            return;
        case 4:
            for (size_t i = 0; i < length; ++i) {
                const int a = i >= bpp ? line[i - bpp] : 0, c = i >= bpp ? prior[i - bpp] : 0;
                line[i] = static_cast<uint8_t>(line[i] + paeth(a, prior[i], c));
            }
            return;
        default: throw InputError(name + ": scanline filter type " + n(filter) + " does not exist (0 to 4)");
    }
}

// Sample i of an unfiltered scanline (7.2): depths below 8 pack several samples into a byte, leftmost
// in the most significant bits; 16-bit samples are two bytes, most significant first.
uint32_t sample_at(const uint8_t* line, uint64_t i, int bit_depth) {
    if (bit_depth == 8) return line[i];
    if (bit_depth == 16) return read_be16(line + 2 * i);
    const uint64_t bit = i * static_cast<uint64_t>(bit_depth);
    const int shift = 8 - bit_depth - static_cast<int>(bit % 8);
    return (line[bit / 8] >> shift) & ((1u << bit_depth) - 1);
}

// Unfilters every scanline of every pass and puts each pixel where the pass says it belongs, expanding
// palette indices to colours and tRNS to an alpha channel (see png_reader.h for the channels).
Image unpack(std::vector<uint8_t>& filtered, const Header& h, const Colours& colours, const std::string& name) {
    const int in_channels = stored_channels(h.colour_type);
    const int bits_per_pixel = in_channels * h.bit_depth;
    const size_t bpp = bits_per_pixel >= 8 ? static_cast<size_t>(bits_per_pixel / 8) : 1;
    const bool palette = h.colour_type == kPalette;
    const size_t colour_channels = palette ? 3 : static_cast<size_t>(in_channels);

    Image image;
    image.width = h.width;
    image.height = h.height;
    image.channels = colour_channels + (colours.has_transparency ? 1 : 0);
    image.max_value = palette ? 255 : (uint32_t{1} << h.bit_depth) - 1;
    image.samples.assign(image.width * image.height * image.channels, 0);  // at most 2^24 x 4

    const size_t palette_entries = colours.palette.size() / 3;
    std::vector<uint8_t> zeros(static_cast<size_t>(scanline_bytes(h.width, bits_per_pixel)), 0);
    size_t offset = 0;
    const int passes = h.interlaced ? 7 : 1;
    for (int p = 0; p < passes; ++p) {
        const Pass& pass = h.interlaced ? kAdam7[p] : kWholeImage;
        const uint64_t columns = pass_count(h.width, pass.first_column, pass.column_step);
        const uint64_t rows = pass_count(h.height, pass.first_row, pass.row_step);
        if (columns == 0 || rows == 0) continue;
        const size_t line_bytes = static_cast<size_t>(scanline_bytes(columns, bits_per_pixel)) - 1;
        const uint8_t* prior = zeros.data();
        for (uint64_t r = 0; r < rows; ++r) {
            uint8_t* line = filtered.data() + offset + 1;
            unfilter(filtered[offset], line, prior, line_bytes, bpp, name);
            const size_t y = pass.first_row + r * pass.row_step;
            for (uint64_t col = 0; col < columns; ++col) {
                const size_t x = pass.first_column + col * pass.column_step;
                uint16_t* out = &image.samples[(y * image.width + x) * image.channels];
                if (palette) {
                    const uint32_t index = sample_at(line, col, h.bit_depth);
                    if (index >= palette_entries)
                        throw InputError(name + ": pixel (" + n(x) + ", " + n(y) + ") uses palette entry " +
                                         n(index) + ", but PLTE has " + n(palette_entries));
                    for (int c = 0; c < 3; ++c) out[c] = colours.palette[3 * index + c];
                    if (colours.has_transparency)
                        out[3] = index < colours.palette_alpha.size() ? colours.palette_alpha[index] : 255;
                    continue;
                }
                bool is_key = colours.has_transparency;
                for (int c = 0; c < in_channels; ++c) {
                    out[c] = static_cast<uint16_t>(sample_at(line, col * in_channels + c, h.bit_depth));
                    if (c < 3 && out[c] != colours.key[c]) is_key = false;
                }
                if (colours.has_transparency)
                    out[in_channels] = static_cast<uint16_t>(is_key ? 0 : image.max_value);
            }
            prior = line;
            offset += line_bytes + 1;
        }
    }
    return image;
}

}  // namespace

bool is_png(const std::vector<uint8_t>& bytes) {
    if (bytes.size() < sizeof kSignature) return false;
    for (size_t i = 0; i < sizeof kSignature; ++i)
        if (bytes[i] != kSignature[i]) return false;
    return true;
}

// Format notes (5.3, 5.6): after the signature, chunks until IEND. IHDR comes first; PLTE (at most one)
// and tRNS before the first IDAT; the IDAT chunks follow one another with nothing between them; IEND is
// empty and last. A chunk type is four ASCII letters; a lower-case first letter marks an ancillary
// chunk, which a decoder may skip, and an upper-case one a critical chunk, which it must understand or
// refuse the file. Every chunk's CRC-32 is checked, skipped ones included.
Image decode_png(const std::vector<uint8_t>& bytes, const std::string& name) {
    if (!is_png(bytes)) throw InputError(name + ": not a PNG file (no PNG signature)");
    const size_t size = bytes.size();
    size_t pos = sizeof kSignature;

    Header header;
    Colours colours;
    bool have_ihdr = false, have_plte = false, have_trns = false, have_iend = false;
    bool seen_idat = false, idat_ended = false;  // IDAT chunks must follow one another
    std::vector<uint8_t> stream;  // the IDAT data, concatenated; never longer than the file
    while (!have_iend) {
        if (size - pos < kChunkOverhead)
            throw InputError(name + ": truncated file (" + (pos == size ? "no IEND chunk" : "a chunk header is cut off") +
                             " at byte " + n(pos) + ")");
        const uint32_t length = read_be32(&bytes[pos]);
        const uint8_t* type_bytes = &bytes[pos + 4];
        std::string type(type_bytes, type_bytes + 4);
        for (const uint8_t ch : type)
            if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z')))
                throw InputError(name + ": corrupt chunk at byte " + n(pos) + " (its type is not four letters)");
        if (length > kMaxChunkLength || length > size - pos - kChunkOverhead)
            throw InputError(name + ": truncated file (the " + type + " chunk at byte " + n(pos) + " promises " +
                             n(length) + " bytes, " + n(size - pos - kChunkOverhead) + " are left)");
        const uint8_t* data = type_bytes + 4;
        const uint32_t stored_crc = read_be32(data + length);
        const uint32_t computed_crc = crc32(type_bytes, 4 + size_t{length});
        if (stored_crc != computed_crc)
            throw InputError(name + ": CRC mismatch in the " + type + " chunk at byte " + n(pos) + " (stored " +
                             hex32(stored_crc) + ", computed " + hex32(computed_crc) + ")");
        if (!have_ihdr && type != "IHDR") throw InputError(name + ": the first chunk is " + type + ", not IHDR");
        if (have_ihdr && type == "IHDR") throw InputError(name + ": a second IHDR chunk");
        if (seen_idat && type != "IDAT") idat_ended = true;

        if (type == "IHDR") {
            header = parse_ihdr(data, length, name);
            have_ihdr = true;
        } else if (type == "PLTE") {
            if (have_plte) throw InputError(name + ": a second PLTE chunk");
            if (seen_idat) throw InputError(name + ": PLTE chunk after the image data");
            parse_plte(header, data, length, colours, name);
            have_plte = true;
        } else if (type == "tRNS") {
            if (have_trns) throw InputError(name + ": a second tRNS chunk");
            if (seen_idat) throw InputError(name + ": tRNS chunk after the image data");
            parse_trns(header, data, length, have_plte, colours, name);
            have_trns = true;
        } else if (type == "IDAT") {
            if (idat_ended) throw InputError(name + ": IDAT chunks separated by other chunks");
            if (header.colour_type == kPalette && !have_plte)
                throw InputError(name + ": palette image without a PLTE chunk before its data");
            stream.insert(stream.end(), data, data + length);
            seen_idat = true;
        } else if (type == "IEND") {
            if (length != 0) throw InputError(name + ": IEND chunk is " + n(length) + " bytes, expected 0");
            have_iend = true;
        } else if ((type_bytes[0] & 0x20) == 0) {
            throw InputError(name + ": unknown critical chunk " + type + " (the image cannot be shown without it)");
        }  // else an ancillary chunk we do not use: skipped
        pos += kChunkOverhead + length;
    }
    if (pos != size) throw InputError(name + ": " + n(size - pos) + " bytes after the IEND chunk");
    if (!seen_idat) throw InputError(name + ": no image data (no IDAT chunk)");

    const int bits_per_pixel = stored_channels(header.colour_type) * header.bit_depth;
    std::vector<uint8_t> filtered = decompress(stream, filtered_size(header, bits_per_pixel), header, name);
    return unpack(filtered, header, colours, name);
}

}  // namespace mnist
