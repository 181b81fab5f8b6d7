// libFuzzer harness for codec/inflate.h's raw DEFLATE decoder (RFC 1951), decoding any bytes into a
// fixed 32 KiB buffer and checking that a stream that decodes fits a buffer of exactly its size and not
// one byte less. inflate reports by its result and never throws, so any exception, crash, sanitizer
// report or hang is a finding. Seeds: fuzz/corpus/fuzz_inflate/; run with `make fuzz-run`.
#include <cstddef>
#include <cstdint>

#include "entry_points.h"
#include "util/check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        fuzz::inflate_entry(data, size);
    } catch (const mnist::InputError&) {
        // The parser refused the bytes with a reason: the expected answer to most inputs.
    }
    return 0;  // any other exception escapes to std::terminate, which libFuzzer reports as a crash
}
