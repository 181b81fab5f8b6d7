// No float the program computes with is ever subnormal (util/subnormal.h, docs/06-adam.md "Subnormal
// numbers"). The speed cost of subnormals depends on the CPU; this test does not: it COUNTS them.
//   1. Each producer keeps the rule on inputs made to break it: the GEMM write-out, softmax and its gradient,
//      the L2 gradient, Adam, max-norm.
//   2. Training with the report's recipe (Adam lr 1e-3, L2 1e-4, dropout 0.3) on images whose border is never
//      lit, as MNIST's is: the weights of those pixels get only L2's gradient and decay towards 0, which
//      before the fix went through the subnormal range within ~1,500 steps. After every epoch, every buffer
//      is checked: parameters, gradients, Adam's moments, the activations, logits and probabilities of
//      training and of evaluation, predict's, and the GEMM's packed blocks.
//   3. model.bin and checkpoint.bin files that hold subnormals (as files written before the fix do) are
//      read with them as 0.
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "check.h"
#include "synthetic_data.h"
#include "data/dataset.h"
#include "nn/adam.h"
#include "nn/l2.h"
#include "nn/max_norm.h"
#include "nn/mlp.h"
#include "nn/model_file.h"
#include "nn/softmax_cross_entropy.h"
#include "train/checkpoint.h"
#include "train/evaluate.h"
#include "train/predict.h"
#include "train/trainer.h"
#include "util/rng.h"
#include "util/subnormal.h"

using namespace mnist;

namespace {

const float kSubnormal = FLT_MIN / 4;  // 2^-128, a subnormal

size_t subnormals(const std::vector<float>& values) { return count_subnormals(values.data(), values.size()); }

// Counts the subnormals of named buffers; prints each buffer that holds any.
struct BufferCheck {
    size_t epoch = 0, found = 0;
    void operator()(const std::string& buffer, const std::vector<float>& values) {
        const size_t count = subnormals(values);
        if (count != 0) std::fprintf(stderr, "epoch %zu: %zu subnormal values in %s\n", epoch, count, buffer.c_str());
        found += count;
    }
};

// 1. The producers, one by one.
void test_producers() {
    // The rule itself: subnormals become 0; zero, normals, infinities and NaN pass.
    CHECK(flush_subnormal(kSubnormal) == 0.0f && flush_subnormal(-kSubnormal) == 0.0f);
    CHECK(flush_subnormal(std::numeric_limits<float>::denorm_min()) == 0.0f);
    CHECK(flush_subnormal(FLT_MIN) == FLT_MIN && flush_subnormal(-1.5f) == -1.5f && flush_subnormal(0.0f) == 0.0f);
    CHECK(std::isinf(flush_subnormal(INFINITY)) && std::isnan(flush_subnormal(NAN)));
    CHECK(flush_below(1e-20f, 1e-19f) == 0.0f && flush_below(1e-18f, 1e-19f) == 1e-18f);
    CHECK(count_subnormals(&kSubnormal, 1) == 1);

    // GEMM: every product 1e-20 * 1e-20 = 1e-40 is subnormal; so is the sum of 3. C is written as 0.
    Compute compute(2);
    for (const size_t n : {1, 7, 40}) {
        Matrix a(n, 3), b(3, n), c(n, n);
        for (float& v : a.values) v = 1e-20f;
        for (float& v : b.values) v = 1e-20f;
        gemm(compute, Op::none, Op::none, 1.0f, a.view(), b.view(), 0.0f, c.view());
        CHECK(subnormals(c.values) == 0 && c.values[0] == 0.0f);
        gemm_reference(Op::none, Op::none, 1.0f, a.view(), b.view(), 0.0f, c.view());
        CHECK(subnormals(c.values) == 0);
        // ... and an epilogue that lands a normal value in the subnormal range: bias cancels the product.
        for (float& v : a.values) v = 1.5e-19f;
        for (float& v : b.values) v = 1e-19f;  // sum 4.5e-38 (normal); bias -4.4e-38 leaves 1e-39
        std::vector<float> bias(n, -4.4e-38f);
        Epilogue with_bias;
        with_bias.column_bias = bias.data();
        gemm(compute, Op::none, Op::none, 1.0f, a.view(), b.view(), 0.0f, c.view(), with_bias);
        CHECK(subnormals(c.values) == 0);
    }

    // Softmax: a gap of 100 between logits gives exp(-100) ~ 3.7e-44, subnormal: probability 0 instead.
    // Its gradient (p - y) / batch for p = 1e-37 would be 7.8e-40 at batch 128: 0 instead.
    const float logits[3] = {0.0f, -100.0f, -20.0f};
    const uint8_t labels[1] = {0};
    float probs[3], grad[3];
    softmax_cross_entropy_forward(probs, nullptr, logits, labels, 1, 3);
    CHECK(probs[1] == 0.0f && probs[2] > 0.0f && count_subnormals(probs, 3) == 0);
    const float tiny_probs[3] = {1.0f, 1e-37f, 1e-30f};
    softmax_cross_entropy_backward(grad, tiny_probs, labels, 1, 3, 1.0f / 128);
    CHECK(grad[1] == 0.0f && grad[2] == 1e-30f / 128 && count_subnormals(grad, 3) == 0);

    // L2: lambda * w with w = 1e-36 and lambda = 1e-4 would be 1e-40: the gradient is left as it was.
    const ParameterLayout layout = make_parameter_layout({2, 2});
    std::vector<float> parameters = {1e-36f, 0.5f, -1e-36f, 1e-30f, 0.0f, 0.0f};
    std::vector<float> gradients(6, 0.0f);
    l2_penalty_backward(compute, layout, gradients, parameters, 1e-4f);
    CHECK(gradients[0] == 0.0f && gradients[1] == 0.5f * 1e-4f && gradients[2] == 0.0f);
    CHECK(gradients[3] == 1e-30f * 1e-4f && subnormals(gradients) == 0);

    // Adam: gradients far below anything that moves a weight (1e-20: its square underflows in Eq. (18)),
    // moments decaying towards 0, weights near 0: nothing stored is subnormal after many steps.
    std::vector<float> theta = {1e-37f, -2e-38f, 0.1f, 3e-38f}, g = {1e-20f, 0.0f, -1e-20f, 1e-30f};
    AdamState adam = make_adam_state(theta.size());
    adam.first_moment = {1.3e-38f, -5e-38f, 1e-36f, 0.0f};
    adam.second_moment = {1.3e-38f, 2e-38f, 0.0f, 1e-37f};
    for (int step = 0; step < 2000; ++step) {
        adam_step(compute, theta, g, adam, AdamSettings());
        if (step == 0) g.assign(g.size(), 0.0f);
    }
    CHECK(subnormals(theta) == 0 && subnormals(adam.first_moment) == 0 && subnormals(adam.second_moment) == 0);

    // Max-norm scaling a row of norm 1e30 down to 1: its 1e-10 entry would become 1e-40, so it is 0.
    float row[2] = {1e30f, 1e-10f};
    clip_row_norm(row, 2, 1.0f);
    CHECK(row[1] == 0.0f && count_subnormals(row, 2) == 0);
}

// MNIST-sized images (28 x 28 bytes) in 3 classes with a 4-pixel border that is never lit: inside, the class
// lights one of three bands of the 20 x 20 field (170-255) over noise (0-79), so the network learns it quickly
// and the border weights see nothing but the L2 penalty, as MNIST's never-lit pixels do.
constexpr size_t kSide = 28, kBorder = 4;
bool in_border(size_t r, size_t c) { return r < kBorder || c < kBorder || r >= kSide - kBorder || c >= kSide - kBorder; }

ImageSet bordered_set(size_t count) {
    synthetic::Spec spec(count, kSide, kSide, 17);
    spec.pattern = synthetic::Pattern::bands;
    spec.labels = synthetic::Labels::cycle;
    spec.border = kBorder;
    spec.lit_low = 170;
    spec.lit_span = 86;
    spec.noise_span = 80;
    return synthetic::make_images(spec);
}

// 2. Training, evaluation and prediction with the report's recipe; every buffer checked after every epoch.
void test_training_keeps_buffers_normal() {
    const ImageSet set = bordered_set(96);
    // 6 steps per epoch, 3,000 steps: before the fix, the first subnormal weights appeared after ~1,500.
    const size_t batch = 16, epochs = 500;
    Compute compute(2);
    Mlp mlp = make_mlp({kSide * kSide, 16, 8, 3}, 3);
    MlpWorkspace ws = make_mlp_workspace(mlp, batch);
    AdamState adam = make_adam_state(mlp.layout.total);
    const TrainSettings settings;  // the report's recipe: Adam lr 0.001, L2 1e-4, dropout 0.3
    std::vector<uint32_t> order(set.count);
    for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<uint32_t>(i);
    Rng rng = make_rng(5, 0);
    size_t failed_epochs = 0;
    for (size_t epoch = 1; epoch <= epochs && failed_epochs < 3; ++epoch) {
        shuffle(rng, order.data(), order.size());
        for (size_t start = 0; start < order.size(); start += batch) {
            load_batch(ws.input.top_rows(batch), ws.labels.data(), set, order.data() + start, batch);
            train_step(compute, mlp, ws, adam, settings, batch, mix64(epoch * 1000 + start), 0.001f);
        }
        // The training pass's buffers, as the last step left them.
        BufferCheck check;
        check.epoch = epoch;
        check("the parameters", mlp.parameters);
        check("the gradients", ws.gradients);
        check("Adam's first moment", adam.first_moment);
        check("Adam's second moment", adam.second_moment);
        const auto check_activations = [&](const char* pass) {
            const std::string in = std::string(" (") + pass + ")";
            check("the input" + in, ws.input.values);
            for (size_t h = 0; h < ws.hidden.size(); ++h) check("hidden layer " + std::to_string(h + 1) + in, ws.hidden[h].values);
            check("the logits" + in, ws.logits.values);
            check("the probabilities" + in, ws.probs.values);
            for (size_t t = 0; t < compute.pool.size(); ++t) {
                check("thread " + std::to_string(t) + "'s packed A block" + in, compute.gemm.packed_a[t]);
                check("thread " + std::to_string(t) + "'s packed B block" + in, compute.gemm.packed_b[t]);
            }
        };
        check_activations("training");
        for (size_t h = 0; h < ws.hidden.size(); ++h) {
            check("dropout mask " + std::to_string(h + 1), ws.mask[h].values);
            check("dropped activations " + std::to_string(h + 1), ws.dropped[h].values);
            check("the gradient of hidden layer " + std::to_string(h + 1), ws.grad[h].values);
        }
        check("the gradient of the logits", ws.grad_logits.values);
        // Evaluation (what `eval` and the validation pass run) and one prediction (what `predict` runs).
        const Evaluation evaluation = evaluate(compute, mlp, ws, set, {});
        check_activations("evaluation");
        const Prediction prediction = predict_image(compute, mlp, ws, set.pixels.data());
        check("predict's probabilities", prediction.probabilities);
        check_activations("prediction");
        CHECK(check.found == 0);
        failed_epochs += check.found != 0;
        if (epoch == epochs) {
            std::printf("%zu epochs (%zu steps): accuracy %.3f, no subnormal value in any buffer\n", epochs,
                        epochs * order.size() / batch, evaluation.accuracy);
            CHECK(evaluation.accuracy > 0.95);  // it did learn
        }
    }
    // The border pixels' weights have decayed (they are what produced subnormals before the fix).
    const ConstMatrixView first = weights_of(mlp.layout, mlp.parameters, 0);
    double border_largest = 0;
    for (size_t o = 0; o < first.rows; ++o)
        for (size_t i = 0; i < first.cols; ++i) {
            if (in_border(i / kSide, i % kSide)) border_largest = std::fmax(border_largest, std::fabs(first.at(o, i)));
        }
    std::printf("largest border weight after training: %.3g\n", border_largest);
    CHECK(border_largest < 1e-10);
}

// 3. Files with subnormals in them are read with those values as 0.
void test_files_with_subnormals() {
    Mlp mlp = make_mlp({4, 3, 2}, 1);
    mlp.parameters[0] = kSubnormal;
    mlp.parameters[5] = -std::numeric_limits<float>::denorm_min();
    const SavedModel model = decode_model(encode_model(mlp, 2, 2), "old-model.bin");
    CHECK(model.mlp.parameters[0] == 0.0f && model.mlp.parameters[5] == 0.0f);
    CHECK(model.mlp.parameters[1] == mlp.parameters[1] && subnormals(model.mlp.parameters) == 0);

    Split split;
    split.train = {0, 1, 2};
    TrainSettings settings;
    TrainState state = make_train_state(mlp, split, settings);
    state.adam.first_moment[2] = kSubnormal;
    state.adam.second_moment[3] = kSubnormal;
    state.best_parameters[4] = -kSubnormal;
    RunIdentity identity;
    identity.image_rows = identity.image_cols = 2;
    identity.settings.train = settings;
    identity.settings.hidden = {3};
    identity.train_images = 3;
    const Checkpoint checkpoint = decode_checkpoint(encode_checkpoint(identity, mlp, state), "old-checkpoint.bin");
    CHECK(subnormals(checkpoint.mlp.parameters) == 0 && checkpoint.mlp.parameters[0] == 0.0f);
    CHECK(subnormals(checkpoint.state.adam.first_moment) == 0 && subnormals(checkpoint.state.adam.second_moment) == 0);
    CHECK(subnormals(checkpoint.state.best_parameters) == 0 && checkpoint.state.best_parameters[4] == 0.0f);
}

}  // namespace

int main() {
    test_producers();
    test_training_keeps_buffers_normal();
    test_files_with_subnormals();
    return check_exit("test_subnormal");
}
