// libFuzzer harness for nn/model_file.h's decode_model (the model.bin format), checking that whatever
// decodes re-encodes to the same bytes and then runs as eval and predict run it (check_model_outputs, a
// forward pass: fuzz/entry_points.h). InputError is the expected refusal; anything else (another
// exception, a crash, a sanitizer report, an allocation over -malloc_limit_mb from sizes the header
// claims) is a finding. Seeds: fuzz/corpus/fuzz_model/; run with `make fuzz-run`.
#include <cstddef>
#include <cstdint>

#include "entry_points.h"
#include "util/check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        fuzz::model_entry(data, size);
    } catch (const mnist::InputError&) {
        // The parser refused the bytes with a reason: the expected answer to most inputs.
    }
    return 0;  // any other exception escapes to std::terminate, which libFuzzer reports as a crash
}
