// Reading whole files into memory as bytes, with failures reported as one sentence naming the path.
// Only regular files are read, and never more than the caller's format can hold: a folder, a FIFO, a
// device such as /dev/zero or a file larger than the bound is refused before anything is allocated.
// Not for writing (util/output_file.h) and not a parser: what the bytes mean is codec/gzip.h's and
// data/idx.h's business. Used by docs/01-data.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mnist {

// The whole file, read in binary mode. `max_bytes` is the most the caller's format can hold and
// `format` names it for the message ("a model file"). Throws InputError naming the path when it cannot
// be opened ("<path>: cannot open (<reason>)"), is not a regular file ("<path>: not a regular file (a
// FIFO)"), is larger than max_bytes ("<path>: 2147483648 bytes, more than a model file can hold (...)"),
// or reading it fails part way; SystemError when there is not enough memory for its bytes. An empty path
// is named as "" in messages.
std::vector<uint8_t> read_file(const std::string& path, uint64_t max_bytes, const char* format);

// True when something exists at `path` (a file, a folder, anything), or when it cannot be told because
// of a reason other than "no such file" (say, permission denied; read_file will then report it).
bool file_exists(const std::string& path);

// The file `name` in the folder of `path`: beside("out/model.bin", "demo.html") is "out/demo.html",
// beside("model.bin", "demo.html") is "demo.html".
std::string beside(const std::string& path, const std::string& name);

// `path` as messages show it: itself, or "" (two quote marks) when it is empty.
std::string path_for_message(const std::string& path);

}  // namespace mnist
