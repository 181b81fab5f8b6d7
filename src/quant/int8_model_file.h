// model-int8.bin: an int8 network (quant/int8_model.h) on disk, in a documented, portable binary format, as
// model.bin is for the float network (nn/model_file.h). Integers are little-endian whatever the machine;
// there are no floats: the file holds exactly what the integer-only inference reads. Written atomically.
//
//   offset  size        field
//   0       8           magic "MNISTINT"
//   8       4   u32     format version (1)
//   12      4   u32     image rows      (e.g. 28)
//   16      4   u32     image columns   (e.g. 28)
//   20      4   u32     L + 1, the number of layer sizes (L dense layers), 2..64
//   24      4(L+1) u32  layer sizes, input first: 784 512 256 128 10 (sizes[0] = rows * columns)
//   ...     1   u8      weight scales: 0 one per row (output unit), 1 one per layer (then every row of a
//                       layer has the same multiplier and shift)
//   ...     4   u32     the CRC-32 field of the model.bin this was quantised from (identifies it)
//   then for each layer l = 1..L, with n = sizes[l-1] inputs and m = sizes[l] outputs:
//   ...     n*m i8      weights [m x n] row-major, two's complement, each in [-127, 127]
//   ...     4m  i32     biases, two's complement, each within +-2^30
//   ...     4m  u32     multipliers, each below 2^31
//   ...     m   u8      shifts, each 1..62
//   ...     4   u32     CRC-32 (codec/checksum.h) of every byte before it
//
// A layer has at most 2^15 inputs, so that its int32 sums cannot overflow (quant/int8_model.h). The scores
// are logits x 2^16. See docs/13-quantisation.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nn/model_file.h"
#include "quant/int8_model.h"

namespace mnist {

// The format's limits are model.bin's (nn/model_file.h: kMaxLayerSizes layer sizes, kMaxUnits units in a
// layer, kMaxParameters weights and biases in all), and a layer has at most kMaxInt8Inputs inputs. A file is
// then at most this long: a weight takes 1 byte and a bias with its multiplier and shift 9.
constexpr uint64_t kMaxInt8ModelFileBytes = 24 + 4 * kMaxLayerSizes + 5 + 9 * kMaxParameters + 4;

std::vector<uint8_t> encode_int8_model(const Int8Model& model);
// Throws InputError("<name>: <reason>") for anything malformed: bad magic, unknown version, impossible sizes,
// a length that does not match them, a CRC mismatch, a weight of -128, a bias, multiplier or shift out of
// range, rows of a per-layer model with different multipliers.
Int8Model decode_int8_model(const std::vector<uint8_t>& bytes, const std::string& name);

void save_int8_model(const std::string& path, const Int8Model& model);
Int8Model load_int8_model(const std::string& path);

// Which kind of model file the bytes start like: "MNISTMLP" (float, nn/model_file.h), "MNISTINT" (this
// format), or neither. Lets eval and predict take either.
enum class ModelFileKind { float32, int8, unknown };
ModelFileKind model_file_kind(const std::vector<uint8_t>& bytes);

}  // namespace mnist
