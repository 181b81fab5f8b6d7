// Opening an image file whatever its format: the first bytes decide between the PNG and the PGM/PPM
// readers, and other well-known formats are named in the refusal so the user knows what to convert.
// Not a decoder itself (data/png_reader.h, data/pnm_reader.h). See docs/11-predict.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/image.h"

namespace mnist {

// Decodes PNG, PGM (P2, P5) or PPM (P3, P6) bytes. Throws InputError("<name>: <reason>") for any other
// content, e.g. "photo.jpg: a JPEG file; predict reads PNG, PGM and PPM (convert it to PNG first)".
Image decode_image(const std::vector<uint8_t>& bytes, const std::string& name);

// read_file(path) (util/file.h), then decode_image.
Image read_image_file(const std::string& path);

}  // namespace mnist
