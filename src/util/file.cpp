// Reading whole files with the C standard library, which reports why an open failed through errno.
// Not memory-mapped and not streamed: our largest input is a 10 MB .gz file. See docs/01-data.md.
#include "util/file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "util/check.h"

namespace mnist {
namespace {

// Closes the file on every way out of read_file, including the throws.
struct FileCloser {
    std::FILE* file;
    ~FileCloser() { std::fclose(file); }
};

}  // namespace

std::vector<uint8_t> read_file(const std::string& path) {
    errno = 0;
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (file == nullptr) {
        throw InputError(path + ": cannot open (" + std::strerror(errno) + ")");
    }
    FileCloser closer{file};

    // The file's size, to reserve the vector once: only a hint, trusted after a first read succeeds
    // (a folder opens on some systems and reports a size of 2^63 - 1, then fails to read).
    long size_hint = -1;
    if (std::fseek(file, 0, SEEK_END) == 0) {
        size_hint = std::ftell(file);
        std::rewind(file);
    }

    // Read in chunks until a short read, checking for an error after each.
    std::vector<uint8_t> bytes;
    uint8_t chunk[1 << 14];
    for (;;) {
        errno = 0;
        const size_t got = std::fread(chunk, 1, sizeof chunk, file);
        if (std::ferror(file)) {
            const int error = errno;
            throw InputError(path + ": cannot read (" + (error != 0 ? std::strerror(error) : "read error") +
                             ")");
        }
        if (bytes.empty() && got > 0 && size_hint > 0 &&
            static_cast<unsigned long>(size_hint) <= bytes.max_size()) {
            bytes.reserve(static_cast<size_t>(size_hint));
        }
        bytes.insert(bytes.end(), chunk, chunk + got);
        if (got < sizeof chunk) break;
    }
    return bytes;
}

bool file_exists(const std::string& path) {
    errno = 0;
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (file != nullptr) {
        std::fclose(file);
        return true;
    }
    return errno != ENOENT && errno != ENOTDIR;
}

}  // namespace mnist
