// model.bin: a trained network on disk, in a documented, portable binary format. All integers and floats
// are little-endian, whatever the machine; floats are IEEE-754 binary32. Written atomically.
//
//   offset  size        field
//   0       8           magic "MNISTMLP"
//   8       4   u32     format version (1)
//   12      4   u32     image rows      (e.g. 28)
//   16      4   u32     image columns   (e.g. 28)
//   20      4   u32     L + 1, the number of layer sizes (L dense layers), 2..64 (kMaxLayerSizes)
//   24      4(L+1) u32  layer sizes, input first: 784 512 256 128 10 (sizes[0] = rows * columns)
//   ...     4P  f32     the parameter block (nn/parameters.h): W(1) [out x in] row-major, b(1), W(2), ...
//   ...     4   u32     CRC-32 (codec/checksum.h) of every byte before it
//
// Reading: a parameter that is not finite makes the file invalid. A subnormal parameter (0 < |x| < 2^-126,
// which files written before 2026-11-28 hold by the tens of thousands: see docs/06-adam.md) is read as 0,
// so that no computation with the model meets one; the program never writes one.
// See docs/07-training.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "codec/byte_io.h"
#include "nn/mlp.h"

namespace mnist {

// The limits of a network, the same for the writer and every reader (model.bin, checkpoint.bin, `train
// --hidden`), so that nothing is trained that could not be read back: at most kMaxLayerSizes layer sizes
// (inputs, up to 62 hidden layers, classes), each 1 to kMaxUnits units, at most kMaxParameters weights
// and biases in all (1 GiB of floats; the training run holds five blocks of that size).
constexpr uint64_t kMaxLayerSizes = 64;
constexpr uint64_t kMaxUnits = uint64_t(1) << 24;
constexpr uint64_t kMaxParameters = uint64_t(1) << 28;
// The most bytes a model.bin can have: its header with kMaxLayerSizes sizes, kMaxParameters floats, the CRC.
constexpr uint64_t kMaxModelFileBytes = 24 + 4 * kMaxLayerSizes + 4 * kMaxParameters + 4;

// Why a network with these layer sizes (input first) is beyond the limits above, as a phrase ("65 layer
// sizes, more than the 64 a model can have"), or "" when it is within them. Sums are 64-bit.
std::string model_size_problem(const std::vector<size_t>& sizes);

// The layer sizes as every network file stores them (model.bin, checkpoint.bin, model-int8.bin): a u32
// count, then that many u32 sizes, input first, little-endian. read_layer_sizes checks the count before it
// reads the sizes and the sizes (model_size_problem) before it returns them, so no caller allocates from a
// size beyond the limits; it throws InputError("<name>: <the problem>") through `in`. A format with a limit
// of its own (an int8 layer's inputs) checks that afterwards.
void write_layer_sizes(ByteWriter& out, const std::vector<size_t>& sizes);
std::vector<size_t> read_layer_sizes(ByteReader& in);

struct SavedModel {
    Mlp mlp;
    size_t image_rows = 0, image_cols = 0;
};

// Throws std::invalid_argument for a network beyond the limits (a caller's bug: `train` checks --hidden).
std::vector<uint8_t> encode_model(const Mlp& mlp, size_t image_rows, size_t image_cols);
// Throws InputError("<name>: <reason>") for anything malformed: bad magic, unknown version, impossible
// sizes, a length that does not match the sizes, a CRC mismatch.
SavedModel decode_model(const std::vector<uint8_t>& bytes, const std::string& name);
// Whether `bytes` begin with model.bin's magic, MNISTMLP (what kind of model file it is, before decoding).
bool has_model_magic(const std::vector<uint8_t>& bytes);

void save_model(const std::string& path, const Mlp& mlp, size_t image_rows, size_t image_cols);
SavedModel load_model(const std::string& path);

}  // namespace mnist
