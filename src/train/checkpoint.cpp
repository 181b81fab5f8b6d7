// Encoding and decoding checkpoint.bin with codec/byte_io.h. Layout (all little-endian):
//   "MNISTCKP", u32 version 3,
//   identity:  u64 image rows, cols; f32 dropout, l2, lr, beta1, beta2, epsilon; u64 batch, max epochs,
//              patience, seed, validation size, limit, training images; u32 CRC of the training labels;
//              u32 CRC of the training pixels;
//              augmentation: u8 kind, f32 shift, rotation, scale, shear, elastic alpha, elastic sigma;
//              schedule: u8 kind, u64 warm-up epochs, u64 step epochs, f32 step gamma, f32 cosine's floor;
//              f32 max-norm (versions 1 and 2, before augmentation and schedules and before the pixels'
//              CRC, are not read)
//   model:     u32 number of layer sizes, u32 each size; f32 x P current parameters
//   state:     u64 epoch, next row; u64 order length, u32 each index; u64 shuffle state; u64 Adam step;
//              f32 x P first moment, f32 x P second moment; f64 loss sum; u64 correct; f64 epoch seconds;
//              f32 x P best parameters; u64 epochs without improvement; u8 finished;
//              result: u64 best epoch, f64 best validation accuracy, u64 epochs run, f64 train seconds,
//              u64 history length, then per epoch u64 epoch and f64 x 6 (train loss, objective, accuracy,
//              validation loss and accuracy, seconds)
//   u32 CRC-32 of everything before it
// Floats that are not finite make the file invalid; subnormal ones are read as 0 (util/subnormal.h).
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
constexpr uint32_t kVersion = 3;
// The network's limits are model.bin's (nn/model_file.h); these are the training run's.
constexpr uint64_t kMaxImages = uint64_t(1) << 32, kMaxEpochs = 1000000, kMaxBatch = 65536;
// The most bytes a checkpoint can have: under 1 KB of fixed fields, the layer sizes, four parameter-sized
// blocks, a batch order of up to kMaxImages entries, a history of up to kMaxEpochs rows, the CRC.
constexpr uint64_t kMaxCheckpointBytes =
    1024 + 4 * kMaxLayerSizes + 16 * kMaxParameters + 4 * kMaxImages + 56 * kMaxEpochs;

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
    // Room for everything at once (the fixed fields take under 512 bytes; each history row 56): growing
    // the buffer by doubling would end with a 2 x 9.3 MB allocation for the default MLP's 9.3 MB file.
    const size_t float_count = mlp.parameters.size() + state.adam.first_moment.size() +
                               state.adam.second_moment.size() + state.best_parameters.size();
    out.bytes.reserve(512 + 4 * mlp.layout.sizes.size() + 4 * float_count + 4 * state.order.size() +
                      56 * state.result.history.size());
    out.raw(kMagic, 8);
    out.u32(kVersion);
    out.u64(id.image_rows);
    out.u64(id.image_cols);
    const TrainSettings& s = id.settings;
    out.f32(s.dropout_rate);
    out.f32(s.l2_lambda);
    out.f32(s.adam.learning_rate);
    out.f32(s.adam.beta1);
    out.f32(s.adam.beta2);
    out.f32(s.adam.epsilon);
    out.u64(s.batch_size);
    out.u64(s.max_epochs);
    out.u64(s.patience);
    out.u64(s.seed);
    out.u64(id.validation_size);
    out.u64(id.limit);
    out.u64(id.train_images);
    out.u32(id.train_labels_crc);
    out.u32(id.train_pixels_crc);
    const AugmentSettings& a = s.augment;
    out.u8(static_cast<uint8_t>(a.kind));
    out.f32(a.max_shift);
    out.f32(a.max_rotation);
    out.f32(a.max_scale);
    out.f32(a.max_shear);
    out.f32(a.elastic_alpha);
    out.f32(a.elastic_sigma);
    out.u8(static_cast<uint8_t>(s.schedule.kind));
    out.u64(s.schedule.warmup_epochs);
    out.u64(s.schedule.step_epochs);
    out.f32(s.schedule.step_gamma);
    out.f32(s.schedule.min_lr);
    out.f32(s.max_norm);

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
    for (const EpochRecord& e : r.history) {
        out.u64(e.epoch);
        out.f64(e.train_loss);
        out.f64(e.train_objective);
        out.f64(e.train_accuracy);
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
    if (version != kVersion)
        body.fail("checkpoint format version " + std::to_string(version) + ", this program reads " +
                  std::to_string(kVersion));

    Checkpoint c;
    RunIdentity& id = c.identity;
    id.image_rows = static_cast<size_t>(body.u64_at_most(kMaxUnits, "the image height"));
    id.image_cols = static_cast<size_t>(body.u64_at_most(kMaxUnits, "the image width"));
    TrainSettings& s = id.settings;
    s.dropout_rate = body.f32();
    s.l2_lambda = body.f32();
    s.adam.learning_rate = body.f32();
    s.adam.beta1 = body.f32();
    s.adam.beta2 = body.f32();
    s.adam.epsilon = body.f32();
    s.batch_size = static_cast<size_t>(body.u64_at_most(kMaxBatch, "the batch size"));
    s.max_epochs = static_cast<size_t>(body.u64_at_most(kMaxEpochs, "the epoch limit"));
    s.patience = static_cast<size_t>(body.u64_at_most(kMaxEpochs, "the patience"));
    s.seed = body.u64();
    id.validation_size = body.u64();
    id.limit = body.u64();
    id.train_images = body.u64();
    id.train_labels_crc = body.u32();
    id.train_pixels_crc = body.u32();
    const uint8_t augment_kind = body.u8();
    if (augment_kind > 3) body.fail("augmentation kind " + std::to_string(augment_kind));
    AugmentSettings& a = s.augment;
    a.kind = static_cast<AugmentKind>(augment_kind);
    a.max_shift = body.f32();
    a.max_rotation = body.f32();
    a.max_scale = body.f32();
    a.max_shear = body.f32();
    a.elastic_alpha = body.f32();
    a.elastic_sigma = body.f32();
    const uint8_t schedule_kind = body.u8();
    if (schedule_kind > 2) body.fail("learning-rate schedule kind " + std::to_string(schedule_kind));
    s.schedule.kind = static_cast<ScheduleKind>(schedule_kind);
    s.schedule.warmup_epochs = static_cast<size_t>(body.u64_at_most(kMaxEpochs, "the warm-up"));
    s.schedule.step_epochs = static_cast<size_t>(body.u64_at_most(kMaxEpochs, "the step schedule's period"));
    s.schedule.step_gamma = body.f32();
    s.schedule.min_lr = body.f32();
    s.max_norm = body.f32();
    // The options' own ranges (cli/recipe_options.cpp), a little wider.
    if (!(a.max_shift >= 0.0f && a.max_shift <= 100.0f) || !(a.max_rotation >= 0.0f && a.max_rotation <= 180.0f) ||
        !(a.max_scale >= 0.0f && a.max_scale < 1.0f) || !(a.max_shear >= 0.0f && a.max_shear <= 10.0f) ||
        !(a.elastic_alpha >= 0.0f && a.elastic_alpha <= 1000.0f) ||
        !(a.elastic_sigma >= 0.1f && a.elastic_sigma <= 100.0f) || s.schedule.step_epochs == 0 ||
        !(s.schedule.step_gamma > 0.0f && s.schedule.step_gamma <= 1.0f) ||
        !(s.schedule.min_lr >= 0.0f && s.schedule.min_lr <= 10.0f) || !(s.max_norm >= 0.0f && s.max_norm <= 1e6f))
        body.fail("the augmentation or schedule settings it records are out of range");
    // The options' ranges (cli/ and nn/adam.h): finite, and the learning rate and L2 within --lr's and --l2's.
    if (!finite_in(s.dropout_rate, 0.0, 0.99) || !finite_in(s.l2_lambda, 0.0, 1.0) ||
        !finite_in(s.adam.learning_rate, 1e-30, 10.0) || !finite_in(s.adam.beta1, 0.0, 0.9999999) ||
        !finite_in(s.adam.beta2, 0.0, 0.9999999) || !finite_in(s.adam.epsilon, 1e-30, 1.0) || s.batch_size == 0 ||
        s.max_epochs == 0 || s.patience == 0 || id.train_images == 0 || id.train_images > kMaxImages)
        body.fail("the training settings it records are out of range");

    const std::vector<size_t> sizes = read_layer_sizes(body);  // within model.bin's limits (nn/model_file.h)
    if (id.image_rows == 0 || id.image_cols == 0 || id.image_rows > kMaxUnits || id.image_cols > kMaxUnits ||
        id.image_rows * id.image_cols != sizes[0])
        body.fail("its image size does not match its first layer");
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
    body.need(56 * history, "the history");
    for (uint64_t i = 0; i < history; ++i) {
        EpochRecord e;
        e.epoch = static_cast<size_t>(body.u64_at_most(kMaxEpochs, "an epoch number"));
        e.train_loss = body.f64();
        e.train_objective = body.f64();
        e.train_accuracy = body.f64();
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
    const auto differ = [](const char* what, const std::string& x, const std::string& y) {
        return std::string(what) + " is " + x + " in the checkpoint but " + y + " here";
    };
    const auto text = [](double v) {
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%g", v);
        return std::string(buffer);
    };
    const TrainSettings &x = a.settings, &y = b.settings;
    if (a.train_images != b.train_images)
        return "the training data differ (" + std::to_string(a.train_images) + " images in the checkpoint's, " +
               std::to_string(b.train_images) + " here)";
    if (a.train_labels_crc != b.train_labels_crc) return "the training data differ (other labels)";
    if (a.train_pixels_crc != b.train_pixels_crc) return "the training data differ (the same labels, other images)";
    if (a.image_rows != b.image_rows || a.image_cols != b.image_cols) return "the image size differs";
    if (x.dropout_rate != y.dropout_rate) return differ("--dropout", text(x.dropout_rate), text(y.dropout_rate));
    if (x.l2_lambda != y.l2_lambda) return differ("--l2", text(x.l2_lambda), text(y.l2_lambda));
    if (x.adam.learning_rate != y.adam.learning_rate)
        return differ("--lr", text(x.adam.learning_rate), text(y.adam.learning_rate));
    if (x.adam.beta1 != y.adam.beta1 || x.adam.beta2 != y.adam.beta2 || x.adam.epsilon != y.adam.epsilon)
        return "Adam's betas or epsilon differ";
    if (x.batch_size != y.batch_size) return differ("--batch", std::to_string(x.batch_size), std::to_string(y.batch_size));
    if (x.max_epochs != y.max_epochs) return differ("--epochs", std::to_string(x.max_epochs), std::to_string(y.max_epochs));
    if (x.patience != y.patience) return differ("--patience", std::to_string(x.patience), std::to_string(y.patience));
    if (x.seed != y.seed) return differ("--seed", std::to_string(x.seed), std::to_string(y.seed));
    const AugmentSettings &p = x.augment, &q = y.augment;
    if (p.kind != q.kind)
        return differ("--augment", augment_kind_name(p.kind), augment_kind_name(q.kind));
    if (uses_affine(p) && (p.max_shift != q.max_shift || p.max_rotation != q.max_rotation ||
                           p.max_scale != q.max_scale || p.max_shear != q.max_shear))
        return "the affine augmentation's ranges (--shift, --rotate, --scale, --shear) differ";
    if (uses_elastic(p) && (p.elastic_alpha != q.elastic_alpha || p.elastic_sigma != q.elastic_sigma))
        return "the elastic augmentation's --elastic-alpha or --elastic-sigma differ";
    if (x.schedule.kind != y.schedule.kind)
        return differ("--lr-schedule", schedule_kind_name(x.schedule.kind), schedule_kind_name(y.schedule.kind));
    if (x.schedule.warmup_epochs != y.schedule.warmup_epochs || x.schedule.step_epochs != y.schedule.step_epochs ||
        x.schedule.step_gamma != y.schedule.step_gamma || x.schedule.min_lr != y.schedule.min_lr)
        return "the schedule's --warmup, --lr-step, --lr-gamma or --lr-min differ";
    if (x.max_norm != y.max_norm) return differ("--max-norm", text(x.max_norm), text(y.max_norm));
    if (a.validation_size != b.validation_size)
        return differ("--val-size", std::to_string(a.validation_size), std::to_string(b.validation_size));
    if (a.limit != b.limit) return differ("--limit", std::to_string(a.limit), std::to_string(b.limit));
    return "";
}

}  // namespace mnist
