// Format detection by signature: the file name's extension is never trusted.
#include "codec/image_file.h"

#include <cstring>

#include "codec/png_reader.h"
#include "codec/pnm_reader.h"
#include "util/check.h"
#include "util/file.h"

namespace mnist {
namespace {

bool starts_with(const std::vector<uint8_t>& bytes, const char* prefix) {
    const size_t length = std::strlen(prefix);
    return bytes.size() >= length && std::memcmp(bytes.data(), prefix, length) == 0;
}

// The names of formats we recognise but do not read, from their signatures.
const char* other_format(const std::vector<uint8_t>& bytes) {
    if (bytes.size() >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) return "a JPEG file";
    if (starts_with(bytes, "GIF87a") || starts_with(bytes, "GIF89a")) return "a GIF file";
    if (starts_with(bytes, "BM")) return "a BMP file";
    if (bytes.size() >= 4 && ((bytes[0] == 'I' && bytes[1] == 'I' && bytes[2] == 42 && bytes[3] == 0) ||
                              (bytes[0] == 'M' && bytes[1] == 'M' && bytes[2] == 0 && bytes[3] == 42)))
        return "a TIFF file";
    if (bytes.size() >= 12 && starts_with(bytes, "RIFF") && std::memcmp(bytes.data() + 8, "WEBP", 4) == 0)
        return "a WebP file";
    if (bytes.size() >= 12 && std::memcmp(bytes.data() + 4, "ftyp", 4) == 0) return "an HEIF/AVIF file";
    if (starts_with(bytes, "<svg") || starts_with(bytes, "<?xml")) return "an SVG or XML file";
    if (starts_with(bytes, "\x1F\x8B")) return "a gzip file";
    if (bytes.empty()) return "an empty file";
    return "not an image we know";
}

}  // namespace

Image decode_image(const std::vector<uint8_t>& bytes, const std::string& name) {
    if (is_png(bytes)) return decode_png(bytes, name);
    if (is_pnm(bytes)) return decode_pnm(bytes, name);
    throw InputError(name + ": " + other_format(bytes) +
                     "; predict reads PNG, PBM, PGM and PPM (convert it to PNG first)");
}

Image read_image_file(const std::string& path) {
    return decode_image(read_file(path, kMaxImageFileBytes, "an image file"), path_for_message(path));
}

}  // namespace mnist
