// checkpoint.bin: everything needed to continue a training run exactly where it stopped — the parameters, the
// best parameters so far, Adam's moments and step, the epoch and the position in it, the batch order and the
// shuffling generator, the running totals, the early-stopping state and the history — plus what identifies
// the run (model shape, settings, data), so a checkpoint is only resumed into the run it came from. A run
// stopped after any batch and resumed ends with bit-for-bit the same weights and metrics as one that never
// stopped. Little-endian, CRC-32 at the end, written atomically. See docs/07-training.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nn/mlp.h"
#include "train/settings.h"
#include "train/trainer.h"

namespace mnist {

// What a resumed run must agree on with the run that wrote the checkpoint: the data, and every setting that
// identifies a run (train/settings.h; the others, such as --threads, are not kept).
struct RunIdentity {
    size_t image_rows = 0, image_cols = 0;
    uint64_t train_images = 0;       // images in the training file
    uint32_t train_labels_crc = 0;   // CRC-32 of the training labels: the same data, not just the same count
    uint32_t train_pixels_crc = 0;   // CRC-32 of the training images' pixels: the same images, not just labels
    RunSettings settings;            // --hidden is written from the model's layer sizes
};

struct Checkpoint {
    RunIdentity identity;
    Mlp mlp;                         // the current (not the best) parameters
    TrainState state;
};

std::vector<uint8_t> encode_checkpoint(const RunIdentity& identity, const Mlp& mlp, const TrainState& state);
// Throws InputError("<name>: <reason>") for anything malformed or inconsistent.
Checkpoint decode_checkpoint(const std::vector<uint8_t>& bytes, const std::string& name);

void save_checkpoint(const std::string& path, const RunIdentity& identity, const Mlp& mlp, const TrainState& state);
Checkpoint load_checkpoint(const std::string& path);

// The first difference between two identities as a sentence ("the seed is 42 in the checkpoint but 7 here"),
// or "" when they agree.
std::string identity_mismatch(const RunIdentity& checkpoint, const RunIdentity& here);

}  // namespace mnist
