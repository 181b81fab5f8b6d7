// Reading Netpbm's images: PBM bitmaps (P1 plain text, P4 binary), PGM greyscale (P2, P5) and PPM colour
// (P3, P6), with maxval up to 65535 and '#' comments; a binary file holding several images gives its
// first (the others are checked). Not PAM (P7). The writer is codec/pnm_writer.h. See docs/11-predict.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "codec/image.h"

namespace mnist {

// True when `bytes` start like a Netpbm file: 'P' and a digit from 1 to 7.
bool is_pnm(const std::vector<uint8_t>& bytes);

// Decodes a whole P1 to P6 file into 1 (PBM, PGM) or 3 (PPM) channels with max_value = the file's maxval
// (1 for PBM, whose black 1 bits become 0 and white 0 bits 1). Throws InputError("<name>: <reason>") for
// PAM, anything malformed, a sample above maxval, bytes after the image that are not another whole binary
// image, or more than kMaxImagePixels pixels (checked before allocating).
Image decode_pnm(const std::vector<uint8_t>& bytes, const std::string& name);

}  // namespace mnist
