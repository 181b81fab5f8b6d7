// libFuzzer harness for data/idx.h's parse_idx: the IDX header (zero bytes, element type, dimension
// count, big-endian sizes) and its promise of exactly so many data bytes, from any bytes. InputError is
// the expected refusal; anything else (another exception, a crash, a sanitizer report, an allocation over
// -malloc_limit_mb) is a finding. Seeds: fuzz/corpus/fuzz_idx/; run with `make fuzz-run`.
#include <cstddef>
#include <cstdint>

#include "entry_points.h"
#include "util/check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        fuzz::idx_entry(data, size);
    } catch (const mnist::InputError&) {
        // The parser refused the bytes with a reason: the expected answer to most inputs.
    }
    return 0;  // any other exception escapes to std::terminate, which libFuzzer reports as a crash
}
