// Files for the tests that run the program or read what it wrote: whole files as bytes or text, IDX files
// byte by byte (docs/01-data.md), and this test binary run again as a child process. The synthetic data
// sets themselves come from synthetic_data.h.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#if defined(__unix__) || defined(__APPLE__)
#include <sys/wait.h>
#endif

namespace test_files {

inline std::vector<uint8_t> read_bytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

inline std::string read_text(const std::filesystem::path& path) {
    const std::vector<uint8_t> bytes = read_bytes(path);
    return std::string(bytes.begin(), bytes.end());
}

inline void write_bytes(const std::filesystem::path& path, const std::vector<uint8_t>& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

// An IDX file of unsigned bytes: 00 00 08 <dimension count>, each dimension as a big-endian u32, the values.
inline void write_idx(const std::filesystem::path& path, const std::vector<uint32_t>& dims,
                      const std::vector<uint8_t>& values) {
    std::vector<uint8_t> bytes = {0, 0, 0x08, static_cast<uint8_t>(dims.size())};
    for (const uint32_t d : dims)
        for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<uint8_t>(d >> shift));
    bytes.insert(bytes.end(), values.begin(), values.end());
    write_bytes(path, bytes);
}

// For what only a separate process shows (what a command wrote to stdout, its exit status when stdout is
// /dev/full): runs this test binary again through the shell as `<self> --child ARGS... >out 2>err`, where
// the test's main() hands ARGS to run_cli when its first argument is --child. Returns the child's exit
// status, 128 + the signal's number if a signal ended it, or -1 where that cannot be told (not POSIX: the
// caller skips). Arguments are single-quoted, so any bytes but NUL pass through.
inline int run_child(const std::string& self, const std::vector<std::string>& args, const std::string& out,
                     const std::string& err = "/dev/null") {
#if defined(__unix__) || defined(__APPLE__)
    const auto quoted = [](const std::string& text) {
        std::string q = "'";
        for (const char c : text) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
        return q + "'";
    };
    std::string command = quoted(self) + " --child";
    for (const std::string& arg : args) command += " " + quoted(arg);
    command += " >" + quoted(out) + " 2>" + quoted(err);
    const int status = std::system(command.c_str());
    if (status == -1) return -1;
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
#else
    (void)self, (void)args, (void)out, (void)err;
    return -1;
#endif
}

// Whether run_child works here: the binary can run itself again through the shell (not so, say, under
// qemu-user without binfmt_misc, where the shell cannot execute the emulated binary). Tests that need a
// child skip those checks, saying so, when it does not.
inline bool child_processes_work(const std::string& self) {
    return run_child(self, {"--help"}, "/dev/null") == 0;
}

}  // namespace test_files
