// Activation statistics: the forward pass of nn/mlp.cpp with Z and A kept apart (mlp_forward fuses the ReLU
// into the GEMM and keeps only A), summed in double. See activation_stats.h and docs/04-init-dropout-l2.md.
#include "nn/activation_stats.h"

#include "nn/dense.h"
#include "nn/relu.h"

namespace mnist {

ActivationSums make_activation_sums(const Mlp& mlp, size_t max_rows) {
    ActivationSums sums;
    const size_t hidden = mlp.layers() - 1;
    for (std::vector<double>* v : {&sums.z_sum, &sums.z_squares, &sums.a_sum, &sums.a_squares}) v->assign(hidden, 0.0);
    for (size_t h = 0; h < hidden; ++h) {
        const size_t units = mlp.layout.outputs(h);
        sums.alive.emplace_back(units, 0);
        sums.z.emplace_back(max_rows, units);
        sums.a.emplace_back(max_rows, units);
    }
    return sums;
}

// Eq. (2) and Eq. (3) for each hidden layer, then the sums.
void add_activations(Compute& compute, const Mlp& mlp, ConstMatrixView input, ActivationSums& sums) {
    const size_t rows = input.rows;
    for (size_t h = 0; h + 1 < mlp.layers(); ++h) {
        MatrixView z = sums.z[h].top_rows(rows), a = sums.a[h].top_rows(rows);
        const ConstMatrixView in = h == 0 ? input : ConstMatrixView(sums.a[h - 1].top_rows(rows));
        dense_forward(compute, z, in, weights_of(mlp.layout, mlp.parameters, h), bias_of(mlp.layout, mlp.parameters, h),
                      false);                       // Eq. (2)
        relu_forward(a.data, z.data, z.size());     // Eq. (3)
        double z_sum = 0, z_squares = 0, a_sum = 0, a_squares = 0;
        for (size_t r = 0; r < rows; ++r)
            for (size_t j = 0; j < z.cols; ++j) {
                const double zv = z.at(r, j), av = a.at(r, j);
                z_sum += zv;
                z_squares += zv * zv;
                a_sum += av;
                a_squares += av * av;
                if (av > 0.0) sums.alive[h][j] = 1;
            }
        sums.z_sum[h] += z_sum;
        sums.z_squares[h] += z_squares;
        sums.a_sum[h] += a_sum;
        sums.a_squares[h] += a_squares;
    }
    sums.images += rows;
}

std::vector<LayerActivations> activation_statistics(const ActivationSums& sums) {
    std::vector<LayerActivations> layers(sums.alive.size());
    for (size_t h = 0; h < layers.size(); ++h) {
        LayerActivations& s = layers[h];
        s.units = sums.alive[h].size();
        for (const uint8_t alive : sums.alive[h]) s.dead_units += alive ? 0 : 1;
        const double count = static_cast<double>(sums.images) * static_cast<double>(s.units);
        if (count == 0) continue;
        s.z_mean = sums.z_sum[h] / count;
        s.a_mean = sums.a_sum[h] / count;
        s.z_variance = sums.z_squares[h] / count - s.z_mean * s.z_mean;  // E[z^2] - E[z]^2
        s.a_variance = sums.a_squares[h] / count - s.a_mean * s.a_mean;
    }
    return layers;
}

}  // namespace mnist
