// Opening an image file whatever its format: the first bytes decide between the PNG and the PGM/PPM
// readers, and other well-known formats are named in the refusal so the user knows what to convert.
// Not a decoder itself (codec/png_reader.h, codec/pnm_reader.h). See docs/11-predict.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "codec/image.h"

namespace mnist {

// Decodes PNG, PGM (P2, P5) or PPM (P3, P6) bytes. Throws InputError("<name>: <reason>") for any other
// content, e.g. "photo.jpg: a JPEG file; predict reads PNG, PBM, PGM and PPM (convert it to PNG first)".
Image decode_image(const std::vector<uint8_t>& bytes, const std::string& name);

// The largest image file read_image_file reads: 512 MiB. The largest image any reader accepts
// (kMaxImagePixels of 16-bit RGBA) takes 134 MB as an uncompressed PNG and about 300 MB as a plain PPM
// of 16-bit samples written out in decimal; a photo of a digit is a few megabytes.
constexpr uint64_t kMaxImageFileBytes = uint64_t(512) << 20;

// read_file(path, kMaxImageFileBytes) (util/file.h), then decode_image.
Image read_image_file(const std::string& path);

}  // namespace mnist
