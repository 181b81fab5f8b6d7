// Replays the fuzzers' corpora without a fuzzer: every file in tests/fuzz_regressions/<harness>/ (inputs
// that once crashed or over-allocated, and hand-made nasty ones) and in the seed corpus fuzz/corpus/<harness>/
// goes through the same entry point as the harness (fuzz/entry_points.h). Each must decode or be refused
// with InputError: any other exception, or one allocation over 256 MiB (the fuzzers' -malloc_limit_mb), fails.
// Two gzip inputs too large to keep as files are made here (a lying ISIZE over 300 KB, 2 MiB of zeros).
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <new>
#include <string>
#include <vector>

#include "../fuzz/entry_points.h"
#include "allocation_counter.h"  // a parser that allocates what a header promises is caught
#include "check.h"
#include "report/deflate_writer.h"
#include "util/check.h"
#include "util/file.h"

namespace {

// The largest single allocation since the last reset, seen by the replacement operator new below.

constexpr size_t kAllocationLimit = size_t(256) << 20;  // the fuzzers' -malloc_limit_mb=256
constexpr double kTimeLimitSeconds = 5.0;                // the fuzzers' -timeout=5

struct Harness {
    const char* name;  // the harness and its folders' name
    void (*entry)(const uint8_t*, size_t);
};

const Harness kHarnesses[] = {
    {"fuzz_gunzip", fuzz::gunzip_entry},
    {"fuzz_inflate", fuzz::inflate_entry},
    {"fuzz_idx", fuzz::idx_entry},
    {"fuzz_model", fuzz::model_entry},
    {"fuzz_checkpoint", fuzz::checkpoint_entry},
    {"fuzz_int8_model", fuzz::int8_model_entry},
    {"fuzz_png", fuzz::png_entry},
    {"fuzz_png_pixels", fuzz::png_pixels_entry},
    {"fuzz_pnm", fuzz::pnm_entry},
};

struct Outcome {
    int decoded = 0, refused = 0;
};

// Runs every file in `folder` through `harness`; returns how each ended. A missing folder is a failure:
// every harness has seeds and regressions.
Outcome replay(const Harness& harness, const std::string& folder) {
    Outcome outcome;
    namespace fs = std::filesystem;
    std::error_code error;
    if (!fs::is_directory(folder, error)) {
        CHECK_MSG(!"missing corpus folder", "missing folder " + folder);
        return outcome;
    }
    std::vector<std::string> paths;
    for (const fs::directory_entry& entry : fs::directory_iterator(folder)) {
        if (entry.is_regular_file()) paths.push_back(entry.path().string());
    }
    std::sort(paths.begin(), paths.end());
    for (const std::string& path : paths) {
        const std::vector<uint8_t> bytes = mnist::read_file(path, uint64_t(1) << 30, "a fuzz input");
        std::string result;
        allocation_counter::largest() = 0;
        const auto start = std::chrono::steady_clock::now();
        try {
            harness.entry(bytes.data(), bytes.size());
            result = "decoded";
            ++outcome.decoded;
        } catch (const mnist::InputError& e) {
            result = std::string("refused: ") + e.what();
            ++outcome.refused;
        } catch (const std::exception& e) {
            result = std::string("FAILED, threw something other than InputError: ") + e.what();
        } catch (...) {
            result = "FAILED, threw something other than InputError";
        }
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const bool ok = result.compare(0, 6, "FAILED") != 0;
        CHECK(ok);
        CHECK(allocation_counter::largest().load() <= kAllocationLimit);
        CHECK(seconds <= kTimeLimitSeconds);
        std::printf("  %-58s %s (largest allocation %zu bytes, %.3f s)\n", path.c_str(), result.c_str(),
                    allocation_counter::largest().load(), seconds);
    }
    std::printf("%s: %zu files, %d decoded, %d refused\n", folder.c_str(), paths.size(), outcome.decoded,
                outcome.refused);
    CHECK(!paths.empty());
    return outcome;
}

// A gzip member around raw DEFLATE data, with the given trailer (RFC 1952: CRC32 and ISIZE little-endian).
std::vector<uint8_t> gzip_of(const std::vector<uint8_t>& deflate, uint32_t crc, uint32_t isize) {
    const uint8_t header[10] = {0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3};
    std::vector<uint8_t> file(header, header + 10);
    file.reserve(10 + deflate.size() + 8);
    file.insert(file.end(), deflate.begin(), deflate.end());
    for (const uint32_t value : {crc, isize}) {
        for (int i = 0; i < 4; ++i) file.push_back(static_cast<uint8_t>(value >> (8 * i)));
    }
    return file;
}

// Inputs too large to keep as files (hundreds of KB), made here. Each runs through gunzip_entry with its
// largest allocation bounded far below what ISIZE claims.
void generated_gzip_inputs() {
    // 300,000 bytes in stored blocks whose ISIZE claims 300,000,000: within the 1032:1 bound and the 1 GiB
    // cap, so it once made gunzip zero-fill 300 MB before finding the mismatch. Now the first buffer is
    // 16 x the DEFLATE bytes (4.8 MB).
    std::vector<uint8_t> stored;
    const size_t total = 300000, block = 65535;
    for (size_t done = 0; done < total; done += block) {
        const size_t n = std::min(block, total - done);
        stored.push_back(done + n == total ? 1 : 0);  // BFINAL on the last, BTYPE 00
        for (const size_t v : {n, n ^ 0xFFFF}) {
            stored.push_back(static_cast<uint8_t>(v));
            stored.push_back(static_cast<uint8_t>(v >> 8));
        }
        for (size_t i = 0; i < n; ++i) stored.push_back(static_cast<uint8_t>((done + i) * 131));
    }
    const std::vector<uint8_t> lying = gzip_of(stored, 0, 300000000);
    allocation_counter::largest() = 0;
    bool refused = false;
    try {
        fuzz::gunzip_entry(lying.data(), lying.size());
    } catch (const mnist::InputError& e) {
        refused = std::string(e.what()).find("ISIZE mismatch") != std::string::npos;
    }
    CHECK(refused);
    CHECK(allocation_counter::largest().load() <= size_t(8) << 20);
    std::printf("  generated: 300 KB stored, ISIZE 300 MB: %s, largest allocation %zu bytes\n",
                refused ? "refused" : "NOT refused", allocation_counter::largest().load());

    // 2 MiB of zeros, about 1000:1: more than 16:1, so gunzip decodes again into larger buffers (64 KiB up
    // to 2 MiB) and must still give the right bytes, with no buffer over ISIZE.
    const std::vector<uint8_t> zeros(size_t(2) << 20, 0);
    const std::vector<uint8_t> deflate = mnist::deflate_compress(zeros.data(), zeros.size());
    const std::vector<uint8_t> bomb =
        gzip_of(deflate, mnist::crc32(zeros.data(), zeros.size()), static_cast<uint32_t>(zeros.size()));
    allocation_counter::largest() = 0;
    bool decoded = false;
    std::string error = "zeros.gz: decoded other bytes";
    try {
        decoded = mnist::gunzip(bomb, "zeros.gz") == zeros;
    } catch (const std::exception& e) {
        error = e.what();
    }
    CHECK_MSG(decoded, error);
    CHECK(deflate.size() * 16 < zeros.size());  // the case the second decode is for
    CHECK(allocation_counter::largest().load() <= zeros.size());
    std::printf("  generated: 2 MiB of zeros in %zu DEFLATE bytes: %s, largest allocation %zu bytes\n",
                deflate.size(), decoded ? "decoded" : "NOT decoded", allocation_counter::largest().load());
}

}  // namespace


int main() {
    for (const Harness& harness : kHarnesses) {
        // Seeds are valid files: each must decode (that is what makes them good seeds).
        const Outcome seeds = replay(harness, std::string("fuzz/corpus/") + harness.name);
        CHECK(seeds.refused == 0);
        CHECK(seeds.decoded > 0);
        // Regressions: decoded or refused, never anything else; most are refused.
        const Outcome regressions = replay(harness, std::string("tests/fuzz_regressions/") + harness.name);
        CHECK(regressions.refused > 0);
    }
    generated_gzip_inputs();
    return check_exit("test_fuzz_regressions");
}
