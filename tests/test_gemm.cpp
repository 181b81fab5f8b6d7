// The blocked, packed, threaded gemm against gemm_reference (the triple loop in double) on awkward shapes,
// every transpose, alpha/beta cases and the fused epilogue; beta = 0 must not read C (NaN stays out); and
// the result must be bit-identical for any thread count.
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <vector>

#include "check.h"
#include "tensor/gemm.h"
#include "util/rng.h"

using namespace mnist;

namespace {

Matrix random_matrix(size_t rows, size_t cols, Rng& rng) {
    Matrix m(rows, cols);
    for (float& v : m.values) v = static_cast<float>(uniform_double(rng) * 2.0 - 1.0);
    return m;
}

// Largest |x - y| relative to the size of the terms, over two matrices of the same shape.
double max_error(const Matrix& x, const Matrix& y) {
    double worst = 0;
    for (size_t i = 0; i < x.values.size(); ++i) {
        const double diff = std::fabs(static_cast<double>(x.values[i]) - y.values[i]);
        if (std::isnan(x.values[i]) != std::isnan(y.values[i])) return INFINITY;
        worst = std::max(worst, diff);
    }
    return worst;
}

// C = alpha op(A) op(B) + beta C for one shape, fast vs reference; returns whether they agree.
bool agrees(Compute& compute, size_t m, size_t n, size_t k, Op op_a, Op op_b, float alpha, float beta,
            const Epilogue& epilogue, Rng& rng) {
    const Matrix a = op_a == Op::none ? random_matrix(m, k, rng) : random_matrix(k, m, rng);
    const Matrix b = op_b == Op::none ? random_matrix(k, n, rng) : random_matrix(n, k, rng);
    Matrix c_fast = random_matrix(m, n, rng);
    Matrix c_reference = c_fast;
    gemm(compute, op_a, op_b, alpha, a.view(), b.view(), beta, c_fast.view(), epilogue);
    gemm_reference(op_a, op_b, alpha, a.view(), b.view(), beta, c_reference.view(), epilogue);
    // Each product term is below 1 in size; float accumulation over k terms errs by about k * 2^-24 each.
    const double tolerance = 1e-6 * static_cast<double>(k + 4) * (std::fabs(alpha) + 1);
    const double error = max_error(c_fast, c_reference);
    if (!(error <= tolerance))
        std::printf("  mismatch m=%zu n=%zu k=%zu op_a=%d op_b=%d alpha=%g beta=%g: error %g\n", m, n, k,
                    static_cast<int>(op_a), static_cast<int>(op_b), static_cast<double>(alpha),
                    static_cast<double>(beta), error);
    return error <= tolerance;
}

}  // namespace

int main() {
    // Under emulation (MNIST_TEST_QUICK=1, set by `make cross-test`) only shapes of up to 4 million
    // multiply-adds are compared with the reference loop, instead of 40 million.
    const size_t largest_shape = std::getenv("MNIST_TEST_QUICK") ? 4000000 : 40000000;
    if (std::getenv("MNIST_TEST_QUICK")) std::printf("MNIST_TEST_QUICK is set: shapes up to 4e6 multiply-adds\n");
    Rng rng = make_rng(7, 0);
    Compute compute(3);  // more threads than this machine may have: the split must not matter

    // Shapes around every block edge: 1, 3, 10 (the output layer), 127/128/129 (batch), 513, K across KC.
    const size_t sizes[] = {1, 3, 10, 31, 127, 128, 129, 513};
    const Op ops[] = {Op::none, Op::transpose};
    int shape_failures = 0;
    for (size_t m : sizes)
        for (size_t n : {size_t(1), size_t(10), size_t(33), size_t(129), size_t(513)})
            for (size_t k : {size_t(1), size_t(10), size_t(257), size_t(784)})
                for (Op op_a : ops)
                    for (Op op_b : ops) {
                        if (m * n * k > largest_shape) continue;  // keep the reference loop quick
                        shape_failures += !agrees(compute, m, n, k, op_a, op_b, 1.0f, 0.0f, Epilogue(), rng);
                    }
    CHECK(shape_failures == 0);

    // alpha and beta: scaling, accumulation into C, and alpha = 0.
    for (float alpha : {1.0f, -0.5f, 0.0f})
        for (float beta : {0.0f, 1.0f, 0.25f})
            for (Op op_a : ops)
                for (Op op_b : ops) CHECK(agrees(compute, 37, 45, 300, op_a, op_b, alpha, beta, Epilogue(), rng));

    // The epilogue (bias per column, then ReLU) on single and multiple k blocks, with beta = 0 and 1.
    std::vector<float> bias(200);
    for (float& v : bias) v = static_cast<float>(uniform_double(rng) - 0.5);
    Epilogue fused;
    fused.column_bias = bias.data();
    fused.relu = true;
    for (size_t k : {size_t(5), size_t(600)})
        for (float beta : {0.0f, 1.0f}) CHECK(agrees(compute, 70, 200, k, Op::none, Op::transpose, 1.0f, beta, fused, rng));
    // The backward epilogue: multiply by a mask, then zero where a ReLU output is not positive.
    {
        std::vector<float> mask(70 * 200), relu_output(70 * 200);
        for (size_t i = 0; i < mask.size(); ++i) {
            mask[i] = uniform_double(rng) < 0.3 ? 0.0f : 1.5f;
            relu_output[i] = uniform_double(rng) < 0.4 ? 0.0f : static_cast<float>(uniform_double(rng));
        }
        Epilogue backward;
        backward.multiply_by = mask.data();
        backward.relu_output = relu_output.data();
        for (size_t k : {size_t(7), size_t(600)}) CHECK(agrees(compute, 70, 200, k, Op::none, Op::none, 1.0f, 0.0f, backward, rng));
        Epilogue mask_only;
        mask_only.multiply_by = mask.data();
        CHECK(agrees(compute, 70, 200, 33, Op::none, Op::none, 1.0f, 0.0f, mask_only, rng));
    }
    Epilogue relu_only;
    relu_only.relu = true;
    CHECK(agrees(compute, 9, 17, 30, Op::none, Op::none, 1.0f, 0.0f, relu_only, rng));

    // beta = 0 writes C without reading it: NaN and infinity already in C must not reach the result.
    {
        const Matrix a = random_matrix(20, 50, rng), b = random_matrix(50, 30, rng);
        Matrix c(20, 30);
        for (float& v : c.values) v = std::numeric_limits<float>::quiet_NaN();
        c.values[7] = std::numeric_limits<float>::infinity();
        gemm(compute, Op::none, Op::none, 1.0f, a.view(), b.view(), 0.0f, c.view());
        bool all_finite = true;
        for (float v : c.values) all_finite = all_finite && std::isfinite(v);
        CHECK(all_finite);
    }

    // k = 0: an empty sum, so C = beta * C.
    {
        Matrix a(4, 0), b(0, 6), c(4, 6);
        for (float& v : c.values) v = 2.0f;
        gemm(compute, Op::none, Op::none, 1.0f, a.view(), b.view(), 0.5f, c.view());
        CHECK(c.values[0] == 1.0f && c.values[23] == 1.0f);
    }

    // A hand-computed product: [1 2; 3 4] * [5 6; 7 8] = [19 22; 43 50], and with B transposed.
    {
        Matrix a(2, 2), b(2, 2), c(2, 2);
        a.values = {1, 2, 3, 4};
        b.values = {5, 6, 7, 8};
        gemm(compute, Op::none, Op::none, 1.0f, a.view(), b.view(), 0.0f, c.view());
        CHECK(c.values[0] == 19 && c.values[1] == 22 && c.values[2] == 43 && c.values[3] == 50);
        gemm(compute, Op::none, Op::transpose, 1.0f, a.view(), b.view(), 0.0f, c.view());  // A B^T
        CHECK(c.values[0] == 17 && c.values[1] == 23 && c.values[2] == 39 && c.values[3] == 53);
        gemm(compute, Op::transpose, Op::none, 1.0f, a.view(), b.view(), 0.0f, c.view());  // A^T B
        CHECK(c.values[0] == 26 && c.values[1] == 30 && c.values[2] == 38 && c.values[3] == 44);
    }

    // Bit-identical for 1, 2, 3 and 5 threads on the MLP's shapes (each element is owned by one thread).
    {
        const Matrix x = random_matrix(128, 784, rng), w = random_matrix(512, 784, rng);
        const Matrix dz = random_matrix(128, 512, rng);
        std::vector<Matrix> forward, weight_grad;
        for (size_t threads : {1, 2, 3, 5}) {
            Compute c(threads);
            Matrix out(128, 512), grad(512, 784);
            gemm(c, Op::none, Op::transpose, 1.0f, x.view(), w.view(), 0.0f, out.view());
            gemm(c, Op::transpose, Op::none, 1.0f, dz.view(), x.view(), 0.0f, grad.view());
            forward.push_back(out);
            weight_grad.push_back(grad);
        }
        for (size_t i = 1; i < forward.size(); ++i) {
            CHECK(std::memcmp(forward[i].values.data(), forward[0].values.data(), forward[0].values.size() * 4) == 0);
            CHECK(std::memcmp(weight_grad[i].values.data(), weight_grad[0].values.data(),
                              weight_grad[0].values.size() * 4) == 0);
        }
    }

    // gemm_naive (the benchmark's baseline) computes the same product.
    {
        const Matrix a = random_matrix(13, 21, rng), b = random_matrix(17, 21, rng);
        Matrix c1(13, 17), c2(13, 17);
        gemm_naive(Op::none, Op::transpose, 1.0f, a.view(), b.view(), 0.0f, c1.view());
        gemm_reference(Op::none, Op::transpose, 1.0f, a.view(), b.view(), 0.0f, c2.view());
        CHECK(max_error(c1, c2) < 1e-5);
    }
    return check_exit("test_gemm");
}
