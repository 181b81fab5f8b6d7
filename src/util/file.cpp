// Reading whole files: std::filesystem says what kind of file it is and how long, the C standard library
// reads it (and says why an open failed, through errno). Not memory-mapped and not streamed: our largest
// input is a 10 MB .gz file. See docs/01-data.md.
#include "util/file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <new>
#include <system_error>

#include "util/check.h"

namespace mnist {
namespace {

// Closes the file on every way out of read_file, including the throws.
struct FileCloser {
    std::FILE* file;
    ~FileCloser() { std::fclose(file); }
};

// What kind of thing a path that is not a regular file is, for the message.
const char* kind_of(std::filesystem::file_type type) {
    switch (type) {
        case std::filesystem::file_type::directory: return "a folder";
        case std::filesystem::file_type::fifo: return "a FIFO";
        case std::filesystem::file_type::character: return "a character device";
        case std::filesystem::file_type::block: return "a block device";
        case std::filesystem::file_type::socket: return "a socket";
        default: return "not a file";
    }
}

}  // namespace

std::string path_for_message(const std::string& path) { return path.empty() ? std::string("\"\"") : path; }

std::vector<uint8_t> read_file(const std::string& path, uint64_t max_bytes, const char* format) {
    namespace fs = std::filesystem;
    const std::string name = path_for_message(path);
    // What the path is, before opening it: opening a FIFO would block until a writer comes, and a device
    // such as /dev/zero never ends. status() follows symbolic links, so a link to a file is a file.
    std::error_code error;
    const fs::file_status status = fs::status(path, error);
    if (error || status.type() == fs::file_type::not_found) {
        const std::string reason = error ? error.message() : std::string(std::strerror(ENOENT));
        throw InputError(name + ": cannot open (" + reason + ")");
    }
    if (status.type() != fs::file_type::regular)
        throw InputError(name + ": not a regular file (" + kind_of(status.type()) + ")");
    const uintmax_t size = fs::file_size(path, error);
    if (error) throw InputError(name + ": cannot read its size (" + error.message() + ")");
    if (size > max_bytes)
        throw InputError(name + ": " + std::to_string(size) + " bytes, more than " + format + " can hold (" +
                         std::to_string(max_bytes) + ")");
    if (size > std::numeric_limits<size_t>::max())  // a 32-bit machine
        throw SystemError(name + ": " + std::to_string(size) + " bytes, too many to hold in memory on this machine");

    errno = 0;
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (file == nullptr) throw InputError(name + ": cannot open (" + std::strerror(errno) + ")");
    FileCloser closer{file};

    // The size is known and bounded: one allocation, then one read of exactly that many bytes. A byte
    // more at the end means the file grew while it was read.
    std::vector<uint8_t> bytes;
    try {
        bytes.resize(static_cast<size_t>(size));
    } catch (const std::bad_alloc&) {
        throw SystemError(name + ": not enough memory to read its " + std::to_string(size) + " bytes");
    }
    errno = 0;
    const size_t got = bytes.empty() ? 0 : std::fread(bytes.data(), 1, bytes.size(), file);
    if (std::ferror(file)) {
        const int reason = errno;
        throw InputError(name + ": cannot read (" + (reason != 0 ? std::strerror(reason) : "read error") + ")");
    }
    if (got != bytes.size() || std::fgetc(file) != EOF)
        throw InputError(name + ": changed size while it was read");
    return bytes;
}

bool file_exists(const std::string& path) {
    std::error_code error;
    const std::filesystem::file_status status = std::filesystem::status(path, error);
    if (status.type() == std::filesystem::file_type::not_found) return false;
    if (!error) return true;
    return error != std::errc::no_such_file_or_directory && error != std::errc::not_a_directory;
}

std::string beside(const std::string& path, const std::string& name) {
    const size_t slash = path.find_last_of('/');
    return (slash == std::string::npos ? std::string() : path.substr(0, slash + 1)) + name;
}

}  // namespace mnist
