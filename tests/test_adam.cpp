// Tests for nn/adam (Eq. 17-20) and nn/l2 (Eq. 15-16): two Adam steps against numbers worked by hand below,
// eps outside the square root, split ranges equal one range; the L2 penalty and its gradient on hand-made
// weights, biases excluded. Not the training loop (tests/test_training.cpp). See docs/06-adam.md and
// docs/04-init-dropout-l2.md.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "check.h"
#include "nn/adam.h"
#include "nn/l2.h"
#include "nn/parameters.h"

using namespace mnist;

int main() {
    Compute compute(2);  // the L2 gradient shares its work over threads
    const AdamSettings settings;  // lr 0.001, beta1 0.9, beta2 0.999, eps 1e-8: the defaults under test
    CHECK(settings.learning_rate == 0.001f);
    CHECK(settings.beta1 == 0.9f);
    CHECK(settings.beta2 == 0.999f);
    CHECK(settings.epsilon == 1e-8f);

    // ---------------------------------------------------------------------------------------------------
    // Two Adam steps by hand. theta = {1, -2, 0.5}; step 1 has g = {0.1, -0.2, 0}, step 2 g = {0.05, 0.3, -0.1}.
    //   m = 0.9 m + 0.1 g         v = 0.999 v + 0.001 g^2
    //   m^ = m / (1 - 0.9^t)      v^ = v / (1 - 0.999^t)       (1 - 0.9^2 = 0.19, 1 - 0.999^2 = 0.001999)
    //   theta -= 0.001 * m^ / (sqrt(v^) + 1e-8)
    //
    // t = 1:
    //   i=0: m = 0.01,  v = 1e-5,  m^ = 0.1,  v^ = 0.01, sqrt = 0.1
    //        update = 0.001 * 0.1 / (0.1 + 1e-8) = 0.0009999999   theta = 1 - 0.0009999999 = 0.9990000001
    //   i=1: m = -0.02, v = 4e-5,  m^ = -0.2, v^ = 0.04, sqrt = 0.2
    //        update = 0.001 * -0.2 / (0.2 + 1e-8) = -0.00099999995   theta = -2 + 0.00099999995 = -1.99900000005
    //   i=2: m = 0, v = 0, update = 0 / (0 + 1e-8) = 0          theta = 0.5 (eps keeps 0/0 away)
    // t = 2:
    //   i=0: m = 0.9*0.01 + 0.1*0.05 = 0.014        v = 0.999*1e-5 + 0.001*0.0025 = 1.249e-5
    //        m^ = 0.014 / 0.19 = 0.0736842105       v^ = 1.249e-5 / 0.001999 = 0.0062481241, sqrt = 0.0790450761
    //        update = 0.001 * 0.0736842105 / 0.0790450861 = 0.00093217952   theta = 0.99806782058
    //   i=1: m = 0.9*-0.02 + 0.1*0.3 = 0.012        v = 0.999*4e-5 + 0.001*0.09 = 1.2996e-4
    //        m^ = 0.012 / 0.19 = 0.0631578947       v^ = 1.2996e-4 / 0.001999 = 0.0650125063, sqrt = 0.2549755013
    //        update = 0.001 * 0.0631578947 / 0.2549755113 = 0.00024770181   theta = -1.99924770186
    //   i=2: m = 0.1*-0.1 = -0.01                   v = 0.001*0.01 = 1e-5
    //        m^ = -0.01 / 0.19 = -0.0526315789      v^ = 1e-5 / 0.001999 = 0.0050025013, sqrt = 0.0707283624
    //        update = 0.001 * -0.0526315789 / 0.0707283724 = -0.00074413672   theta = 0.50074413672
    //
    // Tolerances: theta is a float near 1-2 (spacing 1.2e-7 to 2.4e-7), so 3e-7. Forgetting the bias
    // correction, or using t = 1's correction at t = 2, moves theta by more than 1e-4.
    // m and v are compared relative to their size: 1e-6 for m; 1e-4 for v, because 1 - 0.999f is
    // 0.000999987 in float (1.3e-5 away from 0.001; the bias correction uses the same float beta2, so m^ and
    // v^ and the update do not feel it).
    {
        std::vector<float> theta = {1.0f, -2.0f, 0.5f};
        const std::vector<float> g1 = {0.1f, -0.2f, 0.0f};
        const std::vector<float> g2 = {0.05f, 0.3f, -0.1f};
        AdamState state = make_adam_state(3);
        CHECK(state.step == 0);
        CHECK(state.first_moment.size() == 3 && state.second_moment.size() == 3);
        CHECK(state.first_moment[0] == 0.0f && state.second_moment[2] == 0.0f);

        adam_update(theta, g1, state, settings, 0, 3);
        CHECK(state.step == 0);  // adam_update does not advance t; adam_finish_step does
        adam_finish_step(state);
        CHECK(state.step == 1);
        CHECK_NEAR(state.first_moment[0], 0.01, 1e-8);
        CHECK_NEAR(state.first_moment[1], -0.02, 2e-8);
        CHECK(state.first_moment[2] == 0.0f);
        CHECK_NEAR(state.second_moment[0], 1e-5, 1e-9);
        CHECK_NEAR(state.second_moment[1], 4e-5, 4e-9);
        CHECK(state.second_moment[2] == 0.0f);
        CHECK_NEAR(theta[0], 0.9990000001, 3e-7);
        CHECK_NEAR(theta[1], -1.99900000005, 3e-7);
        CHECK(theta[2] == 0.5f);  // zero gradient: exactly no move, and no NaN from 0/0

        adam_update(theta, g2, state, settings, 0, 3);
        adam_finish_step(state);
        CHECK(state.step == 2);
        CHECK_NEAR(state.first_moment[0], 0.014, 1.4e-8);
        CHECK_NEAR(state.first_moment[1], 0.012, 1.2e-8);
        CHECK_NEAR(state.first_moment[2], -0.01, 1e-8);
        CHECK_NEAR(state.second_moment[0], 1.249e-5, 1.249e-9);
        CHECK_NEAR(state.second_moment[1], 1.2996e-4, 1.2996e-8);
        CHECK_NEAR(state.second_moment[2], 1e-5, 1e-9);
        CHECK_NEAR(theta[0], 0.99806782058, 3e-7);
        CHECK_NEAR(theta[1], -1.99924770186, 3e-7);
        CHECK_NEAR(theta[2], 0.50074413672, 3e-7);
    }

    // ---------------------------------------------------------------------------------------------------
    // eps sits OUTSIDE the square root. With theta = 0 and a tiny gradient g = 1e-10 at t = 1:
    //   m^ = 1e-10, v^ = 1e-20, sqrt(v^) = 1e-10
    //   eps outside: update = 0.001 * 1e-10 / (1e-10 + 1e-8)      = 0.001 / 101 = 9.90099e-6
    //   eps inside:  update = 0.001 * 1e-10 / sqrt(1e-20 + 1e-8)  = 0.001 * 1e-10 / 1e-4 = 1e-9
    // Four orders of magnitude apart; the tolerance (1e-10) is 1e-5 of the expected value.
    // A negative tiny gradient moves the other way by the same amount.
    {
        std::vector<float> theta = {0.0f, 0.0f};
        const std::vector<float> g = {1e-10f, -1e-10f};
        AdamState state = make_adam_state(2);
        adam_update(theta, g, state, settings, 0, 2);
        adam_finish_step(state);
        CHECK_NEAR(theta[0], -0.001 / 101.0, 1e-10);
        CHECK_NEAR(theta[1], 0.001 / 101.0, 1e-10);
        CHECK(std::fabs(theta[0]) > 1e-6);  // eps inside the root would leave |theta| near 1e-9
    }

    // ---------------------------------------------------------------------------------------------------
    // At t = 1 every non-zero gradient moves its parameter by almost exactly lr against its sign, whatever
    // its size (m^ / sqrt(v^) = g / |g|): the property that makes Adam's first steps scale-free.
    {
        std::vector<float> theta = {0.0f, 0.0f, 0.0f};
        const std::vector<float> g = {1e3f, -5.0f, 1e-3f};
        AdamState state = make_adam_state(3);
        adam_update(theta, g, state, settings, 0, 3);
        CHECK_NEAR(theta[0], -0.001, 1e-9);
        CHECK_NEAR(theta[1], 0.001, 1e-9);
        CHECK_NEAR(theta[2], -0.001 * 1e-3 / (1e-3 + 1e-8), 1e-9);
    }

    // ---------------------------------------------------------------------------------------------------
    // Splitting the block into ranges (as the trainer does across threads) gives bit-identical parameters
    // and moments to one update over the whole range, over three steps.
    {
        std::vector<float> whole = {0.3f, -1.7f, 2.25f};
        std::vector<float> split = whole;
        AdamState state_whole = make_adam_state(3), state_split = make_adam_state(3);
        const std::vector<std::vector<float>> grads = {{0.1f, -0.2f, 0.0f}, {0.05f, 0.3f, -0.1f}, {-0.7f, 0.01f, 2.0f}};
        for (const std::vector<float>& g : grads) {
            adam_update(whole, g, state_whole, settings, 0, 3);
            adam_finish_step(state_whole);
            adam_update(split, g, state_split, settings, 0, 1);
            adam_update(split, g, state_split, settings, 1, 3);
            adam_finish_step(state_split);
        }
        CHECK(same_bits(whole, split));
        CHECK(same_bits(state_whole.first_moment, state_split.first_moment));
        CHECK(same_bits(state_whole.second_moment, state_split.second_moment));
        CHECK(state_whole.step == 3 && state_split.step == 3);
        // ...and an update over [begin, end) touches nothing outside it.
        std::vector<float> theta = {1.0f, 2.0f, 3.0f};
        AdamState state = make_adam_state(3);
        adam_update(theta, {0.5f, 0.5f, 0.5f}, state, settings, 1, 2);
        CHECK(theta[0] == 1.0f && theta[2] == 3.0f);
        CHECK(theta[1] != 2.0f);
        CHECK(state.first_moment[0] == 0.0f && state.second_moment[2] == 0.0f);
    }

    // ---------------------------------------------------------------------------------------------------
    // The parameter layout the L2 tests use: sizes {2, 3, 1} -> W(1) [3 x 2] at 0..5, b(1) at 6..8,
    // W(2) [1 x 3] at 9..11, b(2) at 12; 13 floats.
    const ParameterLayout layout = make_parameter_layout({2, 3, 1});
    CHECK(layout.layers() == 2);
    CHECK(layout.total == 13);
    CHECK(layout.weight_offset.size() == 2 && layout.weight_offset[0] == 0 && layout.weight_offset[1] == 9);
    CHECK(layout.bias_offset.size() == 2 && layout.bias_offset[0] == 6 && layout.bias_offset[1] == 12);

    //              W(1) [3 x 2]                 b(1)              W(2) [1 x 3]       b(2)
    const std::vector<float> params = {1, -2, 3, 0.5f, 0, -1, 10, 20, 30, 2, -1, 0.25f, 100};

    // L2 penalty, Eq. (15), weights only:
    //   sum W(1)^2 = 1 + 4 + 9 + 0.25 + 0 + 1 = 15.25;  sum W(2)^2 = 4 + 1 + 0.0625 = 5.0625;  total 20.3125
    //   lambda = 0.5:  0.5/2 * 20.3125 = 5.078125 (exact in binary)
    //   lambda = 1e-4: 0.5e-4 * 20.3125 = 1.015625e-3
    // If the biases were included the sum would grow by 100 + 400 + 900 + 10000.
    CHECK(l2_penalty(layout, params, 0.5f) == 5.078125);
    CHECK_NEAR(l2_penalty(layout, params, 1e-4f), 1.015625e-3, 1e-10);
    CHECK(l2_penalty(layout, params, 0.0f) == 0.0);

    // L2 gradient, Eq. (16): ADDS lambda * W to the weight gradients; bias gradients untouched.
    // Start from gradients all 1 (so "adds" and "overwrites" differ): with lambda = 0.5 the weight
    // gradients become 1 + 0.5 W = {1.5, 0, 2.5, 1.25, 1, 0.5 | 2, 0.5, 1.125}, the biases stay 1.
    {
        std::vector<float> grads(13, 1.0f);
        l2_penalty_backward(compute, layout, grads, params, 0.5f);
        const std::vector<float> expected = {1.5f, 0.0f, 2.5f, 1.25f, 1.0f, 0.5f, 1, 1, 1, 2.0f, 0.5f, 1.125f, 1};
        for (size_t i = 0; i < 13; ++i) CHECK(grads[i] == expected[i]);
        CHECK(grads[6] == 1.0f && grads[7] == 1.0f && grads[8] == 1.0f && grads[12] == 1.0f);
        // Applying it a second time adds again (it accumulates by design).
        l2_penalty_backward(compute, layout, grads, params, 0.5f);
        CHECK(grads[0] == 2.0f);
        CHECK(grads[6] == 1.0f);
        // lambda = 0 changes nothing.
        std::vector<float> untouched(13, 1.0f);
        l2_penalty_backward(compute, layout, untouched, params, 0.0f);
        CHECK(same_bits(untouched, std::vector<float>(13, 1.0f)));
    }

    // The gradient is the derivative of the penalty: a central difference on one weight (double precision
    // arithmetic in l2_penalty; step 0.125, exact for a quadratic up to rounding) matches lambda * W.
    {
        std::vector<float> plus = params, minus = params;
        const size_t i = 2;  // W(1)[1][0] = 3
        plus[i] += 0.125f;
        minus[i] -= 0.125f;
        const double numeric = (l2_penalty(layout, plus, 0.5f) - l2_penalty(layout, minus, 0.5f)) / 0.25;
        std::vector<float> grads(13, 0.0f);
        l2_penalty_backward(compute, layout, grads, params, 0.5f);
        CHECK_NEAR(grads[i], numeric, 1e-12);
        CHECK(grads[i] == 1.5f);
        // And a bias has zero penalty derivative: moving b(2) does not change the penalty at all.
        std::vector<float> moved = params;
        moved[12] += 7.0f;
        CHECK(l2_penalty(layout, moved, 0.5f) == l2_penalty(layout, params, 0.5f));
    }

    return check_exit("test_adam");
}
