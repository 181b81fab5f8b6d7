// The whole-network gradient check of nn/gradcheck.h (what `mnist gradcheck` prints): every entry of every
// tensor of a small network with dropout and L2, and a sample of a wider one, within the command's tolerance
// 1e-3 relative; every tensor's largest gradient far from 0 (so a backward pass that writes nothing fails);
// the double reference against the hand-worked 2 -> 3 -> 2 example of docs/05-backprop.md; and a proof that
// the comparison catches a wrong gradient (a factor of 2, a missing entry). See docs/05-backprop.md.
#include <cmath>
#include <cstdio>
#include <vector>

#include "check.h"
#include "hand_example.h"
#include "synthetic_data.h"
#include "data/dataset.h"
#include "nn/gradcheck.h"
#include "nn/mlp.h"

using namespace mnist;

namespace {

// A batch of `rows` random images (bytes 0-255, as load_batch scales them for training) with random labels.
void fill_batch(MlpWorkspace& ws, size_t rows, size_t classes, uint64_t seed) {
    synthetic::Spec spec(rows, 1, ws.input.cols, seed);
    spec.stream = 1;
    spec.classes = classes;
    spec.pattern = synthetic::Pattern::noise;
    spec.noise_span = 256;
    const ImageSet set = synthetic::make_images(spec);
    std::vector<uint32_t> all(rows);
    for (size_t r = 0; r < rows; ++r) all[r] = static_cast<uint32_t>(r);
    load_batch(ws.input.top_rows(rows), ws.labels.data(), set, all.data(), rows);
}

// The tolerance of `mnist gradcheck`: a hundred times the float rounding seen, far below a real mistake.
constexpr double kTolerance = 1e-3;

void expect_all_pass(const std::vector<TensorCheck>& checks, const char* what, size_t expected_tensors) {
    CHECK(checks.size() == expected_tensors);
    for (const TensorCheck& c : checks) {
        CHECK_MSG(c.checked > 0 && c.max_gradient > 1e-6 && c.max_relative_error <= kTolerance,
                  format_message("%s %s: checked %zu, max |grad| %.3e, max rel err %.3e", what, c.name.c_str(),
                                 c.checked, c.max_gradient, c.max_relative_error));
    }
}

}  // namespace

int main() {
    Compute compute(1);

    // Every entry of a 12 -> 7 -> 5 -> 4 network: dropout 0.3, L2 1e-2 (large, so that its share shows).
    {
        Mlp mlp = make_mlp({12, 7, 5, 4}, 3);
        MlpWorkspace ws = make_mlp_workspace(mlp, 6);
        fill_batch(ws, 6, 4, 11);
        GradcheckSettings settings;
        settings.samples_per_tensor = 0;
        settings.l2_lambda = 1e-2f;
        const std::vector<TensorCheck> checks = gradient_check(compute, mlp, ws, 6, settings);
        expect_all_pass(checks, "small net", 6);
        size_t compared = 0;
        for (const TensorCheck& c : checks) compared += c.checked + c.kinks;
        CHECK(compared == mlp.layout.total);  // every parameter was looked at
    }

    // A sample of a wider, deeper one (the report's shape at a tenth of the width), dropout off.
    {
        Mlp mlp = make_mlp({784, 51, 26, 13, 10}, 42);
        MlpWorkspace ws = make_mlp_workspace(mlp, 8);
        fill_batch(ws, 8, 10, 5);
        GradcheckSettings settings;
        settings.samples_per_tensor = 16;
        settings.dropout_rate = 0.0f;
        expect_all_pass(gradient_check(compute, mlp, ws, 8, settings), "784-51-26-13-10", 8);
    }

    // The double reference on the hand-worked example: loss 0.201413, and raising b2[0] by 0.001 gives 0.201231.
    {
        hand_example::Network hand = hand_example::make();
        Mlp& mlp = hand.mlp;
        MlpWorkspace& ws = hand.ws;
        std::vector<double> theta(mlp.parameters.begin(), mlp.parameters.end());
        std::vector<bool> pattern;
        CHECK_NEAR(reference_objective(mlp.layout, theta, ws.input, ws.labels, 1, nullptr, 0.0, &pattern),
                   std::log(1 + std::exp(-1.5)), 1e-12);
        CHECK(pattern == std::vector<bool>({false, true, true}));  // z1 = (-0.5, 1, 0.5)
        theta[mlp.layout.bias_offset[1]] += 0.001;
        CHECK_NEAR(reference_objective(mlp.layout, theta, ws.input, ws.labels, 1, nullptr, 0.0), 0.201231, 5e-7);

        GradcheckSettings settings;
        settings.samples_per_tensor = 0;
        settings.dropout_rate = 0.0f;
        settings.l2_lambda = 0.0f;
        const std::vector<TensorCheck> checks = gradient_check(compute, mlp, ws, 1, settings);
        CHECK(checks.size() == 4);
        for (const TensorCheck& c : checks) CHECK(c.max_relative_error < 1e-5 && c.kinks == 0);

        // The comparison catches a wrong gradient: the numeric derivative of b2[0] is -q, q = 1 / (1 + e^1.5);
        // an analytic value twice as large, or 0, has relative error 0.5 or 1, far above the tolerance.
        const double q = 1 / (1 + std::exp(1.5));
        std::vector<double> probe(mlp.parameters.begin(), mlp.parameters.end());
        const size_t i = mlp.layout.bias_offset[1];
        probe[i] += settings.step;
        const double up = reference_objective(mlp.layout, probe, ws.input, ws.labels, 1, nullptr, 0.0);
        probe[i] -= 2 * settings.step;
        const double down = reference_objective(mlp.layout, probe, ws.input, ws.labels, 1, nullptr, 0.0);
        const double numeric = (up - down) / (2 * settings.step);
        CHECK_NEAR(numeric, -q, 1e-9);
        for (const double wrong : {-2 * q, 0.0}) {
            const double relative = std::fabs(wrong - numeric) / std::max(std::fabs(wrong), std::fabs(numeric));
            CHECK(relative >= 0.5 && relative > 100 * kTolerance);
        }
    }

    // A perturbation across a ReLU kink is counted and left out, not compared: a unit whose pre-activation is
    // 1e-6 from 0 with the step 1e-5 crosses the kink when its bias moves.
    {
        Mlp mlp = make_mlp({2, 3, 2}, 1);
        float* b1 = bias_of(mlp.layout, mlp.parameters, 0);
        const MatrixView w1 = weights_of(mlp.layout, mlp.parameters, 0);
        for (size_t o = 0; o < 3; ++o) {
            w1.at(o, 0) = 1.0f;
            w1.at(o, 1) = 0.0f;
            b1[o] = 0.0f;
        }
        b1[1] = -1.0f + 1e-6f;  // z1[1] = x0 - 1 + 1e-6 = 1e-6 for x0 = 1
        MlpWorkspace ws = make_mlp_workspace(mlp, 1);
        ws.input.values[0] = 1;
        ws.input.values[1] = 0.5f;
        ws.labels[0] = 1;
        GradcheckSettings settings;
        settings.samples_per_tensor = 0;
        settings.dropout_rate = 0.0f;
        const std::vector<TensorCheck> checks = gradient_check(compute, mlp, ws, 1, settings);
        CHECK(checks[1].name == "b1" && checks[1].kinks == 1);
        CHECK(checks[0].name == "W1" && checks[0].kinks >= 1);
    }

    return check_exit("test_gradcheck");
}
