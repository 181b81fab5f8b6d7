// Writing output files so that a crash, a kill or a full disk never leaves a half-written file where a good
// one was: the bytes go to a temporary file in the same folder, which is flushed, checked and then renamed
// over the target (rename within one folder replaces the file in one step on POSIX systems).
// Not for reading: see file.h.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mnist {

// Writes `bytes` to `path` atomically as described above. Throws SystemError naming the path on failure
// (the temporary file is removed; an existing file at `path` is left untouched).
void write_file_atomic(const std::string& path, const std::vector<uint8_t>& bytes);
void write_file_atomic(const std::string& path, const std::string& text);

// Creates `dir` and its parents if needed. Throws SystemError if that fails or if it is not a folder.
void make_directories(const std::string& dir);

}  // namespace mnist
