// libFuzzer harness for quant/int8_model_file.h's decode_int8_model (the model-int8.bin format): whatever
// decodes must re-encode to the same bytes and run through int8_forward without an overflow. InputError is the
// expected refusal; anything else (another exception, a crash, a sanitizer report, an allocation over
// -malloc_limit_mb from sizes the header claims) is a finding. Seeds: fuzz/corpus/fuzz_int8_model/; run with
// `make fuzz-run`. See docs/13-quantisation.md.
#include <cstddef>
#include <cstdint>

#include "entry_points.h"
#include "util/check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        fuzz::int8_model_entry(data, size);
    } catch (const mnist::InputError&) {
        // The parser refused the bytes with a reason: the expected answer to most inputs.
    }
    return 0;  // any other exception escapes to std::terminate, which libFuzzer reports as a crash
}
