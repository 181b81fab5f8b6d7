// Reading whole files into memory as bytes, with failures reported as one sentence naming the path.
// Not for writing (util/output_file.h) and not a parser: what the bytes mean is data/gzip.h's and
// data/idx.h's business. Used by docs/01-data.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mnist {

// The whole file, read in binary mode. Throws InputError("<path>: cannot open (<reason>)") when the file
// cannot be opened and InputError("<path>: cannot read (<reason>)") when reading it fails part way.
std::vector<uint8_t> read_file(const std::string& path);

// True when something exists at `path`: it opens for reading, or it fails to open for a reason other
// than "no such file" (say, permission denied; read_file will then report that reason).
bool file_exists(const std::string& path);

}  // namespace mnist
