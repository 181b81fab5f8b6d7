// What each fuzz harness does with its input, shared by the harnesses (fuzz/fuzz_*.cpp) and by the
// ordinary test that replays their corpora (tests/test_fuzz_regressions.cpp), so both run the same code.
// Each function feeds the bytes to one parser and checks what a success returned; the parser refusing
// the bytes with InputError is expected. A broken check throws std::logic_error: a finding, like a crash.
// Decoding is not the end: what the program does next with a decoded file is fuzzed too (issue 15: a
// checkpoint that decoded crashed the chart code). A decoded checkpoint is resumed for a batch, saved and
// read again, and its history tabled and drawn; a decoded model runs forward passes as eval and predict
// run them; a decoded image is preprocessed and predicted.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "../tests/xml_check.h"
#include "cli/run_common.h"
#include "codec/checksum.h"
#include "codec/gzip.h"
#include "codec/image.h"
#include "codec/inflate.h"
#include "codec/png_reader.h"
#include "codec/pnm_reader.h"
#include "data/idx.h"
#include "data/preprocess.h"
#include "nn/model_file.h"
#include "report/figures.h"
#include "report/run_files.h"
#include "quant/int8_model.h"
#include "quant/int8_model_file.h"
#include "train/checkpoint.h"
#include "train/predict.h"
#include "train/trainer.h"
#include "util/check.h"

namespace fuzz {

// The inflate harness decodes into a buffer of this many bytes: the size of DEFLATE's window, so that
// streams reaching the back-reference limit fit, and small enough that libFuzzer's short inputs can fill
// it (258 bytes per 2-bit length/distance pair) and reach the output_full paths.
constexpr size_t kInflateCapacity = 32768;

inline void require(bool ok, const char* what) {
    if (!ok) throw std::logic_error(std::string("fuzz check failed: ") + what);
}

inline uint32_t le32(const uint8_t* p) {
    return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

// gunzip (RFC 1952 around RFC 1951). A success must match the last member's trailer: the output ends with
// ISIZE bytes whose CRC-32 is CRC32 (gunzip checks every member's; this checks that it did for the last),
// and a file of one member gives exactly ISIZE bytes.
inline void gunzip_entry(const uint8_t* data, size_t size) {
    const std::vector<uint8_t> file(data, data + size);
    const std::vector<uint8_t> out = mnist::gunzip(file, "fuzz.gz");
    require(size >= 18, "gunzip accepted a file shorter than a gzip header and trailer");
    const uint32_t isize = le32(data + size - 4);
    require(out.size() >= isize, "output shorter than the last member's ISIZE");
    require(mnist::crc32(out.data() + out.size() - isize, isize) == le32(data + size - 8),
            "the last member's output differs from its CRC32");
    require(out.size() <= mnist::kMaxInflateRatio * size, "more output than DEFLATE can make of the input");
}

// Raw inflate into a fixed kInflateCapacity-byte buffer. inflate reports by its result; a result other
// than ok is turned into InputError here, so that every entry point refuses the same way. Whatever the
// result, inflate may not claim more output than the buffer or more input than given. When the stream
// decodes (n bytes), decoding it again into exactly n bytes must give the same bytes, and into n - 1
// bytes must stop with output_full: the capacity checks are exact.
inline void inflate_entry(const uint8_t* data, size_t size) {
    std::vector<uint8_t> out(kInflateCapacity);
    size_t produced = 0, used = 0;
    const mnist::InflateResult r = mnist::inflate(out.data(), out.size(), &produced, data, size, &used);
    require(produced <= out.size(), "inflate reports more output than the buffer holds");
    require(used <= size, "inflate reports reading past the input");
    if (r != mnist::InflateResult::ok) {
        throw mnist::InputError(std::string("fuzz.deflate: ") + mnist::inflate_message(r));
    }

    std::vector<uint8_t> exact(produced);
    size_t produced2 = 0, used2 = 0;
    require(mnist::inflate(exact.data(), exact.size(), &produced2, data, size, &used2) == mnist::InflateResult::ok,
            "a stream that decodes into a large buffer fails in one of exactly its size");
    require(produced2 == produced && used2 == used, "a second decode gives other lengths");
    require(exact.empty() || std::equal(exact.begin(), exact.end(), out.begin()), "a second decode gives other bytes");
    if (produced > 0) {
        std::vector<uint8_t> short_by_one(produced - 1);
        require(mnist::inflate(short_by_one.data(), short_by_one.size(), &produced2, data, size, &used2) ==
                    mnist::InflateResult::output_full,
                "a buffer one byte short does not give output_full");
    }
}

// parse_idx: a success has 1 to 4 dimensions whose product is the number of values.
inline void idx_entry(const uint8_t* data, size_t size) {
    const mnist::IdxArray array = mnist::parse_idx(std::vector<uint8_t>(data, data + size), "fuzz-idx");
    require(!array.dims.empty() && array.dims.size() <= 4, "dimension count out of range");
    uint64_t product = 1;
    for (const uint32_t dim : array.dims) product *= dim;
    require(product == array.values.size(), "values do not fill the dimensions");
    require(array.values.size() + 4 + 4 * array.dims.size() == size, "header and data do not add up to the file");
}

inline void put_le32(std::vector<uint8_t>& bytes, size_t at, uint32_t value) {
    for (int i = 0; i < 4; ++i) bytes[at + i] = static_cast<uint8_t>(value >> (8 * i));
}
inline void put_be32(std::vector<uint8_t>& bytes, size_t at, uint32_t value) {
    for (int i = 0; i < 4; ++i) bytes[at + i] = static_cast<uint8_t>(value >> (24 - 8 * i));
}

// Runs `check` on `first`, where InputError is expected, then on `second`, letting InputError out: the
// harnesses that try a file as given and then its repaired twin.
template <typename Check>
void on_both(const std::vector<uint8_t>& first, const std::vector<uint8_t>& second, Check check) {
    try {
        check(first);
    } catch (const mnist::InputError&) {
    }
    check(second);
}

// Whether `again` (a decoded file encoded again) is `original` but for floats that were subnormal and are
// read as 0 (util/subnormal.h: model.bin and checkpoint.bin flush them), and but for the bytes from `end`
// on (the CRC). Each differing byte must lie in a 4-byte little-endian float of `original` that is
// subnormal and that `again` holds as a zero of the same sign.
inline bool same_but_flushed(const std::vector<uint8_t>& original, const std::vector<uint8_t>& again, size_t end) {
    if (original.size() != again.size() || end > original.size()) return false;
    for (size_t i = 0; i < end; ++i) {
        if (original[i] == again[i]) continue;
        bool explained = false;
        for (size_t j = i >= 3 ? i - 3 : 0; j <= i && j + 4 <= end && !explained; ++j) {
            const uint32_t was = le32(&original[j]), now = le32(&again[j]);
            explained = (was & 0x7F800000u) == 0 && (was & 0x007FFFFFu) != 0 && now == (was & 0x80000000u);
        }
        if (!explained) return false;
    }
    return true;
}

// A copy of a file whose last 4 bytes are a little-endian CRC-32 of the rest (model.bin, checkpoint.bin)
// with that CRC made right. A mutated file nearly always fails its CRC first; its repaired twin gets past
// it, to the checks behind (parameters, training state), which the fuzzer would otherwise never reach.
inline std::vector<uint8_t> with_crc_repaired(const uint8_t* data, size_t size) {
    std::vector<uint8_t> bytes(data, data + size);
    if (size >= 4) put_le32(bytes, size - 4, mnist::crc32(bytes.data(), size - 4));
    return bytes;
}

// A chart must be well-formed XML whose every coordinate is a finite number, whatever the values drawn.
inline void check_chart(const std::string& svg) {
    const xml_check::Parsed parsed = xml_check::parse(svg);
    require(parsed.error.empty(), "a chart that is not well-formed XML");
    for (const xml_check::Element& e : parsed.elements) {
        for (const char* key : {"x", "y", "width", "height", "x1", "y1", "x2", "y2", "cx", "cy", "r", "points"}) {
            const std::string value = e.attribute(key);
            require(value.find("nan") == std::string::npos && value.find("inf") == std::string::npos,
                    "a chart coordinate that is not a finite number");
        }
    }
}

// A prediction as eval and predict use it: a label among the classes and, when the outputs are finite (a
// model with huge weights is refused elsewhere), probabilities that sum to 1 with the label on top.
inline void check_prediction(const mnist::Prediction& p, size_t classes) {
    require(p.label < classes && p.probabilities.size() == classes, "a prediction outside the classes");
    double sum = 0;
    bool finite = true;
    for (const float probability : p.probabilities) {
        finite = finite && std::isfinite(probability);
        sum += probability;
    }
    if (!finite) return;
    require(sum > 0.999 && sum < 1.001, "probabilities that do not sum to 1");
    const std::vector<size_t> top = mnist::top_classes(p.probabilities, 3);
    require(!top.empty() && p.probabilities[top[0]] == p.probabilities[p.label], "the label is not the most probable");
}

// decode_model, on the bytes as given and on their CRC-repaired twin: a success re-encodes (encode_model)
// to exactly the bytes it was decoded from (every field has one encoding; subnormal parameters come back as
// zeros, which the reader makes of them), and then runs as eval and
// predict run it: check_model_outputs (which refuses outputs that are not finite, with InputError), then
// a blank, a full and a striped image through predict_image.
inline void model_entry(const uint8_t* data, size_t size) {
    on_both({data, data + size}, with_crc_repaired(data, size), [](const std::vector<uint8_t>& bytes) {
        const mnist::SavedModel model = mnist::decode_model(bytes, "fuzz-model.bin");
        require(model.mlp.parameters.size() == model.mlp.layout.total, "parameter block and layout disagree");
        require(same_but_flushed(bytes, mnist::encode_model(model.mlp, model.image_rows, model.image_cols), bytes.size() - 4),
                "the decoded model does not re-encode to the same bytes");
        if (model.mlp.layout.total > (size_t{1} << 20) || model.mlp.inputs() > (size_t{1} << 16)) return;
        mnist::Compute compute(1);
        mnist::check_model_outputs(compute, model, "fuzz-model.bin");
        mnist::MlpWorkspace ws = mnist::make_mlp_workspace(model.mlp, 1);
        std::vector<uint8_t> image(model.mlp.inputs());
        for (size_t i = 0; i < image.size(); ++i) image[i] = static_cast<uint8_t>((i % 3) * 120);
        check_prediction(mnist::predict_image(compute, model.mlp, ws, image.data()), model.mlp.classes());
    });
}

// What a resumed run does with a decoded checkpoint: table and draw its history (as train --resume prints
// and reports it), and, for runs small enough to train in a moment, train on from its state for one batch
// (stopping as a signal would) on made-up images of its size and count, then save the state and read it
// back: a checkpoint that decoded must lead to one that decodes, unless training diverged.
inline void resume_checkpoint(mnist::Checkpoint c) {
    const auto draw = [](const mnist::TrainResult& result) {
        for (const mnist::EpochRecord& r : result.history) require(!mnist::epoch_table_row(r, false).empty(), "table row");
        require(!mnist::history_csv(result).empty(), "history.csv");
        check_chart(mnist::loss_curve_figure(result).svg);
        check_chart(mnist::accuracy_curve_figure(result).svg);
    };
    draw(c.state.result);
    const mnist::RunIdentity& id = c.identity;
    const uint64_t pixels = uint64_t{id.image_rows} * id.image_cols;
    if (id.train_images > 1024 || pixels > 1024 || c.mlp.layout.total > 65536 ||
        std::min<uint64_t>(id.settings.train.batch_size, c.state.order.size()) * c.mlp.layout.total > (uint64_t{1} << 22))
        return;
    mnist::ImageSet set;
    set.count = static_cast<size_t>(id.train_images);
    set.rows = id.image_rows;
    set.cols = id.image_cols;
    for (size_t i = 0; i < set.count; ++i) {
        for (size_t p = 0; p < pixels; ++p) set.pixels.push_back(static_cast<uint8_t>((i * 37 + p * 11) & 0xFF));
        set.labels.push_back(static_cast<uint8_t>(i % c.mlp.classes()));
    }
    mnist::Split split;
    for (uint32_t i = 0; i < set.count && i < 16; ++i) split.validation.push_back(i);
    split.train = c.state.order;
    mnist::Compute compute(1);
    size_t batches = 0;
    mnist::TrainCallbacks stop_after_one;
    stop_after_one.on_batch = [&](size_t, size_t, size_t, double) { ++batches; };
    stop_after_one.should_stop = [&] { return batches >= 1; };
    const mnist::TrainOutcome outcome =
        mnist::train_from_state(compute, c.mlp, c.state, set, split, id.settings.train, stop_after_one);
    require(c.mlp.parameters.size() == c.mlp.layout.total, "training changed the parameter count");
    draw(c.state.result);
    if (outcome.kind == mnist::TrainOutcome::diverged) return;
    const mnist::Checkpoint again =
        mnist::decode_checkpoint(mnist::encode_checkpoint(id, c.mlp, c.state), "fuzz-resumed.bin");
    require(again.state.result.history.size() == c.state.result.history.size(), "the saved history changed");
}

// decode_int8_model (model-int8.bin), on the bytes as given and on their CRC-repaired twin. A success
// re-encodes (encode_int8_model) to exactly its bytes, and runs an all-255 and an all-0 image through
// int8_forward: the file's limits must keep every int32 sum and uint64 product from overflowing (UBSan, which
// the harnesses are built with, reports a signed overflow as a finding).
inline void int8_model_entry(const uint8_t* data, size_t size) {
    on_both({data, data + size}, with_crc_repaired(data, size), [](const std::vector<uint8_t>& bytes) {
        const mnist::Int8Model model = mnist::decode_int8_model(bytes, "fuzz-int8.bin");
        require(mnist::encode_int8_model(model) == bytes, "the decoded int8 model does not re-encode to the same bytes");
        mnist::Int8Workspace ws = mnist::make_int8_workspace(model);
        std::vector<int32_t> scores(model.classes());
        for (const uint8_t value : {uint8_t{255}, uint8_t{0}}) {
            const std::vector<uint8_t> pixels(model.inputs(), value);
            require(mnist::int8_forward(model, ws, pixels.data(), scores.data()) < model.classes(),
                    "int8_forward returned a class out of range");
        }
    });
}

// decode_checkpoint, on the bytes as given and on their CRC-repaired twin. A success has every block the
// size of the model and a batch order within the training images, and re-encodes (encode_checkpoint) to
// the bytes it came from, except that the `finished` flag, read as true for any non-zero byte, is written
// as 1 (the flag is the byte 45 + 56 x history bytes before the end), and subnormal floats as zeros. Where size_t has 32 bits, a 64-bit
// field narrowed before its range check shows here as a re-encoding that differs. Then it is resumed
// (resume_checkpoint); a resumed state that fails to decode is a finding (std::logic_error), not a
// refusal.
inline void checkpoint_entry(const uint8_t* data, size_t size) {
    on_both({data, data + size}, with_crc_repaired(data, size), [](const std::vector<uint8_t>& bytes) {
        const mnist::Checkpoint c = mnist::decode_checkpoint(bytes, "fuzz-checkpoint.bin");
        const size_t total = c.mlp.layout.total;
        require(c.mlp.parameters.size() == total && c.state.best_parameters.size() == total &&
                    c.state.adam.first_moment.size() == total && c.state.adam.second_moment.size() == total,
                "a parameter-sized block of another size");
        for (const uint32_t index : c.state.order) require(index < c.identity.train_images, "order out of range");
        require(c.state.next_row <= c.state.order.size(), "position past the batch order");
        const std::vector<uint8_t> again = mnist::encode_checkpoint(c.identity, c.mlp, c.state);
        if (le32(bytes.data() + 8) == 4) {  // an older format is re-encoded as the current one, which reads back
            require(mnist::encode_checkpoint(mnist::decode_checkpoint(again, "again.bin").identity, c.mlp, c.state) == again,
                    "a version-4 checkpoint's re-encoding does not read back to itself");
        } else {
            std::vector<uint8_t> expected = bytes;
            const bool evaluated = c.identity.settings.train.train_metrics == mnist::TrainMetrics::after_epoch;
            const size_t flag = bytes.size() - 45 - (evaluated ? 72 : 56) * c.state.result.history.size();
            expected[flag] = expected[flag] != 0 ? 1 : 0;
            require(same_but_flushed(expected, again, expected.size() - 4),
                    "the decoded checkpoint does not re-encode to the same bytes");
        }
        try {
            resume_checkpoint(c);
        } catch (const mnist::InputError& e) {
            throw std::logic_error(std::string("a resumed checkpoint was refused: ") + e.what());
        }
    });
}

// What every image reader must return: a size within kMaxImagePixels, 1 to 4 channels, a max_value of
// 1 to 65535, exactly width x height x channels samples, none above max_value. Then what predict does with
// it: the MNIST recipe into 28x28 (and into an oblong 12x8 field) and the prediction of a fixed model; a
// 28x28 image also as it is (--no-preprocess). "No digit found" is a fine answer for an image (predict
// reports it for that image); any other exception from the steps after decoding is a finding.
// Images over a megapixel are only checked, not preprocessed, to keep each input well within the fuzzers'
// 5 s (the same loops run on the smaller ones).
inline void check_image(const mnist::Image& image) {
    require(image.width > 0 && image.height > 0, "empty image");
    require(uint64_t{image.width} * image.height <= mnist::kMaxImagePixels, "image over the pixel limit");
    require(image.channels >= 1 && image.channels <= 4, "channel count out of range");
    require(image.max_value >= 1 && image.max_value <= 65535, "max_value out of range");
    require(image.samples.size() == image.width * image.height * image.channels, "sample count");
    for (const uint16_t sample : image.samples) require(sample <= image.max_value, "sample above max_value");
    if (uint64_t{image.width} * image.height > (uint64_t{1} << 20)) return;

    static const mnist::Mlp model = mnist::make_mlp({784, 16, 10}, 15);
    mnist::Compute compute(1);
    mnist::MlpWorkspace ws = mnist::make_mlp_workspace(model, 1);
    if (image.width == 28 && image.height == 28) {
        const std::vector<uint8_t> as_is = mnist::image_as_input(image, 28, 28, "fuzz-image");
        check_prediction(mnist::predict_image(compute, model, ws, as_is.data()), 10);
    }
    mnist::Preprocessed digit;
    try {
        digit = mnist::preprocess_digit(image, 28, 28, "fuzz-image");
    } catch (const mnist::InputError& e) {
        require(std::string(e.what()).find("no digit found") != std::string::npos, "preprocessing refused an image");
        return;
    }
    require(digit.pixels.size() == 784, "a preprocessed digit of another size");
    require(digit.digit_width >= 1 && digit.digit_width <= 20 && digit.digit_height >= 1 && digit.digit_height <= 20,
            "a digit scaled outside its 20x20 box");
    require(digit.ink_x + digit.ink_width <= image.width && digit.ink_y + digit.ink_height <= image.height,
            "an ink box outside the image");
    check_prediction(mnist::predict_image(compute, model, ws, digit.pixels.data()), 10);
    require(mnist::preprocess_digit(image, 12, 8, "fuzz-image").pixels.size() == 96, "an oblong field");
}

// A copy of a PNG file with every chunk's CRC made right, walking the chunks while their lengths fit.
inline std::vector<uint8_t> png_with_crcs_repaired(const uint8_t* data, size_t size) {
    std::vector<uint8_t> bytes(data, data + size);
    size_t pos = 8;  // after the signature
    while (size >= pos && size - pos >= 12) {
        const uint32_t length = uint32_t{bytes[pos]} << 24 | uint32_t{bytes[pos + 1]} << 16 |
                                uint32_t{bytes[pos + 2]} << 8 | uint32_t{bytes[pos + 3]};
        if (length > size - pos - 12) break;
        put_be32(bytes, pos + 8 + length, mnist::crc32(&bytes[pos + 4], 4 + size_t{length}));
        pos += 12 + size_t{length};
    }
    return bytes;
}

// decode_png on a whole file, as given and with its chunk CRCs repaired.
inline void png_entry(const uint8_t* data, size_t size) {
    on_both({data, data + size}, png_with_crcs_repaired(data, size),
            [](const std::vector<uint8_t>& bytes) { check_image(mnist::decode_png(bytes, "fuzz.png")); });
}

inline void append_chunk(std::vector<uint8_t>& png, const char* type, const uint8_t* data, size_t length) {
    const size_t at = png.size();
    png.resize(at + 12 + length);
    put_be32(png, at, static_cast<uint32_t>(length));
    for (int i = 0; i < 4; ++i) png[at + 4 + i] = static_cast<uint8_t>(type[i]);
    for (size_t i = 0; i < length; ++i) png[at + 8 + i] = data[i];
    put_be32(png, at + 8 + length, mnist::crc32(&png[at + 4], 4 + length));
}

// The pixel half of the PNG reader: the input is IHDR's 13 bytes, a byte n, n palette bytes (PLTE, for
// any colour type: a misplaced PLTE must be refused), a byte m, m tRNS bytes, then the filtered scanlines
// as they are. The harness wraps these into a well-formed PNG (chunk CRCs, a zlib stream of stored
// blocks, its Adler-32), so every input reaches filtering, bit unpacking, Adam7, palettes and tRNS.
inline std::vector<uint8_t> png_from_pixels(const uint8_t* data, size_t size) {
    static const uint8_t kSignature[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    std::vector<uint8_t> png(kSignature, kSignature + 8);
    if (size < 13) return png;
    append_chunk(png, "IHDR", data, 13);
    size_t pos = 13;
    for (const char* type : {"PLTE", "tRNS"}) {
        if (pos == size) break;
        const size_t length = std::min<size_t>(data[pos], size - pos - 1);
        if (length > 0) append_chunk(png, type, data + pos + 1, length);
        pos += 1 + length;
    }
    // zlib (RFC 1950): CMF 0x78, FLG 0x01, stored DEFLATE blocks of at most 65535 bytes, Adler-32.
    const uint8_t* raw = data + pos;
    const size_t raw_size = size - pos;
    std::vector<uint8_t> z = {0x78, 0x01};
    size_t done = 0;
    do {
        const size_t n = std::min<size_t>(raw_size - done, 65535);
        z.push_back(done + n == raw_size ? 1 : 0);
        z.push_back(static_cast<uint8_t>(n));
        z.push_back(static_cast<uint8_t>(n >> 8));
        z.push_back(static_cast<uint8_t>(~n));
        z.push_back(static_cast<uint8_t>(~n >> 8));
        z.insert(z.end(), raw + done, raw + done + n);
        done += n;
    } while (done < raw_size);
    uint32_t a = 1, b = 0;
    for (size_t i = 0; i < raw_size; ++i) {
        a = (a + raw[i]) % 65521;
        b = (b + a) % 65521;
    }
    z.resize(z.size() + 4);
    put_be32(z, z.size() - 4, b << 16 | a);
    append_chunk(png, "IDAT", z.data(), z.size());
    append_chunk(png, "IEND", nullptr, 0);
    return png;
}

inline void png_pixels_entry(const uint8_t* data, size_t size) {
    check_image(mnist::decode_png(png_from_pixels(data, size), "fuzz-pixels.png"));
}

// decode_pnm: PGM and PPM, plain and binary.
inline void pnm_entry(const uint8_t* data, size_t size) {
    check_image(mnist::decode_pnm(std::vector<uint8_t>(data, data + size), "fuzz.pnm"));
}

}  // namespace fuzz
