// Reading Netpbm's greyscale and colour images: PGM (P2 plain text, P5 binary) and PPM (P3 plain, P6
// binary), with maxval up to 65535 and '#' comments. Not PBM bitmaps (P1, P4), PAM (P7) or files holding
// several images one after another. The writer is data/pnm_writer.h. See docs/11-predict.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/image.h"

namespace mnist {

// True when `bytes` start like a Netpbm file: 'P' and a digit from 1 to 7.
bool is_pnm(const std::vector<uint8_t>& bytes);

// Decodes a whole P2, P3, P5 or P6 file into 1 (PGM) or 3 (PPM) channels with max_value = the file's
// maxval. Throws InputError("<name>: <reason>") for the other Netpbm kinds, anything malformed, a sample
// above maxval, bytes after the image, or more than kMaxImagePixels pixels (checked before allocating).
Image decode_pnm(const std::vector<uint8_t>& bytes, const std::string& name);

}  // namespace mnist
