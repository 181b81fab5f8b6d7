// Atomic whole-file writes with the C standard library (fopen's "x" mode creates a file only if none is
// there, C11 7.21.5.3; errno says why a call failed) and std::rename, folders with std::filesystem.
#include "util/output_file.h"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "util/check.h"
#include "util/rng.h"

namespace mnist {

namespace {

std::string reason(int error) { return error != 0 ? std::strerror(error) : "no reason given"; }

std::string hex64(uint64_t value) {
    char text[20];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
    return text;
}

// Creates a new, empty file beside `path` whose name no file has: path + ".partial-" + 16 hex digits,
// drawn from the clock and this call's stack address and created exclusively, so that it is never a file
// another program is writing (an existing name is simply drawn again). Sets `temporary` to its name.
std::FILE* create_temporary(const std::string& path, std::string& temporary) {
    const int here = 0;
    uint64_t draw = static_cast<uint64_t>(reinterpret_cast<uintptr_t>(&here));
    for (int attempt = 0; attempt < 64; ++attempt) {
        draw = mix64(draw ^ static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
                     static_cast<uint64_t>(attempt));
        temporary = path + ".partial-" + hex64(draw);
        errno = 0;
        std::FILE* file = std::fopen(temporary.c_str(), "wbx");
        if (file != nullptr) return file;
        if (errno != EEXIST) throw SystemError(path + ": cannot create " + temporary + " (" + reason(errno) + ")");
    }
    throw SystemError(path + ": cannot find an unused temporary name beside it");
}

// Writes the bytes to a new temporary file beside `path`, flushed and closed; returns its name. On failure
// the temporary file is removed and SystemError says why ("No space left on device").
std::string write_temporary(const std::string& path, const char* data, size_t size) {
    std::string temporary;
    std::FILE* file = create_temporary(path, temporary);
    errno = 0;
    bool ok = size == 0 || std::fwrite(data, 1, size, file) == size;
    if (ok) ok = std::fflush(file) == 0;
    int error = ok ? 0 : errno;
    if (std::fclose(file) != 0 && ok) {  // the last buffered bytes may only fail here
        ok = false;
        error = errno;
    }
    if (!ok) {
        std::remove(temporary.c_str());
        throw SystemError(path + ": write failed (" + reason(error) + ")");
    }
    return temporary;
}

// Renames a written temporary file over `path`; on failure removes it and says why.
void replace_with(const std::string& path, const std::string& temporary) {
    errno = 0;
    if (std::rename(temporary.c_str(), path.c_str()) != 0) {
        const int error = errno;
        std::remove(temporary.c_str());
        throw SystemError(path + ": cannot rename " + temporary + " over it (" + reason(error) + ")");
    }
}

}  // namespace

// Renaming over a device, a FIFO or a folder would replace it with a file (`--out /dev/null` once replaced
// /dev/null for everyone): only regular files, or nothing, are replaced.
void write_file_atomic(const std::string& path, const std::vector<uint8_t>& bytes) {
    check_can_replace(path);
    replace_with(path, write_temporary(path, reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

void write_file_atomic(const std::string& path, const std::string& text) {
    check_can_replace(path);
    replace_with(path, write_temporary(path, text.data(), text.size()));
}

OutputFile output_file(const std::string& path, const std::string& text) {
    return {path, std::vector<uint8_t>(text.begin(), text.end())};
}

void write_files_atomic(const std::vector<OutputFile>& files) {
    for (const OutputFile& file : files) check_can_replace(file.path);  // as write_file_atomic
    std::vector<std::string> temporaries;
    try {
        for (const OutputFile& file : files) {
            const std::string folder = std::filesystem::path(file.path).parent_path().string();
            if (!folder.empty()) make_directories(folder);
            temporaries.push_back(write_temporary(file.path, reinterpret_cast<const char*>(file.bytes.data()),
                                                  file.bytes.size()));
        }
    } catch (const SystemError&) {
        for (const std::string& temporary : temporaries) std::remove(temporary.c_str());
        throw;
    }
    for (size_t i = 0; i < files.size(); ++i) {
        try {
            replace_with(files[i].path, temporaries[i]);
        } catch (const SystemError&) {
            for (size_t j = i + 1; j < files.size(); ++j) std::remove(temporaries[j].c_str());
            throw;
        }
    }
}

void make_directories(const std::string& dir) {
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    if (error) throw SystemError(dir + ": cannot create folder (" + error.message() + ")");
    if (!std::filesystem::is_directory(dir, error)) throw SystemError(dir + ": exists but is not a folder");
}

void check_can_replace(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code error;
    const fs::file_status status = fs::status(path, error);
    if (status.type() == fs::file_type::not_found || status.type() == fs::file_type::regular) return;
    if (error) throw SystemError(path + ": cannot tell what is there (" + error.message() + ")");
    const char* what = status.type() == fs::file_type::directory ? "a folder" : "something other than a file";
    throw SystemError(path + ": " + what + " is in the way of the file this run writes there");
}

}  // namespace mnist
