// libFuzzer harness for train/checkpoint.h's decode_checkpoint, on each input as given and with its
// CRC-32 made right (so mutations reach the training-state checks behind the CRC); what decodes is then
// resumed for a batch, saved and read again, and its history tabled and drawn (fuzz/entry_points.h). InputError is the
// expected refusal; anything else (another exception, a crash, a sanitizer report, an allocation over
// -malloc_limit_mb from counts the file claims) is a finding. Seeds: fuzz/corpus/fuzz_checkpoint/.
#include <cstddef>
#include <cstdint>

#include "entry_points.h"
#include "util/check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        fuzz::checkpoint_entry(data, size);
    } catch (const mnist::InputError&) {
        // The parser refused the bytes with a reason: the expected answer to most inputs.
    }
    return 0;  // any other exception escapes to std::terminate, which libFuzzer reports as a crash
}
