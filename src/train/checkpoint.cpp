// Encoding and decoding checkpoint.bin with codec/byte_io.h. Layout (all little-endian):
//   "MNISTCKP", u32 version 5,
//   identity:  u64 image rows, cols, training images; u32 CRC of the training labels, of the training pixels;
//              f32 Adam's beta1, beta2, epsilon; then every setting that identifies a run, in the order of
//              train/settings.h's table, as write_identifying_settings writes them (--hidden, --init,
//              --dropout, ..., --max-norm, --loss-reduction, --train-metrics). Version 4 (before the last
//              two) is read with their defaults; versions 1-3 (before the settings table and --init) are refused.
//   model:     u32 number of layer sizes, u32 each size; f32 x P current parameters
//   state:     u64 epoch, next row; u64 order length, u32 each index; u64 shuffle state; u64 Adam step;
//              f32 x P first moment, f32 x P second moment; f64 loss sum; u64 correct; f64 epoch seconds;
//              f32 x P best parameters; u64 epochs without improvement; u8 finished;
//              result: u64 best epoch, f64 best validation accuracy, u64 epochs run, f64 train seconds,
//              u64 history length, then per epoch u64 epoch and f64 x 6 (train loss, objective, accuracy,
//              validation loss and accuracy, seconds), with --train-metrics after-epoch f64 x 8 (the
//              after-epoch training loss and accuracy after the accuracy)
//   u32 CRC-32 of everything before it
// Floats that are not finite make the file invalid; subnormal ones are read as 0 (util/subnormal.h). Every
// setting is checked against the range its option accepts (the same table).
#include "train/checkpoint.h"

#include <cmath>
#include <cstring>

#include "codec/byte_io.h"
#include "codec/checksum.h"
#include "nn/model_file.h"
#include "util/check.h"
#include "util/file.h"
#include "util/output_file.h"
#include "util/subnormal.h"

namespace mnist {

namespace {

const char kMagic[8] = {'M', 'N', 'I', 'S', 'T', 'C', 'K', 'P'};
constexpr uint32_t kVersion = 5, kOldestVersion = 4;
// The network's limits are model.bin's (nn/model_file.h); these are the training run's.
constexpr uint64_t kMaxImages = uint64_t(1) << 32, kMaxEpochs = 1000000;  // kMaxEpochs: --epochs' own limit
// The most bytes a checkpoint can have: under 1 KB of fixed fields, the layer sizes, four parameter-sized
// blocks, a batch order of up to kMaxImages entries, a history of up to kMaxEpochs rows, the CRC.
constexpr uint64_t kMaxCheckpointBytes =
    1024 + 4 * kMaxLayerSizes + 16 * kMaxParameters + 4 * kMaxImages + 72 * kMaxEpochs;

void put_floats(ByteWriter& out, const std::vector<float>& values) {
    for (const float v : values) out.f32(v);
}

// Reads `count` floats, which must all be finite (and, with non_negative, at least 0); a subnormal one is read
// as 0, as in model.bin (see docs/06-adam.md).
void get_floats(ByteReader& in, std::vector<float>& values, size_t count, const char* what,
                bool non_negative = false) {
    in.need(4 * static_cast<uint64_t>(count), what);
    values.resize(count);
    for (size_t i = 0; i < count; ++i) {
        values[i] = in.f32();
        if (!std::isfinite(values[i])) in.fail(std::string(what) + " holds a value that is not a finite number");
        if (non_negative && values[i] < 0.0f) in.fail(std::string(what) + " holds a negative value");
        values[i] = flush_subnormal(values[i]);
    }
}

// Every number a checkpoint records is read through one of these, so none reaches the training loop, the
// tables or the charts unchecked (a history holding an infinite loss once crashed the chart code).
bool finite_in(double value, double low, double high) { return std::isfinite(value) && value >= low && value <= high; }

}  // namespace

std::vector<uint8_t> encode_checkpoint(const RunIdentity& id, const Mlp& mlp, const TrainState& state) {
    ByteWriter out;
    // Room for everything at once (the fixed fields take under 512 bytes; each history row 56 or 72): growing
    // the buffer by doubling would end with a 2 x 9.3 MB allocation for the default MLP's 9.3 MB file.
    const size_t float_count = mlp.parameters.size() + state.adam.first_moment.size() +
                               state.adam.second_moment.size() + state.best_parameters.size();
    out.bytes.reserve(512 + 8 * mlp.layout.sizes.size() + 4 * float_count + 4 * state.order.size() +
                      72 * state.result.history.size());
    out.raw(kMagic, 8);
    out.u32(kVersion);
    out.u64(id.image_rows);
    out.u64(id.image_cols);
    out.u64(id.train_images);
    out.u32(id.train_labels_crc);
    out.u32(id.train_pixels_crc);
    const AdamSettings& adam = id.settings.train.adam;
    out.f32(adam.beta1);
    out.f32(adam.beta2);
    out.f32(adam.epsilon);
    RunSettings settings = id.settings;
    settings.hidden.assign(mlp.layout.sizes.begin() + 1, mlp.layout.sizes.end() - 1);  // the model is the truth
    write_identifying_settings(out, settings);

    write_layer_sizes(out, mlp.layout.sizes);
    put_floats(out, mlp.parameters);

    out.u64(state.epoch);
    out.u64(state.next_row);
    out.u64(state.order.size());
    for (const uint32_t index : state.order) out.u32(index);
    out.u64(state.shuffle_rng.state);
    out.u64(state.adam.step);
    put_floats(out, state.adam.first_moment);
    put_floats(out, state.adam.second_moment);
    out.f64(state.loss_sum);
    out.u64(state.correct);
    out.f64(state.epoch_seconds);
    put_floats(out, state.best_parameters);
    out.u64(state.epochs_without_improvement);
    out.u8(state.finished ? 1 : 0);
    const TrainResult& r = state.result;
    out.u64(r.best_epoch);
    out.f64(r.best_validation_accuracy);
    out.u64(r.epochs_run);
    out.f64(r.train_seconds);
    out.u64(r.history.size());
    const bool evaluated = id.settings.train.train_metrics == TrainMetrics::after_epoch;  // 72-byte rows, else 56
    for (const EpochRecord& e : r.history) {
        out.u64(e.epoch);
        out.f64(e.train_loss);
        out.f64(e.train_objective);
        out.f64(e.train_accuracy);
        if (evaluated) {
            out.f64(e.train_eval_loss);
            out.f64(e.train_eval_accuracy);
        }
        out.f64(e.validation_loss);
        out.f64(e.validation_accuracy);
        out.f64(e.seconds);
    }
    out.u32(crc32(out.bytes.data(), out.bytes.size()));
    return std::move(out.bytes);  // a member is not moved implicitly: without std::move, a copy
}

Checkpoint decode_checkpoint(const std::vector<uint8_t>& bytes, const std::string& name) {
    ByteReader in(bytes.data(), bytes.size(), name);
    if (bytes.size() < 16 || std::memcmp(bytes.data(), kMagic, 8) != 0)
        in.fail("not a checkpoint file (no MNISTCKP magic)");
    // The CRC first: after that, every field is at least what was written (the checks below catch files
    // written by something else, or by a future version).
    const uint32_t stored_crc = read_le32(&bytes[bytes.size() - 4]);
    if (stored_crc != crc32(bytes.data(), bytes.size() - 4)) in.fail("CRC-32 mismatch: the file is damaged");
    ByteReader body(bytes.data(), bytes.size() - 4, name);
    body.skip(8, "the magic");
    const uint32_t version = body.u32();
    if (version < kOldestVersion || version > kVersion)
        body.fail("checkpoint format version " + std::to_string(version) + ", this program reads " +
                  std::to_string(kOldestVersion) + " and " + std::to_string(kVersion) +
                  (version < kOldestVersion ? " (versions 1-3 came before --init and the settings table: finish "
                                              "that run with the program that wrote it, or start it again)"
                                            : ""));

    Checkpoint c;
    RunIdentity& id = c.identity;
    id.image_rows = static_cast<size_t>(body.u64_at_most(kMaxUnits, "the image height"));
    id.image_cols = static_cast<size_t>(body.u64_at_most(kMaxUnits, "the image width"));
    id.train_images = body.u64();
    id.train_labels_crc = body.u32();
    id.train_pixels_crc = body.u32();
    if (id.train_images == 0 || id.train_images > kMaxImages) body.fail("the training image count it records is out of range");
    AdamSettings adam;
    adam.beta1 = body.f32();
    adam.beta2 = body.f32();
    adam.epsilon = body.f32();
    if (!finite_in(adam.beta1, 0.0, 0.9999999) || !finite_in(adam.beta2, 0.0, 0.9999999) ||
        !finite_in(adam.epsilon, 1e-30, 1.0))
        body.fail("Adam's betas or epsilon it records are out of range");
    id.settings = read_identifying_settings(body, version);  // each checked as its option checks it (train/settings.h)
    TrainSettings& s = id.settings.train;
    adam.learning_rate = s.adam.learning_rate;
    s.adam = adam;

    const std::vector<size_t> sizes = read_layer_sizes(body);  // within model.bin's limits (nn/model_file.h)
    if (id.image_rows == 0 || id.image_cols == 0 || id.image_rows * id.image_cols != sizes[0])
        body.fail("its image size does not match its first layer");
    if (id.settings.hidden != std::vector<size_t>(sizes.begin() + 1, sizes.end() - 1))
        body.fail("the --hidden it records does not match its model's layer sizes");
    // Four parameter-sized blocks follow: check they are all there before allocating any.
    c.mlp.layout = make_parameter_layout(sizes);
    body.need(16 * uint64_t{c.mlp.layout.total}, "the parameter blocks");
    get_floats(body, c.mlp.parameters, c.mlp.layout.total, "the parameters");

    TrainState& st = c.state;
    st.epoch = static_cast<size_t>(body.u64_at_most(kMaxEpochs + 1, "the epoch"));
    st.next_row = static_cast<size_t>(body.u64_at_most(kMaxImages, "the position in the epoch"));
    const uint64_t order_size = body.u64();
    if (order_size == 0 || order_size > id.train_images) body.fail("its batch order has " + std::to_string(order_size) + " entries");
    body.need(4 * order_size, "the batch order");
    st.order.resize(order_size);
    for (uint32_t& index : st.order) {
        index = body.u32();
        if (index >= id.train_images) body.fail("its batch order names image " + std::to_string(index));
    }
    if (st.epoch == 0 || st.epoch > s.max_epochs + 1 || st.next_row > order_size)
        body.fail("its position (epoch " + std::to_string(st.epoch) + ", row " + std::to_string(st.next_row) +
                  ") is impossible");
    st.shuffle_rng.state = body.u64();
    st.adam.step = body.u64();
    get_floats(body, st.adam.first_moment, c.mlp.layout.total, "Adam's first moment");
    get_floats(body, st.adam.second_moment, c.mlp.layout.total, "Adam's second moment", true);
    st.loss_sum = body.f64();
    st.correct = body.u64();
    st.epoch_seconds = body.f64();
    get_floats(body, st.best_parameters, c.mlp.layout.total, "the best parameters");
    st.epochs_without_improvement = static_cast<size_t>(body.u64_at_most(kMaxEpochs, "the epochs without improvement"));
    st.finished = body.u8() != 0;
    TrainResult& r = st.result;
    r.best_epoch = static_cast<size_t>(body.u64_at_most(kMaxEpochs, "the best epoch"));
    r.best_validation_accuracy = body.f64();
    r.epochs_run = static_cast<size_t>(body.u64_at_most(kMaxEpochs, "the epochs run"));
    r.train_seconds = body.f64();
    const uint64_t history = body.u64();
    // The trainer moves to the next epoch as it records one, so the epoch in progress follows the history.
    if (history > s.max_epochs || history != r.epochs_run || r.best_epoch > r.epochs_run ||
        (history > 0 && r.best_epoch == 0) || st.epoch != r.epochs_run + 1 ||
        st.epochs_without_improvement > history || st.correct > order_size)
        body.fail("its training history is inconsistent");
    if (!finite_in(st.loss_sum, 0.0, 1e300) || !finite_in(st.epoch_seconds, 0.0, 1e300) ||
        !finite_in(r.best_validation_accuracy, 0.0, 1.0) || !finite_in(r.train_seconds, 0.0, 1e300))
        body.fail("its running totals hold a value that is not a finite number in range");
    const bool evaluated = s.train_metrics == TrainMetrics::after_epoch;
    body.need((evaluated ? 72 : 56) * history, "the history");
    for (uint64_t i = 0; i < history; ++i) {
        EpochRecord e;
        e.epoch = static_cast<size_t>(body.u64_at_most(kMaxEpochs, "an epoch number"));
        e.train_loss = body.f64();
        e.train_objective = body.f64();
        e.train_accuracy = body.f64();
        if (evaluated) {
            e.train_evaluated = true;
            e.train_eval_loss = body.f64();
            e.train_eval_accuracy = body.f64();
            if (!finite_in(e.train_eval_loss, 0.0, 1e300) || !finite_in(e.train_eval_accuracy, 0.0, 1.0))
                body.fail("its history of epoch " + std::to_string(e.epoch) +
                          " holds an after-epoch training loss or accuracy that is not a finite number in range");
        }
        e.validation_loss = body.f64();
        e.validation_accuracy = body.f64();
        e.seconds = body.f64();
        if (e.epoch != i + 1) body.fail("its history lists epoch " + std::to_string(e.epoch) + " in row " + std::to_string(i + 1));
        if (!finite_in(e.train_loss, 0.0, 1e300) || !finite_in(e.train_objective, 0.0, 1e300) ||
            !finite_in(e.train_accuracy, 0.0, 1.0) || !finite_in(e.validation_loss, 0.0, 1e300) ||
            !finite_in(e.validation_accuracy, 0.0, 1.0) || !finite_in(e.seconds, 0.0, 1e300))
            body.fail("its history of epoch " + std::to_string(e.epoch) +
                      " holds a value that is not a finite number in range (a loss, an accuracy or a time)");
        r.history.push_back(e);
    }
    if (body.remaining() != 0) body.fail(std::to_string(body.remaining()) + " unexpected bytes before the CRC");
    return c;
}

void save_checkpoint(const std::string& path, const RunIdentity& identity, const Mlp& mlp, const TrainState& state) {
    write_file_atomic(path, encode_checkpoint(identity, mlp, state));
}

Checkpoint load_checkpoint(const std::string& path) {
    return decode_checkpoint(read_file(path, kMaxCheckpointBytes, "a checkpoint file"), path);
}

std::string identity_mismatch(const RunIdentity& a, const RunIdentity& b) {
    if (a.train_images != b.train_images)
        return "the training data differ (" + std::to_string(a.train_images) + " images in the checkpoint's, " +
               std::to_string(b.train_images) + " here)";
    if (a.train_labels_crc != b.train_labels_crc) return "the training data differ (other labels)";
    if (a.train_pixels_crc != b.train_pixels_crc) return "the training data differ (the same labels, other images)";
    if (a.image_rows != b.image_rows || a.image_cols != b.image_cols) return "the image size differs";
    const AdamSettings &x = a.settings.train.adam, &y = b.settings.train.adam;
    if (x.beta1 != y.beta1 || x.beta2 != y.beta2 || x.epsilon != y.epsilon) return "Adam's betas or epsilon differ";
    return settings_mismatch(a.settings, b.settings);
}

}  // namespace mnist
