// Tests for data/pnm_reader (PBM, PGM and PPM, plain and binary, and files of several images), data/pnm_writer and data/image_file (the
// choice of reader by signature, and the names of formats we do not read): valid files with comments
// and every maxval width, and one malformed file per way the format can be broken. See docs/11-predict.md.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "check.h"
#include "data/image_file.h"
#include "data/pnm_reader.h"
#include "data/pnm_writer.h"
#include "util/check.h"

using mnist::Image;
using mnist::InputError;
using mnist::decode_image;
using mnist::decode_pnm;

namespace {

using Bytes = std::vector<uint8_t>;

Bytes text(const std::string& s) { return Bytes(s.begin(), s.end()); }
Bytes operator+(Bytes a, const Bytes& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

bool samples_are(const Image& image, const std::vector<uint16_t>& want) { return image.samples == want; }

// Decoding must throw InputError whose message starts with the file name and contains `phrase`.
void expect_error(int line, const Bytes& file, const std::string& phrase) {
    check_error_message<InputError>([&] { decode_image(file, "bad.pgm"); }, "bad.pgm", phrase, __FILE__, line);
}
// (Variadic, so that a braced Bytes{...} argument may hold commas.)
#define EXPECT_ERROR(...) expect_error(__LINE__, __VA_ARGS__)

void test_valid() {
    // Plain PGM with comments in every place the header allows them, and CRLF line ends.
    Image image = decode_pnm(text("P2 # a comment\r\n# another\r\n3 #w\n2\n# maxval next\n15\n0 1 2\n13 14 15\n"), "a.pgm");
    CHECK(image.width == 3 && image.height == 2 && image.channels == 1 && image.max_value == 15);
    CHECK(samples_are(image, {0, 1, 2, 13, 14, 15}));

    // Plain PPM, samples spread over lines as the writer likes.
    image = decode_pnm(text("P3\n2 1\n255\n255 0 0\n0\n128 255"), "a.ppm");
    CHECK(image.channels == 3 && image.max_value == 255 && samples_are(image, {255, 0, 0, 0, 128, 255}));

    // Binary PGM, one byte per sample; the single whitespace after maxval may be any blank.
    image = decode_pnm(text("P5 2 2 255 ") + Bytes{0, 10, 200, 255}, "b.pgm");
    CHECK(image.width == 2 && samples_are(image, {0, 10, 200, 255}));
    // The byte after that whitespace is data even if it looks like whitespace or '#'.
    image = decode_pnm(text("P5\n2 1\n255\n") + Bytes{'\n', '#'}, "c.pgm");
    CHECK(samples_are(image, {'\n', '#'}));

    // Binary, two bytes per sample (maxval >= 256), most significant first.
    image = decode_pnm(text("P6\n1 1\n65535\n") + Bytes{0x12, 0x34, 0xFF, 0xFF, 0x00, 0x01}, "d.ppm");
    CHECK(image.max_value == 65535 && samples_are(image, {0x1234, 0xFFFF, 0x0001}));
    image = decode_pnm(text("P5\n2 1\n256\n") + Bytes{0x01, 0x00, 0x00, 0xFF}, "e.pgm");
    CHECK(image.max_value == 256 && samples_are(image, {256, 255}));
    image = decode_pnm(text("P5 1 1 1\n") + Bytes{1}, "f.pgm");  // maxval 1: a bitmap stored as PGM
    CHECK(image.max_value == 1 && samples_are(image, {1}));

    // Valid but unusual files (issue 15: what Netpbm accepts must be accepted). PBM bitmaps: 1 is black, so
    // a bit b is the grey level 1 - b of maxval 1; plain PBM needs no whitespace between its bits but may
    // have it (and comments); binary PBM packs each row into whole bytes, the bits after the row's last
    // pixel not counting. They were refused as "not supported".
    image = decode_pnm(text("P1\n# feep\n3 2\n101\n0 1\n1\n"), "a.pbm");
    CHECK(image.width == 3 && image.height == 2 && image.channels == 1 && image.max_value == 1);
    CHECK(samples_are(image, {0, 1, 0, 1, 0, 0}));
    image = decode_pnm(text("P4\n10 2\n") + Bytes{0xC0, 0x7F, 0x01, 0x80}, "b.pbm");
    CHECK(samples_are(image, {0, 0, 1, 1, 1, 1, 1, 1, 1, 0, /**/ 1, 1, 1, 1, 1, 1, 1, 0, 0, 1}));  // 0x7F: 6 bits past the row
    // A binary file is a sequence of images: the first is read, the others must be whole and valid.
    image = decode_pnm(text("P5\n2 1\n255\n") + Bytes{7, 8} + text("P5\n1 1\n255\n") + Bytes{9} +
                           text("P6 1 1 65535\n") + Bytes{0, 1, 0, 2, 0, 3},
                       "several.pgm");
    CHECK(image.width == 2 && image.height == 1 && samples_are(image, {7, 8}));
    image = decode_pnm(text("P4 1 1\n") + Bytes{0x80} + text("P4 1 1\n") + Bytes{0x00}, "two.pbm");
    CHECK(samples_are(image, {0}));

    // The writer's output reads back.
    const uint8_t pixels[6] = {0, 50, 100, 150, 200, 255};
    const Bytes written = mnist::encode_pgm(pixels, 3, 2);
    CHECK(written == text("P5\n3 2\n255\n") + Bytes(pixels, pixels + 6));
    image = decode_image(written, "written.pgm");
    CHECK(image.width == 3 && image.height == 2 && samples_are(image, {0, 50, 100, 150, 200, 255}));
}

void test_malformed() {
    EXPECT_ERROR(text("P7\nWIDTH 1\n"), "PAM file (P7)");
    EXPECT_ERROR(text("P1\n2 2\n1 0 2 1\n"), "pixel 2 is '2', not 0 or 1");
    EXPECT_ERROR(text("P1\n2 2\n1 0 1\n"), "truncated file");
    EXPECT_ERROR(text("P1\n1 1\n1 0\n"), "2 bytes after the last sample (a plain PBM file holds one image)");
    EXPECT_ERROR(text("P4\n9 2\n") + Bytes{0, 0, 0}, "truncated file (4 bytes of image data promised, 3 present)");
    EXPECT_ERROR(text("P4 9 1"), "no whitespace after the height");
    EXPECT_ERROR(text("P52 2 255\n"), "no whitespace after the magic number");
    EXPECT_ERROR(text("P2\n"), "truncated file (the width is missing)");
    EXPECT_ERROR(text("P2\n3"), "truncated file (the height is missing)");
    EXPECT_ERROR(text("P2 3 2 # no maxval"), "truncated file (the maxval is missing)");
    EXPECT_ERROR(text("P2\n-3 2 255\n"), "the width is not a whole number (found '-'");
    EXPECT_ERROR(text("P2\n3x 2 255\n"), "the width is not a whole number (found 'x'");
    EXPECT_ERROR(text("P2\n3 2.5 255\n"), "the height is not a whole number");
    EXPECT_ERROR(text("P2\n99999999999999999999 2 255\n"), "the width is larger than");
    EXPECT_ERROR(text("P2\n0 2 255\n"), "impossible image size 0x2");
    EXPECT_ERROR(text("P2\n3 0 255\n"), "impossible image size 3x0");
    EXPECT_ERROR(text("P2\n3 2 0\n"), "maxval is 0");
    EXPECT_ERROR(text("P2\n3 2 65536\n"), "the maxval is larger than 65535");
    EXPECT_ERROR(text("P5\n5000 5000 255\n"), "more than the limit");
    EXPECT_ERROR(text("P6\n2147483647 2147483647 255\n"), "more than the limit");

    // Plain rasters.
    EXPECT_ERROR(text("P2\n2 2 255\n0 1 2\n"), "truncated file");
    EXPECT_ERROR(text("P2\n2 1 255\n0\n"), "truncated file (the sample 1 is missing)");
    EXPECT_ERROR(text("P2\n2 1 15\n0 16\n"), "sample 1 is 16, more than maxval 15");
    EXPECT_ERROR(text("P2\n2 1 15\n0 x\n"), "sample 1 is not a whole number");
    EXPECT_ERROR(text("P2\n2 1 15\n0 1 2\n"), "bytes after the last sample");
    EXPECT_ERROR(text("P3\n1 1 255\n1 2 70000\n"), "the sample 2 is larger than 65535");
    // A huge promised size with a short file is refused before anything is allocated.
    EXPECT_ERROR(text("P2\n4000 4000 255\n1 2 3\n"), "bytes cannot hold them");

    // Binary rasters.
    EXPECT_ERROR(text("P5\n2 2 255"), "no whitespace after the maxval");
    EXPECT_ERROR(text("P5\n2 2 255\n") + Bytes{1, 2, 3}, "truncated file (4 bytes of image data promised, 3 present)");
    EXPECT_ERROR(text("P5\n2 2 255\n") + Bytes{1, 2, 3, 4, 5}, "1 bytes after the image that are not another image");
    EXPECT_ERROR(text("P5\n1 1 255\n") + Bytes{1, '\n'}, "1 bytes after the image that are not another image");
    EXPECT_ERROR(text("P5\n1 1 255\n") + Bytes{1} + text("P5\n2 1 255\n") + Bytes{1},
                 "truncated file (2 bytes of image data promised, 1 present) (in image 2 of the file, at byte 12)");
    EXPECT_ERROR(text("P5\n1 1 255\n") + Bytes{1} + text("P2 1 1 255 1"), "bytes after the image that are not another");
    EXPECT_ERROR(text("P5\n1 1 65535\n") + Bytes{1}, "truncated file (2 bytes");
    EXPECT_ERROR(text("P5\n2 1 100\n") + Bytes{100, 101}, "sample 1 is 101, more than maxval 100");
    EXPECT_ERROR(text("P6\n1 1 1000\n") + Bytes{0, 0, 0x03, 0xE9, 0, 0}, "sample 1 is 1001, more than maxval 1000");
}

void test_formats_named() {
    EXPECT_ERROR(Bytes{0xFF, 0xD8, 0xFF, 0xE0}, "a JPEG file; predict reads PNG, PBM, PGM and PPM");
    EXPECT_ERROR(text("GIF89a...."), "a GIF file");
    EXPECT_ERROR(text("BM...."), "a BMP file");
    EXPECT_ERROR(Bytes{'I', 'I', 42, 0}, "a TIFF file");
    EXPECT_ERROR(Bytes{'M', 'M', 0, 42}, "a TIFF file");
    EXPECT_ERROR(text("RIFF....WEBPVP8 "), "a WebP file");
    EXPECT_ERROR(text("....ftypheic"), "an HEIF/AVIF file");
    EXPECT_ERROR(Bytes{0x1F, 0x8B, 8, 0}, "a gzip file");
    EXPECT_ERROR(Bytes{}, "an empty file");
    EXPECT_ERROR(text("hello"), "not an image we know");
    CHECK(mnist::is_pnm(text("P5")) && !mnist::is_pnm(text("P8")) && !mnist::is_pnm(text("P")));
    CHECK_THROWS(InputError, mnist::read_image_file("/nonexistent/digit.png"));
}

// Every prefix of valid files, and every byte replaced by a few values: decode or InputError, no crash.
void test_damaged_files() {
    const std::vector<Bytes> files = {text("P2 # c\n3 2\n15\n0 1 2\n13 14 15\n"), text("P3\n2 1\n255\n255 0 0 0 128 255\n"),
                                      text("P5\n2 2\n255\n") + Bytes{0, 10, 200, 255},
                                      text("P6\n1 1\n65535\n") + Bytes{0x12, 0x34, 0xFF, 0xFF, 0x00, 0x01}};
    size_t cases = 0, other = 0;
    auto attempt = [&](const Bytes& file) {
        ++cases;
        try {
            const Image image = decode_pnm(file, "damaged.pgm");
            if (image.samples.size() != image.width * image.height * image.channels) ++other;
        } catch (const InputError&) {
        } catch (...) {
            ++other;
        }
    };
    for (const Bytes& whole : files) {
        for (size_t cut = 0; cut <= whole.size(); ++cut) attempt(Bytes(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(cut)));
        for (size_t i = 0; i < whole.size(); ++i)
            for (const uint8_t value : {uint8_t{0}, uint8_t{' '}, uint8_t{'#'}, uint8_t{'9'}, uint8_t{0xFF}}) {
                Bytes file = whole;
                file[i] = value;
                attempt(file);
            }
    }
    CHECK(cases > 300);
    CHECK(other == 0);
}

}  // namespace

int main() {
    try {
        test_valid();
        test_malformed();
        test_formats_named();
        test_damaged_files();
    } catch (const std::exception& e) {  // a valid file was refused
        CHECK_MSG(false, std::string("unexpected exception: ") + e.what());
    }
    return check_exit("test_pnm");
}
