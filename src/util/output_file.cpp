// Atomic whole-file writes with std::ofstream + std::rename, and folder creation with std::filesystem.
#include "util/output_file.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "util/check.h"

namespace mnist {

namespace {

void write_atomic(const std::string& path, const char* data, size_t size) {
    const std::string temporary = path + ".partial";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out) throw SystemError(path + ": cannot create " + temporary);
        out.write(data, static_cast<std::streamsize>(size));
        out.flush();
        if (!out) {
            out.close();
            std::remove(temporary.c_str());
            throw SystemError(path + ": write failed (disk full?)");
        }
        out.close();
        if (!out) {
            std::remove(temporary.c_str());
            throw SystemError(path + ": write failed when closing (disk full?)");
        }
    }
    if (std::rename(temporary.c_str(), path.c_str()) != 0) {
        std::remove(temporary.c_str());
        throw SystemError(path + ": cannot rename " + temporary + " over it");
    }
}

}  // namespace

void write_file_atomic(const std::string& path, const std::vector<uint8_t>& bytes) {
    write_atomic(path, reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

void write_file_atomic(const std::string& path, const std::string& text) {
    write_atomic(path, text.data(), text.size());
}

void make_directories(const std::string& dir) {
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    if (error) throw SystemError(dir + ": cannot create folder (" + error.message() + ")");
    if (!std::filesystem::is_directory(dir, error)) throw SystemError(dir + ": exists but is not a folder");
}

}  // namespace mnist
