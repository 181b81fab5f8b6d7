// The IDX file format that MNIST is distributed in: a big-endian header (two zero bytes, an element
// type, a dimension count, one 32-bit size per dimension) followed by the elements in row-major order.
// Only unsigned-byte files, which is all MNIST uses; no writer. Described in docs/01-data.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "codec/gzip.h"

namespace mnist {

// An IDX file's contents: its dimensions (e.g. {60000, 28, 28}) and its bytes after the header,
// row-major, so element (i, r, c) of a 3-D file is values[(i * dims[1] + r) * dims[2] + c].
struct IdxArray {
    std::vector<uint32_t> dims;
    std::vector<uint8_t> values;
};

// Parses an IDX file held in memory. Accepts element type 0x08 (unsigned byte) and 1 to 4 dimensions,
// and requires the data after the header to be exactly the product of the dimensions in length. Takes
// the bytes by value and removes the header in place, so a caller that moves its buffer in never has two
// copies. Every problem throws InputError("<name>: <reason>").
IdxArray parse_idx(std::vector<uint8_t> bytes, const std::string& name);

// Where the IDX file `base` is in folder `dir`: "<dir>/<base>" if that exists, else "<dir>/<base>.gz" if
// that exists, else throws InputError naming both paths.
std::string find_idx_file(const std::string& dir, const std::string& base);

// The largest data file read_idx_file reads, raw or gzipped: the 1 GiB that gunzip decodes at most
// (kMaxGunzipBytes) and a 64th more, room for gzip's framing around incompressible data.
constexpr uint64_t kMaxIdxFileBytes = kMaxGunzipBytes + kMaxGunzipBytes / 64;

// Reads the file at `path` (a regular file of at most kMaxIdxFileBytes), gunzips it if it starts with the
// gzip magic number, and parses it. Messages name the file by `path`. The compressed bytes are released
// as soon as they are decoded.
IdxArray read_idx_file(const std::string& path);

// read_idx_file(find_idx_file(dir, base)): e.g. load_idx("data", "train-labels-idx1-ubyte") reads
// data/train-labels-idx1-ubyte, or else data/train-labels-idx1-ubyte.gz.
IdxArray load_idx(const std::string& dir, const std::string& base);

}  // namespace mnist
