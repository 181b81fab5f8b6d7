// Writes the seeds of the binary-format harnesses, made by the encoders themselves: tiny model.bin files
// (encode_model: 1, 2 and 3 dense layers, square and oblong images), checkpoint.bin files
// (encode_checkpoint: a run before its first batch and part-way through) and model-int8.bin files
// (quantize_mlp + encode_int8_model: per row and per tensor), plus hand-made checkpoints and int8 models whose
// counts promise far more than they hold or whose values break a limit, with right CRCs, for
// tests/fuzz_regressions/fuzz_checkpoint/ and fuzz_int8_model/.
// Not run by the build or CI; `make fuzz-corpus` runs it from the top folder.
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "codec/checksum.h"
#include "data/dataset.h"
#include "nn/model_file.h"
#include "quant/int8_model_file.h"
#include "quant/quantize.h"
#include "train/checkpoint.h"
#include "util/output_file.h"

using namespace mnist;

namespace {

void write(const std::string& path, const std::vector<uint8_t>& bytes) {
    write_file_atomic(path, bytes);
    std::printf("%s (%zu bytes)\n", path.c_str(), bytes.size());
}

void put_le(std::vector<uint8_t>& bytes, size_t at, uint64_t value, int size) {
    for (int i = 0; i < size; ++i) bytes[at + i] = static_cast<uint8_t>(value >> (8 * i));
}

// The checkpoint with the little-endian field of `size` bytes at `at` set to `value`, CRC-32 made right.
std::vector<uint8_t> patched(std::vector<uint8_t> bytes, size_t at, uint64_t value, int size) {
    put_le(bytes, at, value, size);
    put_le(bytes, bytes.size() - 4, crc32(bytes.data(), bytes.size() - 4), 4);
    return bytes;
}

}  // namespace

int main() {
    const std::string models = "fuzz/corpus/fuzz_model/", checkpoints = "fuzz/corpus/fuzz_checkpoint/";
    const std::string regressions = "tests/fuzz_regressions/fuzz_checkpoint/";
    make_directories(models);
    make_directories(checkpoints);
    make_directories(regressions);
    struct Seed {
        const char* name;
        size_t rows, cols;
        std::vector<size_t> sizes;
    };
    const Seed seeds[] = {
        {"one-layer-1x1.bin", 1, 1, {1, 2}},
        {"two-layers-2x2.bin", 2, 2, {4, 3, 2}},
        {"three-layers-2x3.bin", 2, 3, {6, 5, 4, 3}},
    };
    for (const Seed& seed : seeds) write(models + seed.name, encode_model(make_mlp(seed.sizes, 42), seed.rows, seed.cols));

    // Checkpoints of a 4-3-2 network on 2x2 images, 10 training images of which 6 are trained on.
    const Mlp mlp = make_mlp({4, 3, 2}, 1);
    Split split;
    for (uint32_t i = 0; i < 6; ++i) split.train.push_back(i);
    for (uint32_t i = 6; i < 10; ++i) split.validation.push_back(i);
    TrainSettings settings;
    settings.batch_size = 2;
    settings.max_epochs = 3;
    RunIdentity id;
    id.image_rows = 2;
    id.image_cols = 2;
    id.settings.train = settings;
    id.settings.hidden = {3};
    id.settings.validation_size = 4;
    id.train_images = 10;
    TrainState state = make_train_state(mlp, split, settings);
    const std::vector<uint8_t> fresh = encode_checkpoint(id, mlp, state);
    write(checkpoints + "before-first-batch.bin", fresh);
    state.epoch = 2;
    state.next_row = 4;
    state.correct = 3;
    state.loss_sum = 2.5;
    EpochRecord record;
    record.epoch = 1;
    record.validation_accuracy = 0.5;
    state.result.history.push_back(record);
    state.result.epochs_run = 1;
    state.result.best_epoch = 1;
    write(checkpoints + "epoch-2-row-4.bin", encode_checkpoint(id, mlp, state));
    // A finished run of 4 epochs (best epoch 3, stopped there), whose history the resume draws.
    TrainState done = state;
    done.result.history.clear();
    for (size_t e = 1; e <= 4; ++e) {
        EpochRecord row;
        row.epoch = e;
        row.train_loss = 1.0 / static_cast<double>(e);
        row.train_objective = row.train_loss + 0.01;
        row.train_accuracy = 0.5 + 0.1 * static_cast<double>(e);
        row.validation_loss = e == 4 ? 0.4 : 0.9 / static_cast<double>(e);
        row.validation_accuracy = e == 4 ? 0.6 : 0.5 + 0.1 * static_cast<double>(e);
        row.seconds = 0.25;
        done.result.history.push_back(row);
    }
    done.result.epochs_run = 4;
    done.result.best_epoch = 3;
    done.result.best_validation_accuracy = 0.8;
    done.result.train_seconds = 1.5;
    done.epochs_without_improvement = 1;
    done.epoch = 5;
    done.next_row = 0;
    done.finished = true;
    TrainSettings four = settings;
    four.max_epochs = 4;
    RunIdentity four_id = id;
    four_id.settings.train = four;
    write(checkpoints + "finished-4-epochs.bin", encode_checkpoint(four_id, mlp, done));
    // Issue 15, item 1: the same with an infinite validation accuracy in its history, under a right CRC. It
    // decoded, and drawing its chart crashed; now it is refused, and the checkpoint harness draws what it
    // decodes, so such a file would be a finding.
    done.result.history[1].validation_accuracy = std::numeric_limits<double>::infinity();
    write(regressions + "history-infinite-accuracy.bin", encode_checkpoint(four_id, mlp, done));

    // Where the fields sit (train/checkpoint.cpp's encode_checkpoint, format version 5): magic 8, version 5,
    // rows at 12 and cols (8 each), train images at 28 (8), the labels' and pixels' CRCs (4 each), Adam's three
    // floats from 44; then the settings in train/settings.h's order: --hidden (count 4 at 56, one size 4),
    // --init (1 at 64), --dropout, --l2, --lr (4 each, from 65), --batch at 77, --epochs, --patience, --val-size,
    // --limit, --classes, --seed (8 each), --augment at 133 (1) and its six floats, --lr-schedule (1 at 158),
    // --warmup at 159 and --lr-step (8 each), --lr-gamma, --lr-min, --max-norm (4 each), --loss-reduction (1 at
    // 187), --train-metrics (1 at 188); then the model's layer-size count (4) at 189 and the sizes from 193. Checked here, so a change of layout fails loudly.
    const auto field = [&](size_t at, int size) {
        uint64_t value = 0;
        for (int i = 0; i < size; ++i) value |= uint64_t{fresh[at + static_cast<size_t>(i)]} << (8 * i);
        return value;
    };
    if (field(12, 8) != 2 || field(28, 8) != 10 || field(56, 4) != 1 || field(60, 4) != 3 || field(77, 8) != 2 ||
        field(85, 8) != 3 || field(159, 8) != 0 || field(167, 8) != 20 || field(187, 1) != 0 || field(189, 4) != 3 || field(193, 4) != 4) {
        std::fprintf(stderr, "make_binary_seeds: the checkpoint layout changed; update the offsets here\n");
        return 1;
    }
    write(regressions + "units-2to24-squared.bin", patched(patched(fresh, 193, 1u << 24, 4), 197, 1u << 24, 4));
    write(regressions + "size-count-2to32.bin", patched(fresh, 189, 0xFFFFFFFFu, 4));
    write(regressions + "warmup-2to32-plus-2.bin", patched(fresh, 159, (uint64_t{1} << 32) + 2, 8));
    write(regressions + "augment-kind-4.bin", patched(fresh, 133, 4, 1));
    write(regressions + "rows-2to32-plus-2.bin", patched(fresh, 12, (uint64_t{1} << 32) + 2, 8));
    write(regressions + "batch-2to32-plus-2.bin", patched(fresh, 77, (uint64_t{1} << 32) + 2, 8));
    write(regressions + "train-images-2to40.bin", patched(fresh, 28, uint64_t{1} << 40, 8));
    // The batch order's length, after the sizes (193 + 4 x 3), 23 parameters and the epoch and row (8
    // each): 2^40 entries promised.
    const size_t order_at = 193 + 3 * 4 + 23 * 4 + 16;
    write(regressions + "order-2to40.bin", patched(fresh, order_at, uint64_t{1} << 40, 8));
    write(regressions + "order-2to32.bin", patched(fresh, order_at, uint64_t{1} << 32, 8));

    // model-int8.bin seeds: quantised from the model.bin seeds' networks (clip 1 for every hidden layer).
    const std::string int8_seeds = "fuzz/corpus/fuzz_int8_model/", int8_regressions = "tests/fuzz_regressions/fuzz_int8_model/";
    make_directories(int8_seeds);
    make_directories(int8_regressions);
    for (const Seed& seed : seeds) {
        const Mlp net = make_mlp(seed.sizes, 42);
        const std::vector<double> clip(seed.sizes.size() - 2, 1.0);
        for (const ScaleKind kind : {ScaleKind::per_row, ScaleKind::per_tensor})
            write(int8_seeds + scale_kind_name(kind) + "-" + seed.name,
                  encode_int8_model(quantize_mlp(net, seed.rows, seed.cols, clip, kind, 0).model));
    }
    // Hand-made ones from the 4-3-2 network on 2 x 2 images (per row). Where the fields sit
    // (quant/int8_model_file.h): the size count at 20, the sizes at 24, 28, 32, the scale kind at 36, layer 1's
    // weights at 41, its biases at 53, multipliers at 65, shifts at 77, layer 2's at 80, 86, 94, 102.
    const std::vector<uint8_t> q = encode_int8_model(quantize_mlp(make_mlp({4, 3, 2}, 42), 2, 2, {1.0}, ScaleKind::per_row, 0).model);
    write(int8_regressions + "units-2to24-squared.bin", patched(patched(q, 24, 1u << 24, 4), 28, 1u << 24, 4));
    write(int8_regressions + "inputs-2to16.bin", patched(patched(q, 24, 1u << 16, 4), 12, 1u << 15, 4));
    write(int8_regressions + "size-count-2to32.bin", patched(q, 20, 0xFFFFFFFFu, 4));
    write(int8_regressions + "image-2to16-squared.bin", patched(patched(q, 12, 1u << 16, 4), 16, 1u << 16, 4));
    write(int8_regressions + "scale-kind-7.bin", patched(q, 36, 7, 1));
    write(int8_regressions + "weight-minus-128.bin", patched(q, 41, 0x80, 1));
    write(int8_regressions + "bias-2to30-plus-1.bin", patched(q, 53, (1u << 30) + 1, 4));
    write(int8_regressions + "multiplier-2to31.bin", patched(q, 65, 1u << 31, 4));
    write(int8_regressions + "shift-0.bin", patched(q, 77, 0, 1));
    write(int8_regressions + "shift-63.bin", patched(q, 102, 63, 1));
    write(int8_regressions + "per-tensor-uneven.bin", patched(q, 36, 1, 1));
    std::vector<uint8_t> wrong_crc = q;
    wrong_crc[50] ^= 1;
    write(int8_regressions + "crc-wrong.bin", wrong_crc);
    write(int8_regressions + "magic-only.bin", std::vector<uint8_t>(q.begin(), q.begin() + 8));
    write(int8_regressions + "cut-in-layer-2.bin", std::vector<uint8_t>(q.begin(), q.begin() + 90));
    return 0;
}
