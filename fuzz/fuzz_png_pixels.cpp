// libFuzzer harness for codec/png_reader.h's pixel decoding: the input is IHDR, optional PLTE and tRNS
// bodies and raw filtered scanlines, which fuzz/entry_points.h wraps into a well-formed PNG (CRCs, zlib,
// Adler-32), so every input reaches filters, bit depths, Adam7, palettes and tRNS, and then predict's
// preprocessing and a prediction. InputError is the expected refusal; anything else is a finding. Seeds:
// fuzz/corpus/fuzz_png_pixels/.
#include <cstddef>
#include <cstdint>

#include "entry_points.h"
#include "util/check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        fuzz::png_pixels_entry(data, size);
    } catch (const mnist::InputError&) {
        // The parser refused the bytes with a reason: the expected answer to most inputs.
    }
    return 0;  // any other exception escapes to std::terminate, which libFuzzer reports as a crash
}
