// libFuzzer harness for codec/gzip.h's gunzip: the gzip header, trailer (CRC-32, ISIZE, nothing after
// it) and the DEFLATE data inside, from any bytes. InputError is the expected refusal; any other
// exception, a crash, a sanitizer report, a leak, a hang or an allocation over -malloc_limit_mb is a
// finding. Seeds: fuzz/corpus/fuzz_gunzip/; run with `make fuzz-run`.
#include <cstddef>
#include <cstdint>

#include "entry_points.h"
#include "util/check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        fuzz::gunzip_entry(data, size);
    } catch (const mnist::InputError&) {
        // The parser refused the bytes with a reason: the expected answer to most inputs.
    }
    return 0;  // any other exception escapes to std::terminate, which libFuzzer reports as a crash
}
