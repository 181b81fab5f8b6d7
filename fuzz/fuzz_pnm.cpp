// libFuzzer harness for codec/pnm_reader.h's decode_pnm: PBM, PGM and PPM headers (magic, width, height,
// maxval, comments), their plain-text or binary samples and files of several images, from any bytes; a
// decoded image then goes through predict's preprocessing and a prediction. InputError is the expected
// refusal; anything else (another exception, a crash, a sanitizer report, an allocation over
// -malloc_limit_mb from a header's size) is a finding. Seeds: fuzz/corpus/fuzz_pnm/.
#include <cstddef>
#include <cstdint>

#include "entry_points.h"
#include "util/check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        fuzz::pnm_entry(data, size);
    } catch (const mnist::InputError&) {
        // The parser refused the bytes with a reason: the expected answer to most inputs.
    }
    return 0;  // any other exception escapes to std::terminate, which libFuzzer reports as a crash
}
