// Writing output files so that a crash, a kill or a full disk never leaves a half-written file where a good
// one was: the bytes go to a temporary file in the same folder, which is flushed, checked and then renamed
// over the target (rename within one folder replaces the file in one step on POSIX systems). Temporary
// names are unique (created exclusively, never opened if they exist), so two programs writing the same
// target never write into each other's temporary file. Every failure names the file and the system's
// reason. Not for reading: see file.h.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mnist {

// Writes `bytes` to `path` atomically as described above. Throws SystemError naming the path and the
// reason on failure (the temporary file is removed; an existing file at `path` is left untouched).
void write_file_atomic(const std::string& path, const std::vector<uint8_t>& bytes);
void write_file_atomic(const std::string& path, const std::string& text);

// One file of a set written together.
struct OutputFile {
    std::string path;
    std::vector<uint8_t> bytes;
};
OutputFile output_file(const std::string& path, const std::string& text);

// Writes every file to its temporary name first and renames them over their targets only once all are
// written, so that a failure (a full disk, say) leaves every old file as it was rather than half of
// them replaced. Creates the folders the paths name. Throws SystemError naming the file and the reason.
void write_files_atomic(const std::vector<OutputFile>& files);

// Creates `dir` and its parents if needed. Throws SystemError if that fails or if it is not a folder.
void make_directories(const std::string& dir);

// Throws SystemError ("<path>: is a folder, where the run writes a file") when something other than a
// regular file is at a path the run will write a file to, so that it is found before the work, not after.
void check_can_replace(const std::string& path);

}  // namespace mnist
