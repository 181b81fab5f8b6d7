// Reading PNG files (the W3C PNG specification, second edition): every colour type and bit depth,
// plain and Adam7-interlaced, all five filters, CRC-checked chunks and a checked zlib stream decoded by
// codec/inflate.h. Not a writer, and not colour management (gAMA, cHRM, sRGB and iCCP are skipped, as are
// all other ancillary chunks). See docs/11-predict.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "codec/image.h"

namespace mnist {

// True when `bytes` starts with the 8-byte PNG signature.
bool is_png(const std::vector<uint8_t>& bytes);

// Decodes a whole PNG file. The result keeps the file's colour type and precision:
//   greyscale (1, 2, 4, 8, 16 bits)   -> 1 channel, max_value 2^bits - 1   (2 channels with tRNS)
//   greyscale + alpha (8, 16 bits)    -> 2 channels
//   RGB (8, 16 bits)                  -> 3 channels                        (4 channels with tRNS)
//   RGB + alpha (8, 16 bits)          -> 4 channels
//   palette (1, 2, 4, 8-bit indices)  -> 3 channels, max_value 255         (4 channels with tRNS)
// where a tRNS chunk becomes an alpha channel (0 where the pixel is its transparent colour or has a
// transparent palette entry). Throws InputError("<name>: <reason>") for anything malformed or larger than
// kMaxImagePixels, before allocating anything sized by the file's header.
Image decode_png(const std::vector<uint8_t>& bytes, const std::string& name);

}  // namespace mnist
