// libFuzzer harness for codec/png_reader.h's decode_png on whole files, each tried as given and with every
// chunk's CRC made right (so mutated headers and chunk orders get past the CRC); a decoded image is then
// preprocessed and predicted as `mnist predict` does (fuzz/entry_points.h). InputError is the
// expected refusal; anything else (another exception, a crash, a sanitizer report, an allocation over
// -malloc_limit_mb) is a finding. Seeds: fuzz/corpus/fuzz_png/; fuzz_png_pixels covers the pixel data.
#include <cstddef>
#include <cstdint>

#include "entry_points.h"
#include "util/check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        fuzz::png_entry(data, size);
    } catch (const mnist::InputError&) {
        // The parser refused the bytes with a reason: the expected answer to most inputs.
    }
    return 0;  // any other exception escapes to std::terminate, which libFuzzer reports as a crash
}
