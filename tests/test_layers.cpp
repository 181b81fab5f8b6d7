// Every layer's backward pass against central finite differences of its forward pass, then the whole
// network (cross-entropy + dropout + L2) the same way; softmax-CE with huge logits; dropout's mean; init
// variances; the fused dense+ReLU against the separate functions; activation statistics on a hand-worked network.
//
// The code computes in float, so the finite differences use h = 1e-2 .. 1e-3 and losses summed in double;
// the tolerance of each check is written beside it. Each check also requires the gradient to be far from
// all-zero, so that a backward pass that writes nothing cannot pass.
#include <algorithm>
#include <cmath>
#include <vector>

#include "check.h"
#include "nn/activation_stats.h"
#include "nn/dense.h"
#include "nn/dropout.h"
#include "nn/init.h"
#include "nn/l2.h"
#include "nn/mlp.h"
#include "nn/relu.h"
#include "nn/softmax_cross_entropy.h"
#include "util/rng.h"

using namespace mnist;

namespace {

std::vector<float> random_vector(size_t n, Rng& rng, double scale = 1.0) {
    std::vector<float> v(n);
    for (float& x : v) x = static_cast<float>(scale * (2.0 * uniform_double(rng) - 1.0));
    return v;
}

double dot(const std::vector<float>& a, const std::vector<float>& b) {
    double s = 0;
    for (size_t i = 0; i < a.size(); ++i) s += static_cast<double>(a[i]) * b[i];
    return s;
}

// Compares analytic and numeric gradients: |a - n| <= abs_tol + rel_tol * |n| everywhere, and the
// analytic gradient must not be (nearly) all zero.
bool gradients_match(const std::vector<double>& analytic, const std::vector<double>& numeric, double abs_tol,
                     double rel_tol, const char* what) {
    double largest = 0;
    size_t bad = 0;
    for (size_t i = 0; i < analytic.size(); ++i) {
        largest = std::max(largest, std::fabs(analytic[i]));
        if (!(std::fabs(analytic[i] - numeric[i]) <= abs_tol + rel_tol * std::fabs(numeric[i]))) {
            if (bad < 5) std::printf("  %s[%zu]: analytic %.6g numeric %.6g\n", what, i, analytic[i], numeric[i]);
            ++bad;
        }
    }
    if (largest < 1e-3) std::printf("  %s: gradient is (nearly) all zero\n", what);
    return bad == 0 && largest >= 1e-3;
}

// Central difference of f with respect to each element of `values` (perturbed in place and restored).
template <class Loss>
std::vector<double> numeric_gradient(std::vector<float>& values, double h, const Loss& loss) {
    std::vector<double> gradient(values.size());
    for (size_t i = 0; i < values.size(); ++i) {
        const float saved = values[i];
        values[i] = static_cast<float>(saved + h);
        const double up = loss();
        values[i] = static_cast<float>(saved - h);
        const double down = loss();
        values[i] = saved;
        gradient[i] = (up - down) / (2 * h);
    }
    return gradient;
}

std::vector<double> as_double(const float* v, size_t n) { return std::vector<double>(v, v + n); }

}  // namespace

int main() {
    Rng rng = make_rng(11, 0);
    Compute compute(2);

    // Dense layer: L = sum(out * R) has dL/dout = R; check dW, db and d(in). The layer is linear, so
    // central differences are exact up to float rounding: tolerance 1e-3 absolute.
    {
        const size_t batch = 5, in = 7, out = 4;
        std::vector<float> x = random_vector(batch * in, rng), w = random_vector(out * in, rng),
                           b = random_vector(out, rng), r = random_vector(batch * out, rng);
        std::vector<float> y(batch * out), gx(batch * in), gw(out * in), gb(out);
        auto loss = [&] {
            dense_forward(compute, {y.data(), batch, out}, {x.data(), batch, in}, {w.data(), out, in}, b.data(), false);
            return dot(y, r);
        };
        dense_backward(compute, {gx.data(), batch, in}, {gw.data(), out, in}, gb.data(), {r.data(), batch, out},
                       {x.data(), batch, in}, {w.data(), out, in});
        CHECK(gradients_match(as_double(gw.data(), gw.size()), numeric_gradient(w, 1e-2, loss), 1e-3, 1e-3, "dense dW"));
        CHECK(gradients_match(as_double(gb.data(), gb.size()), numeric_gradient(b, 1e-2, loss), 1e-3, 1e-3, "dense db"));
        CHECK(gradients_match(as_double(gx.data(), gx.size()), numeric_gradient(x, 1e-2, loss), 1e-3, 1e-3, "dense dX"));
        // Backward overwrites: a second call gives the same gradients, not twice them.
        std::vector<float> gw_again = gw;
        dense_backward(compute, {gx.data(), batch, in}, {gw_again.data(), out, in}, gb.data(), {r.data(), batch, out},
                       {x.data(), batch, in}, {w.data(), out, in});
        CHECK(gw_again == gw);
        // The first layer's call without grad_in still gives dW and db.
        std::vector<float> gw_first(out * in, 99.0f);
        dense_backward(compute, MatrixView(), {gw_first.data(), out, in}, gb.data(), {r.data(), batch, out},
                       {x.data(), batch, in}, {w.data(), out, in});
        CHECK(gw_first == gw);
        // Fused dense+ReLU equals dense then relu_forward.
        std::vector<float> fused(batch * out), separate(batch * out);
        dense_forward(compute, {fused.data(), batch, out}, {x.data(), batch, in}, {w.data(), out, in}, b.data(), true);
        dense_forward(compute, {separate.data(), batch, out}, {x.data(), batch, in}, {w.data(), out, in}, b.data(), false);
        relu_forward(separate.data(), separate.data(), separate.size());
        CHECK(fused == separate);
    }

    // ReLU: inputs kept at least 0.1 away from the kink, h = 1e-2, so the difference quotient is exact.
    {
        std::vector<float> x = random_vector(40, rng), r = random_vector(40, rng), y(40), gx(40);
        for (float& v : x) v = v < 0 ? v - 0.1f : v + 0.1f;
        auto loss = [&] { relu_forward(y.data(), x.data(), x.size()); return dot(y, r); };
        loss();
        relu_backward(gx.data(), r.data(), y.data(), x.size());
        CHECK(gradients_match(as_double(gx.data(), gx.size()), numeric_gradient(x, 1e-2, loss), 1e-4, 1e-4, "relu"));
        // Hand-made values: max(0, x) and the mask.
        const float in[4] = {-2.0f, 0.0f, 0.5f, 3.0f}, g[4] = {1, 1, 1, 1};
        float out[4], back[4];
        relu_forward(out, in, 4);
        relu_backward(back, g, out, 4);
        CHECK(out[0] == 0 && out[1] == 0 && out[2] == 0.5f && out[3] == 3.0f);
        CHECK(back[0] == 0 && back[1] == 0 && back[2] == 1 && back[3] == 1);
    }

    // Dropout with a fixed seed is a fixed linear map, so its gradient check is exact too.
    {
        const size_t rows = 6, cols = 9;
        std::vector<float> x = random_vector(rows * cols, rng), r = random_vector(rows * cols, rng);
        std::vector<float> y(rows * cols), mask(rows * cols), gx(rows * cols);
        auto loss = [&] { dropout_forward(compute, y.data(), mask.data(), x.data(), rows, cols, 0.3f, 1234); return dot(y, r); };
        loss();
        dropout_backward(gx.data(), r.data(), mask.data(), gx.size());
        CHECK(gradients_match(as_double(gx.data(), gx.size()), numeric_gradient(x, 1e-2, loss), 1e-4, 1e-4, "dropout"));
        // The same coins on 1 thread and on 3, and the mask matches the row streams drawn one by one
        // (coin c of row r is the (c+1)-th output of make_rng(seed, r); kept when below 0.7 * 2^32).
        std::vector<float> y1(rows * cols), mask1(rows * cols);
        Compute one_thread(1), three_threads(3);
        dropout_forward(one_thread, y1.data(), mask1.data(), x.data(), rows, cols, 0.3f, 1234);
        CHECK(mask1 == mask);
        dropout_forward(three_threads, y1.data(), mask1.data(), x.data(), rows, cols, 0.3f, 1234);
        CHECK(mask1 == mask);
        bool streams_match = true;
        for (size_t r = 0; r < rows; ++r) {
            Rng row_rng = make_rng(1234, r);
            for (size_t c = 0; c < cols; ++c) {
                const bool kept = (next_u64(row_rng) >> 32) < static_cast<uint64_t>(0.7 * 4294967296.0);
                streams_match = streams_match && kept == (mask[r * cols + c] != 0.0f);
            }
        }
        CHECK(streams_match);
        // Every mask value is 0 or 1/0.7.
        bool values_ok = true;
        for (float m : mask) values_ok = values_ok && (m == 0.0f || m == static_cast<float>(1.0 / 0.7));
        CHECK(values_ok);
    }
    // Dropout keeps the expected mean: over 1,000,000 ones at rate 0.3 the mean output is 1 within 0.005
    // (its standard error is about 0.00065) and the share dropped is 0.3 within 0.002.
    {
        const size_t rows = 1000, cols = 1000;
        std::vector<float> ones(rows * cols, 1.0f), out(rows * cols), mask(rows * cols);
        dropout_forward(compute, out.data(), mask.data(), ones.data(), rows, cols, 0.3f, 99);
        double sum = 0, dropped = 0;
        for (float v : out) { sum += v; dropped += v == 0.0f; }
        CHECK_NEAR(sum / out.size(), 1.0, 0.005);
        CHECK_NEAR(dropped / out.size(), 0.3, 0.002);
        // Rate 0 keeps everything unchanged.
        dropout_forward(compute, out.data(), mask.data(), ones.data(), rows, cols, 0.0f, 99);
        bool unchanged = true;
        for (float v : out) unchanged = unchanged && v == 1.0f;
        CHECK(unchanged);
    }

    // Softmax + cross-entropy: gradient check of the MEAN loss over 3 rows (h = 1e-2 on logits of size ~1;
    // the loss is smooth, so the central difference errs by O(h^2) ~ 1e-4: tolerance 5e-4).
    {
        const size_t rows = 3, classes = 5;
        std::vector<float> z = random_vector(rows * classes, rng, 2.0), p(rows * classes), g(rows * classes);
        const uint8_t labels[3] = {0, 4, 2};
        auto loss = [&] { return softmax_cross_entropy_forward(p.data(), nullptr, z.data(), labels, rows, classes) / rows; };
        loss();
        softmax_cross_entropy_backward(g.data(), p.data(), labels, rows, classes, 1.0f / rows);
        CHECK(gradients_match(as_double(g.data(), g.size()), numeric_gradient(z, 1e-2, loss), 5e-4, 1e-3, "softmax-ce"));
        // Hand-computed: logits (0, ln 2, ln 3) give probabilities (1/6, 2/6, 3/6); label 2 costs ln 2.
        const float hand[3] = {0.0f, std::log(2.0f), std::log(3.0f)};
        float probs[3];
        const uint8_t label = 2;
        CHECK_NEAR(softmax_cross_entropy_forward(probs, nullptr, hand, &label, 1, 3), std::log(2.0), 1e-6);
        CHECK_NEAR(probs[0], 1.0 / 6, 1e-6);
        CHECK_NEAR(probs[2], 0.5, 1e-6);
    }
    // Huge logits: no overflow, no NaN; the loss is the logit gap (1e4) or ~0.
    {
        const float huge[3] = {1e4f, 0.0f, -1e4f};
        float probs[3], grad[3];
        double losses[1];
        const uint8_t right = 0, wrong = 1;
        CHECK_NEAR(softmax_cross_entropy_forward(probs, losses, huge, &right, 1, 3), 0.0, 1e-12);
        CHECK(probs[0] == 1.0f && probs[1] == 0.0f && probs[2] == 0.0f);
        CHECK_NEAR(softmax_cross_entropy_forward(probs, losses, huge, &wrong, 1, 3), 1e4, 1e-3);
        CHECK(std::isfinite(losses[0]));
        softmax_cross_entropy_backward(grad, probs, &wrong, 1, 3, 1.0f);
        CHECK(grad[0] == 1.0f && grad[1] == -1.0f && grad[2] == 0.0f);
        const float equal[2] = {-1e30f, -1e30f};
        const uint8_t first = 0;
        CHECK_NEAR(softmax_cross_entropy_forward(probs, nullptr, equal, &first, 1, 2), std::log(2.0), 1e-9);
    }

    // The whole network: mean cross-entropy + L2, with dropout active (a fixed seed fixes the masks).
    // Parameters are perturbed by h = 1e-3; a ReLU kink crossed by a perturbation would spoil one entry,
    // which this fixed seed avoids. Tolerance: 2e-3 absolute + 2% relative (float forward pass).
    {
        Mlp mlp = make_mlp({6, 5, 4, 3}, 5);
        for (size_t l = 0; l < mlp.layers(); ++l) {  // non-zero biases, so their gradients matter too
            float* b = bias_of(mlp.layout, mlp.parameters, l);
            for (size_t o = 0; o < mlp.layout.outputs(l); ++o) b[o] = static_cast<float>(0.1 * (o + 1));
        }
        const size_t rows = 4;
        MlpWorkspace ws = make_mlp_workspace(mlp, rows);
        const std::vector<float> x = random_vector(rows * 6, rng);
        for (size_t i = 0; i < x.size(); ++i) ws.input.values[i] = x[i];
        const uint8_t labels[rows] = {0, 1, 2, 1};
        for (size_t r = 0; r < rows; ++r) ws.labels[r] = labels[r];
        const float rate = 0.25f, lambda = 0.05f;
        auto loss = [&] {
            return mlp_forward(compute, mlp, ws, rows, true, rate, 77) / rows + l2_penalty(mlp.layout, mlp.parameters, lambda);
        };
        loss();
        mlp_backward(compute, mlp, ws, rows, rate);
        l2_penalty_backward(compute, mlp.layout, ws.gradients, mlp.parameters, lambda);
        const std::vector<double> analytic = as_double(ws.gradients.data(), ws.gradients.size());
        CHECK(gradients_match(analytic, numeric_gradient(mlp.parameters, 1e-3, loss), 2e-3, 2e-2, "network"));
        // Evaluation ignores dropout: the same probabilities whatever the seed, equal to rate 0 training.
        mlp_forward(compute, mlp, ws, rows, false, rate, 1);
        const std::vector<float> eval1(ws.probs.values.begin(), ws.probs.values.begin() + rows * 3);
        mlp_forward(compute, mlp, ws, rows, false, rate, 2);
        const std::vector<float> eval2(ws.probs.values.begin(), ws.probs.values.begin() + rows * 3);
        mlp_forward(compute, mlp, ws, rows, true, 0.0f, 3);
        const std::vector<float> no_dropout(ws.probs.values.begin(), ws.probs.values.begin() + rows * 3);
        CHECK(eval1 == eval2);
        CHECK(eval1 == no_dropout);
    }

    // Initialisation: He (variance 2/fan_in) for hidden layers, Xavier (2/(fan_in+fan_out)) for the
    // output layer, zero biases. Sample standard deviations within 2% (each has >= 1,280 samples...
    // the smallest, 10 x 128, has a relative standard error of about 2%, so it gets 6%).
    {
        Mlp mlp = make_mlp({784, 512, 256, 128, 10}, 3);
        for (size_t l = 0; l < mlp.layers(); ++l) {
            const ConstMatrixView w = weights_of(mlp.layout, static_cast<const std::vector<float>&>(mlp.parameters), l);
            double sum = 0, squares = 0;
            for (size_t i = 0; i < w.size(); ++i) { sum += w.data[i]; squares += static_cast<double>(w.data[i]) * w.data[i]; }
            const double mean = sum / w.size(), deviation = std::sqrt(squares / w.size() - mean * mean);
            const double in = static_cast<double>(w.cols), out = static_cast<double>(w.rows);
            const double expected = l + 1 == mlp.layers() ? std::sqrt(2.0 / (in + out)) : std::sqrt(2.0 / in);
            const double tolerance = l + 1 == mlp.layers() ? 0.06 : 0.02;
            CHECK_NEAR(deviation / expected, 1.0, tolerance);
            const float* b = bias_of(mlp.layout, static_cast<const std::vector<float>&>(mlp.parameters), l);
            bool zero = true;
            for (size_t o = 0; o < w.rows; ++o) zero = zero && b[o] == 0.0f;
            CHECK(zero);
        }
        // The same seed gives the same weights; another seed, others.
        CHECK(make_mlp({20, 7, 3}, 3).parameters == make_mlp({20, 7, 3}, 3).parameters);
        CHECK(make_mlp({20, 7, 3}, 3).parameters != make_mlp({20, 7, 3}, 4).parameters);
    }
    // Activation statistics (nn/activation_stats.h) on a 2-2-1-2 network worked by hand (docs/04). Three
    // images x = (1,0), (0,1), (1,1).
    //   Layer 1: W = [[1, 2], [-1, -1]], b = [0, 0.5]. Unit 1: z = 1, 2, 3; unit 2: z = -0.5, -0.5, -1.5,
    //     so A = 1, 2, 3 and 0, 0, 0: unit 2 is dead. Over the six values: mean Z = 3.5/6, E[z^2] = 16.75/6,
    //     Var Z = 16.75/6 - (3.5/6)^2 = 2.4513889; mean A = 6/6 = 1, Var A = 14/6 - 1 = 1.3333333; dead 1 of 2.
    //   Layer 2: W = [[1, 5]], b = [-1]: z = 1 + 0 - 1, 2 - 1, 3 - 1 = 0, 1, 2, A the same: mean 1, Var 2/3,
    //     no dead unit (z = 0 for the first image does not make it dead: the others are positive).
    // Fed as one chunk and as three chunks of one image (the dead test must hold across chunks, and unit 2
    // of layer 1 comes alive in none of them), the same numbers.
    {
        Mlp mlp;
        mlp.layout = make_parameter_layout({2, 2, 1, 2});
        mlp.parameters.assign(mlp.layout.total, 0.0f);
        const float w1[] = {1, 2, -1, -1}, b1[] = {0, 0.5f}, w2[] = {1, 5}, b2[] = {-1};
        std::copy(w1, w1 + 4, weights_of(mlp.layout, mlp.parameters, 0).data);
        std::copy(b1, b1 + 2, bias_of(mlp.layout, mlp.parameters, 0));
        std::copy(w2, w2 + 2, weights_of(mlp.layout, mlp.parameters, 1).data);
        std::copy(b2, b2 + 1, bias_of(mlp.layout, mlp.parameters, 1));
        const std::vector<float> images = {1, 0, 0, 1, 1, 1};  // [3 x 2]
        Compute compute(1);
        for (const size_t chunk : {3, 1}) {
            ActivationSums sums = make_activation_sums(mlp, chunk);
            for (size_t start = 0; start < 3; start += chunk)
                add_activations(compute, mlp, ConstMatrixView(images.data() + 2 * start, chunk, 2), sums);
            const std::vector<LayerActivations> s = activation_statistics(sums);
            CHECK(sums.images == 3);
            CHECK(s.size() == 2);
            if (s.size() != 2) continue;
            CHECK(s[0].units == 2 && s[1].units == 1);
            CHECK_NEAR(s[0].z_mean, 3.5 / 6, 1e-12);
            CHECK_NEAR(s[0].z_variance, 2.4513888888889, 1e-9);
            CHECK_NEAR(s[0].a_mean, 1.0, 1e-12);
            CHECK_NEAR(s[0].a_variance, 4.0 / 3, 1e-9);
            CHECK(s[0].dead_units == 1);
            CHECK_NEAR(s[0].dead_share(), 0.5, 0);
            CHECK_NEAR(s[1].z_mean, 1.0, 1e-12);
            CHECK_NEAR(s[1].z_variance, 2.0 / 3, 1e-9);
            CHECK_NEAR(s[1].a_mean, 1.0, 1e-12);
            CHECK_NEAR(s[1].a_variance, 2.0 / 3, 1e-9);
            CHECK(s[1].dead_units == 0);
        }
        // Before any image: nothing measured, every unit counted dead.
        const std::vector<LayerActivations> empty = activation_statistics(make_activation_sums(mlp, 1));
        CHECK(empty.size() == 2 && empty[0].dead_units == 2 && empty[0].z_variance == 0.0);
    }
    return check_exit("test_layers");
}
