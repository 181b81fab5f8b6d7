// A reader for Netpbm's PGM and PPM formats, plain and binary. The header is read token by token with
// every number range-checked, the size is checked against kMaxImagePixels and against the bytes present,
// and only then is the image allocated. Not PBM or PAM. See docs/11-predict.md.
#include "data/pnm_reader.h"

#include <cstddef>

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

}  // namespace

bool is_pnm(const std::vector<uint8_t>& bytes) {
    return bytes.size() >= 2 && bytes[0] == 'P' && bytes[1] >= '1' && bytes[1] <= '7';
}

// Format notes (Netpbm's pgm(5) and ppm(5)): the magic number P2, P3, P5 or P6; whitespace; the width,
// height and maxval as ASCII decimals separated by whitespace, with '#' comments allowed between them;
// maxval is 1 to 65535. Plain files (P2, P3) then hold every sample as an ASCII decimal, separated by
// whitespace. Binary files (P5, P6) have exactly one whitespace character after maxval, then the samples
// as bytes: one byte each when maxval < 256, otherwise two, most significant first. A PPM pixel is red,
// green, blue. No sample may exceed maxval.
Image decode_pnm(const std::vector<uint8_t>& bytes, const std::string& name) {
    if (!is_pnm(bytes)) throw InputError(name + ": not a PGM or PPM file (it does not start with P2, P3, P5 or P6)");
    const char kind = static_cast<char>(bytes[1]);
    if (kind == '1' || kind == '4')
        throw InputError(name + ": a PBM bitmap (P" + kind + "), which is not supported: use PGM (P2, P5) or PPM (P3, P6)");
    if (kind == '7') throw InputError(name + ": a PAM file (P7), which is not supported: use PGM (P2, P5) or PPM (P3, P6)");
    const bool plain = kind == '2' || kind == '3';
    const size_t channels = (kind == '3' || kind == '6') ? 3 : 1;
    Cursor c{bytes, 2, name};
    if (c.pos < bytes.size() && !is_space(bytes[c.pos]) && bytes[c.pos] != '#')
        throw InputError(name + ": not a PGM or PPM file (no whitespace after the magic number P" + kind + ")");

    Image image;
    image.width = read_number(c, "width", kMaxSide);
    image.height = read_number(c, "height", kMaxSide);
    image.max_value = read_number(c, "maxval", kMaxMaxval);
    image.channels = channels;
    if (image.width == 0 || image.height == 0)
        throw InputError(name + ": impossible image size " + n(image.width) + "x" + n(image.height));
    if (image.max_value == 0) throw InputError(name + ": maxval is 0 (it must be 1 to 65535)");
    const uint64_t pixels = uint64_t{image.width} * image.height;  // < 2^62
    if (pixels > kMaxImagePixels)
        throw InputError(name + ": " + n(image.width) + "x" + n(image.height) + " is " + n(pixels) +
                         " pixels, more than the limit of " + n(kMaxImagePixels) + " (scale the image down)");
    const uint64_t count = pixels * channels;  // samples, at most 3 x 2^24

    if (plain) {
        // Every sample but the last takes at least a digit and a separator: check that before allocating.
        const uint64_t left = bytes.size() - c.pos;
        if (count > (left + 1) / 2)
            throw InputError(name + ": truncated file (" + n(count) + " samples promised, " + n(left) +
                             " bytes cannot hold them)");
        image.samples.resize(static_cast<size_t>(count));
        for (size_t i = 0; i < image.samples.size(); ++i) {
            const uint32_t v = read_number(c, "sample " + n(i), kMaxMaxval);
            if (v > image.max_value)
                throw InputError(name + ": sample " + n(i) + " is " + n(v) + ", more than maxval " + n(image.max_value));
            image.samples[i] = static_cast<uint16_t>(v);
        }
        skip_space(c);
        if (c.pos != bytes.size())
            throw InputError(name + ": " + n(bytes.size() - c.pos) + " bytes after the last sample");
        return image;
    }

    if (c.pos == bytes.size() || !is_space(bytes[c.pos]))
        throw InputError(name + ": truncated file or no whitespace after maxval");
    ++c.pos;  // the single whitespace character before the raster
    const uint64_t sample_bytes = image.max_value < 256 ? 1 : 2;
    const uint64_t promised = count * sample_bytes, present = bytes.size() - c.pos;
    if (present < promised)
        throw InputError(name + ": truncated file (" + n(promised) + " bytes of image data promised, " + n(present) +
                         " present)");
    if (present > promised)
        throw InputError(name + ": " + n(present - promised) +
                         " bytes after the image (files holding several images are not supported)");
    image.samples.resize(static_cast<size_t>(count));
    const uint8_t* p = bytes.data() + c.pos;
    for (size_t i = 0; i < image.samples.size(); ++i) {
        const uint32_t v = sample_bytes == 1 ? p[i] : (uint32_t{p[2 * i]} << 8 | p[2 * i + 1]);
        if (v > image.max_value)
            throw InputError(name + ": sample " + n(i) + " is " + n(v) + ", more than maxval " + n(image.max_value));
        image.samples[i] = static_cast<uint16_t>(v);
    }
    return image;
}

}  // namespace mnist
