// The 2-3-2 network that chapter 5 works by hand (docs/05-backprop.md, "A network small enough to check by
// hand"), with its one example: input (1, 2), label 0. test_docs checks the chapter's numbers on it and
// test_gradcheck the double-precision reference; both build it here, so the two cannot drift apart.
#pragma once

#include <algorithm>

#include "nn/mlp.h"

namespace hand_example {

struct Network {
    mnist::Mlp mlp;
    mnist::MlpWorkspace ws;  // batch 1, the example loaded
};

// `first_bias` is b1[0]: 0.5 in the chapter, 1.5 in Exercise 5.2.
inline Network make(float first_bias = 0.5f) {
    using namespace mnist;
    Network n{make_mlp({2, 3, 2}, 1), {}};
    const float w1[6] = {1, -1, 0.5f, 0.25f, -1, 1}, b1[3] = {first_bias, 0, -0.5f};
    const float w2[6] = {1, 2, -1, 0.5f, -1, 1}, b2[2] = {0, 0.5f};
    std::copy(w1, w1 + 6, weights_of(n.mlp.layout, n.mlp.parameters, 0).data);
    std::copy(b1, b1 + 3, bias_of(n.mlp.layout, n.mlp.parameters, 0));
    std::copy(w2, w2 + 6, weights_of(n.mlp.layout, n.mlp.parameters, 1).data);
    std::copy(b2, b2 + 2, bias_of(n.mlp.layout, n.mlp.parameters, 1));
    n.ws = make_mlp_workspace(n.mlp, 1);
    n.ws.input.values[0] = 1;
    n.ws.input.values[1] = 2;
    n.ws.labels[0] = 0;
    return n;
}

}  // namespace hand_example
