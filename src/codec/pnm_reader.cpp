// A reader for Netpbm's PBM, PGM and PPM formats, plain and binary. The header is read token by token with
// every number range-checked, the size is checked against kMaxImagePixels and against the bytes present,
// and only then is the image allocated. Not PAM. See docs/11-predict.md.
#include "codec/pnm_reader.h"

#include <cstddef>

#include "codec/byte_io.h"
#include "util/check.h"

namespace mnist {
namespace {

constexpr uint32_t kMaxSide = 0x7FFFFFFF;  // a bound for parsing; kMaxImagePixels is the real limit
constexpr uint32_t kMaxMaxval = 65535;     // the format's own limit: samples fit in 2 bytes

std::string n(uint64_t value) { return std::to_string(value); }

// Netpbm's whitespace: blank, tab, CR, LF, vertical tab and form feed.
bool is_space(uint8_t c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }
bool is_digit(uint8_t c) { return c >= '0' && c <= '9'; }

// Where we are in the file, and its name for messages.
struct Cursor {
    const std::vector<uint8_t>& bytes;
    size_t pos;
    const std::string& name;
};

// Skips whitespace and comments; a comment runs from '#' to the end of its line.
void skip_space(Cursor& c) {
    while (c.pos < c.bytes.size()) {
        if (is_space(c.bytes[c.pos])) {
            ++c.pos;
        } else if (c.bytes[c.pos] == '#') {
            while (c.pos < c.bytes.size() && c.bytes[c.pos] != '\n' && c.bytes[c.pos] != '\r') ++c.pos;
        } else {
            return;
        }
    }
}

// An unsigned decimal number from 0 to `max`, after any whitespace and comments, ending at whitespace,
// a comment or the end of the file. `what` names it in messages ("width", "sample 12").
uint32_t read_number(Cursor& c, const std::string& what, uint32_t max) {
    skip_space(c);
    if (c.pos == c.bytes.size()) throw InputError(c.name + ": truncated file (the " + what + " is missing)");
    if (!is_digit(c.bytes[c.pos]))
        throw InputError(c.name + ": the " + what + " is not a whole number (found '" +
                         std::string(1, static_cast<char>(c.bytes[c.pos])) + "' at byte " + n(c.pos) + ")");
    uint64_t value = 0;
    while (c.pos < c.bytes.size() && is_digit(c.bytes[c.pos])) {
        value = value * 10 + (c.bytes[c.pos] - '0');
        if (value > max) throw InputError(c.name + ": the " + what + " is larger than " + n(max));
        ++c.pos;
    }
    if (c.pos < c.bytes.size() && !is_space(c.bytes[c.pos]) && c.bytes[c.pos] != '#')
        throw InputError(c.name + ": the " + what + " is not a whole number (found '" +
                         std::string(1, static_cast<char>(c.bytes[c.pos])) + "' at byte " + n(c.pos) + ")");
    return static_cast<uint32_t>(value);
}

const char* kind_name(char kind) {
    switch (kind) {
        case '1': case '4': return "PBM";
        case '2': case '5': return "PGM";
        default: return "PPM";
    }
}

// Format notes (Netpbm's pbm(5), pgm(5) and ppm(5)). An image is the magic number (P1 .. P6); whitespace;
// the width, the height and (not for PBM) maxval as ASCII decimals separated by whitespace, with '#'
// comments allowed between them; maxval is 1 to 65535. Plain images (P1, P2, P3) then hold every sample as
// ASCII: PBM's as the characters 0 and 1, whitespace between them allowed but not needed; PGM's and PPM's
// as decimal numbers separated by whitespace. Binary images (P4, P5, P6) have exactly one whitespace
// character after the last header number, then the raster: PBM rows of width bits packed 8 to a byte,
// most significant bit first, each row ending on a byte boundary; PGM and PPM samples one byte each when
// maxval < 256, otherwise two, most significant first. A PPM pixel is red, green, blue. No sample may
// exceed maxval. In PBM 1 is black and 0 white, so a bit b is the grey level 1 - b of maxval 1.
//
// Reads the image that starts at c.pos, leaving c.pos just after its raster (and, for plain images,
// after the whitespace that follows). With `image` null the image is checked but not kept.
void read_image(Cursor& c, Image* image) {
    const std::vector<uint8_t>& bytes = c.bytes;
    const std::string& name = c.name;
    const size_t start = c.pos;
    const char kind = static_cast<char>(bytes[start + 1]);
    if (kind == '7') throw InputError(name + ": a PAM file (P7), which is not supported: use PGM (P2, P5) or PPM (P3, P6)");
    const bool plain = kind == '1' || kind == '2' || kind == '3', bitmap = kind == '1' || kind == '4';
    const size_t channels = (kind == '3' || kind == '6') ? 3 : 1;
    c.pos = start + 2;
    if (c.pos < bytes.size() && !is_space(bytes[c.pos]) && bytes[c.pos] != '#')
        throw InputError(name + ": not a Netpbm file (no whitespace after the magic number P" + std::string(1, kind) + ")");

    const uint32_t width = read_number(c, "width", kMaxSide);
    const uint32_t height = read_number(c, "height", kMaxSide);
    const uint32_t max_value = bitmap ? 1 : read_number(c, "maxval", kMaxMaxval);
    if (width == 0 || height == 0) throw InputError(name + ": impossible image size " + size_text(width, height));
    if (max_value == 0) throw InputError(name + ": maxval is 0 (it must be 1 to 65535)");
    const uint64_t pixels = uint64_t{width} * height;  // < 2^62
    if (pixels > kMaxImagePixels)
        throw InputError(name + ": " + size_text(width, height) + " is " + n(pixels) + " pixels, more than the limit of " +
                         n(kMaxImagePixels) + " (scale the image down)");
    const uint64_t count = pixels * channels;  // samples, at most 3 x 2^24
    std::vector<uint16_t> ignored;
    std::vector<uint16_t>& samples = image ? image->samples : ignored;
    if (image) {
        image->width = width;
        image->height = height;
        image->channels = channels;
        image->max_value = max_value;
    }

    if (plain) {
        // Every sample takes at least one character (PGM and PPM samples also a separator, but the last):
        // check that before allocating.
        const uint64_t left = bytes.size() - c.pos;
        if (count > (bitmap ? left : (left + 1) / 2))
            throw InputError(name + ": truncated file (" + n(count) + " samples promised, " + n(left) +
                             " bytes cannot hold them)");
        if (image) samples.resize(static_cast<size_t>(count));
        for (size_t i = 0; i < count; ++i) {
            uint32_t v = 0;
            if (bitmap) {
                skip_space(c);
                if (c.pos == bytes.size()) throw InputError(name + ": truncated file (pixel " + n(i) + " is missing)");
                const uint8_t bit = bytes[c.pos++];
                if (bit != '0' && bit != '1')
                    throw InputError(name + ": pixel " + n(i) + " is '" + std::string(1, static_cast<char>(bit)) +
                                     "', not 0 or 1");
                v = bit == '1' ? 0 : 1;
            } else {
                v = read_number(c, "sample " + n(i), kMaxMaxval);
                if (v > max_value)
                    throw InputError(name + ": sample " + n(i) + " is " + n(v) + ", more than maxval " + n(max_value));
            }
            if (image) samples[i] = static_cast<uint16_t>(v);
        }
        skip_space(c);
        return;
    }

    if (c.pos == bytes.size() || !is_space(bytes[c.pos]))
        throw InputError(name + ": truncated file or no whitespace after the " + (bitmap ? "height" : "maxval"));
    ++c.pos;  // the single whitespace character before the raster
    const uint64_t row_bytes = bitmap ? (uint64_t{width} + 7) / 8 : uint64_t{width} * channels * (max_value < 256 ? 1 : 2);
    const uint64_t promised = row_bytes * height, present = bytes.size() - c.pos;
    if (present < promised)
        throw InputError(name + ": truncated file (" + n(promised) + " bytes of image data promised, " + n(present) +
                         " present)");
    if (image) samples.resize(static_cast<size_t>(count));
    const uint8_t* p = bytes.data() + c.pos;
    if (bitmap) {
        for (uint64_t y = 0; y < height; ++y)
            for (uint64_t x = 0; x < width; ++x) {
                const uint32_t bit = (p[y * row_bytes + x / 8] >> (7 - x % 8)) & 1;
                if (image) samples[static_cast<size_t>(y * width + x)] = static_cast<uint16_t>(1 - bit);
            }
    } else {
        const bool wide = max_value >= 256;
        for (size_t i = 0; i < count; ++i) {
            const uint32_t v = wide ? read_be16(p + 2 * i) : p[i];  // 2-byte samples: most significant first
            if (v > max_value)
                throw InputError(name + ": sample " + n(i) + " is " + n(v) + ", more than maxval " + n(max_value));
            if (image) samples[i] = static_cast<uint16_t>(v);
        }
    }
    c.pos += static_cast<size_t>(promised);
}

}  // namespace

bool is_pnm(const std::vector<uint8_t>& bytes) {
    return bytes.size() >= 2 && bytes[0] == 'P' && bytes[1] >= '1' && bytes[1] <= '7';
}

// Format notes (pbm(5), pgm(5), ppm(5)): a binary (P4, P5, P6) file is a sequence of one or more images,
// with nothing before, between or after them; a plain (P1, P2, P3) file holds exactly one image, which may
// be followed by whitespace. We return the first image; the ones after it must be whole, valid binary
// images (they are checked, not kept), and anything else after the first image is refused.
Image decode_pnm(const std::vector<uint8_t>& bytes, const std::string& name) {
    if (!is_pnm(bytes))
        throw InputError(name + ": not a Netpbm file (it does not start with P1 to P6)");
    Image image;
    Cursor c{bytes, 0, name};
    read_image(c, &image);
    const char kind = static_cast<char>(bytes[1]);
    if (kind == '1' || kind == '2' || kind == '3') {
        if (c.pos != bytes.size())
            throw InputError(name + ": " + n(bytes.size() - c.pos) + " bytes after the last sample (a plain " +
                             kind_name(kind) + " file holds one image)");
        return image;
    }
    size_t following = 0;
    while (c.pos < bytes.size()) {
        const size_t at = c.pos;
        const bool another = bytes.size() - at >= 2 && bytes[at] == 'P' && bytes[at + 1] >= '4' && bytes[at + 1] <= '6';
        if (!another)
            throw InputError(name + ": " + n(bytes.size() - at) + " bytes after the image that are not another image");
        ++following;
        try {
            read_image(c, nullptr);
        } catch (const InputError& e) {
            throw InputError(std::string(e.what()) + " (in image " + n(following + 1) + " of the file, at byte " + n(at) + ")");
        }
    }
    return image;
}

}  // namespace mnist
