// Gradient checking: a double-precision reference of Eq. (2)-(5), (11), (15), central differences of it, and
// their comparison with the float analytic gradient. Plain loops on purpose: this is the definition the fast
// path is checked against, as gemm_reference is for gemm. See docs/05-backprop.md.
#include "nn/gradcheck.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "nn/l2.h"
#include "util/rng.h"

namespace mnist {

// Eq. (2), (3), (11), (4), (5) per row in double, then Eq. (15): J = mean cross-entropy + lambda/2 sum W^2.
double reference_objective(const ParameterLayout& layout, const std::vector<double>& parameters, const Matrix& input,
                           const std::vector<uint8_t>& labels, size_t rows, const std::vector<Matrix>* masks,
                           double lambda, std::vector<bool>* pattern) {
    const size_t layers = layout.layers();
    if (pattern) pattern->clear();
    std::vector<double> a, z;
    double loss_sum = 0;
    for (size_t r = 0; r < rows; ++r) {
        a.assign(input.values.begin() + static_cast<std::ptrdiff_t>(r * input.cols),
                 input.values.begin() + static_cast<std::ptrdiff_t>((r + 1) * input.cols));
        for (size_t l = 0; l < layers; ++l) {
            const size_t n_in = layout.inputs(l), n_out = layout.outputs(l);
            const double* w = parameters.data() + layout.weight_offset[l];  // [n_out x n_in]
            const double* b = parameters.data() + layout.bias_offset[l];    // [n_out]
            z.assign(n_out, 0.0);
            for (size_t o = 0; o < n_out; ++o) {
                double sum = b[o];
                for (size_t k = 0; k < n_in; ++k) sum += w[o * n_in + k] * a[k];
                if (l + 1 < layers) {  // a hidden layer: ReLU, then dropout's fixed multiplier
                    if (pattern) pattern->push_back(sum > 0);
                    sum = sum > 0 ? sum : 0.0;
                    if (masks) sum *= static_cast<double>((*masks)[l].values[r * n_out + o]);
                }
                z[o] = sum;
            }
            a.swap(z);
        }
        double largest = a[0];
        for (const double v : a) largest = std::max(largest, v);
        double total = 0;
        for (const double v : a) total += std::exp(v - largest);
        loss_sum += std::log(total) - (a[labels[r]] - largest);  // -log softmax of the true class
    }
    double squares = 0;
    for (size_t l = 0; l < layers; ++l) {
        const double* w = parameters.data() + layout.weight_offset[l];
        for (size_t i = 0; i < layout.inputs(l) * layout.outputs(l); ++i) squares += w[i] * w[i];
    }
    return loss_sum / static_cast<double>(rows) + 0.5 * lambda * squares;
}

namespace {

// The float path's gradient of J into ws.gradients: what training hands to Adam.
void analytic_gradient(Compute& compute, const Mlp& mlp, MlpWorkspace& ws, size_t rows, const GradcheckSettings& s) {
    mlp_forward(compute, mlp, ws, rows, true, s.dropout_rate, s.dropout_seed);
    mlp_backward(compute, mlp, ws, rows, s.dropout_rate);
    l2_penalty_backward(compute, mlp.layout, ws.gradients, mlp.parameters, s.l2_lambda);  // Eq. (16)
}

// `count` distinct indices in [begin, begin + size), in increasing order; all of them when count is 0 or >= size.
std::vector<size_t> sample_indices(size_t begin, size_t size, size_t count, Rng& rng) {
    std::vector<size_t> out;
    if (count == 0 || count >= size) {
        for (size_t i = 0; i < size; ++i) out.push_back(begin + i);
        return out;
    }
    std::set<size_t> chosen;
    while (chosen.size() < count) chosen.insert(begin + uniform_below(rng, size));
    return {chosen.begin(), chosen.end()};
}

}  // namespace

std::vector<TensorCheck> gradient_check(Compute& compute, const Mlp& mlp, MlpWorkspace& ws, size_t rows,
                                        const GradcheckSettings& settings) {
    analytic_gradient(compute, mlp, ws, rows, settings);
    const std::vector<Matrix>* masks = settings.dropout_rate > 0.0f ? &ws.mask : nullptr;
    const double lambda = static_cast<double>(settings.l2_lambda), h = settings.step;
    std::vector<double> theta(mlp.parameters.begin(), mlp.parameters.end());
    std::vector<bool> base, plus, minus;
    reference_objective(mlp.layout, theta, ws.input, ws.labels, rows, masks, lambda, &base);

    Rng rng = make_rng(settings.sample_seed, RandomStream::gradcheck_sample);
    std::vector<TensorCheck> checks;
    for (size_t l = 0; l < mlp.layers(); ++l) {
        for (const bool is_bias : {false, true}) {
            TensorCheck check;
            check.name = (is_bias ? "b" : "W") + std::to_string(l + 1);
            check.rows = mlp.layout.outputs(l);
            check.cols = is_bias ? 1 : mlp.layout.inputs(l);
            const size_t begin = is_bias ? mlp.layout.bias_offset[l] : mlp.layout.weight_offset[l];
            struct Pair { size_t index; double analytic, numeric; };
            std::vector<Pair> pairs;
            for (const size_t i : sample_indices(begin, check.rows * check.cols, settings.samples_per_tensor, rng)) {
                const double saved = theta[i];
                theta[i] = saved + h;
                const double j_plus = reference_objective(mlp.layout, theta, ws.input, ws.labels, rows, masks, lambda, &plus);
                theta[i] = saved - h;
                const double j_minus = reference_objective(mlp.layout, theta, ws.input, ws.labels, rows, masks, lambda, &minus);
                theta[i] = saved;
                if (plus != base || minus != base) {  // a unit crossed ReLU's kink: the difference is not a derivative
                    ++check.kinks;
                    continue;
                }
                pairs.push_back({i, static_cast<double>(ws.gradients[i]), (j_plus - j_minus) / (2 * h)});
            }
            for (const Pair& p : pairs) {
                if (std::fabs(p.numeric) >= check.max_gradient) check.largest_index = p.index;
                check.max_gradient = std::max(check.max_gradient, std::fabs(p.numeric));
            }
            const double floor = settings.relative_floor * check.max_gradient;
            for (const Pair& p : pairs) {
                const double error = std::fabs(p.analytic - p.numeric);
                const double scale = std::max({std::fabs(p.analytic), std::fabs(p.numeric), floor});
                const double relative = scale > 0 ? error / scale : (error > 0 ? 1.0 : 0.0);
                check.max_absolute_error = std::max(check.max_absolute_error, error);
                if (relative >= check.max_relative_error) {
                    check.max_relative_error = relative;
                    check.worst_index = p.index;
                }
            }
            check.checked = pairs.size();
            checks.push_back(check);
        }
    }
    return checks;
}

std::vector<StepSizeRow> step_size_table(Compute& compute, const Mlp& mlp, MlpWorkspace& ws, size_t rows,
                                         const GradcheckSettings& settings, size_t index,
                                         const std::vector<double>& steps) {
    // The reference derivative: the double objective's central difference at the settings' (small) step.
    mlp_forward(compute, mlp, ws, rows, true, settings.dropout_rate, settings.dropout_seed);  // fixes ws.mask
    const std::vector<Matrix>* masks = settings.dropout_rate > 0.0f ? &ws.mask : nullptr;
    const double lambda = static_cast<double>(settings.l2_lambda);
    std::vector<double> theta(mlp.parameters.begin(), mlp.parameters.end());
    const double saved = theta[index];
    theta[index] = saved + settings.step;
    const double j_plus = reference_objective(mlp.layout, theta, ws.input, ws.labels, rows, masks, lambda);
    theta[index] = saved - settings.step;
    const double j_minus = reference_objective(mlp.layout, theta, ws.input, ws.labels, rows, masks, lambda);
    const double reference = (j_plus - j_minus) / (2 * settings.step);

    // The float objective, as training computes it: mean cross-entropy of mlp_forward plus the L2 penalty.
    Mlp probe = mlp;
    const auto objective = [&] {
        const double loss = mlp_forward(compute, probe, ws, rows, true, settings.dropout_rate, settings.dropout_seed);
        return loss / static_cast<double>(rows) + l2_penalty(probe.layout, probe.parameters, settings.l2_lambda);
    };
    std::vector<StepSizeRow> table;
    const float start = mlp.parameters[index];
    for (const double h : steps) {
        StepSizeRow row;
        row.h = h;
        row.reference = reference;
        // The step actually taken is what float can hold: (float)(theta + h) - theta, not h itself.
        probe.parameters[index] = static_cast<float>(static_cast<double>(start) + h);
        const double up = static_cast<double>(probe.parameters[index]);
        const double j_up = objective();
        probe.parameters[index] = static_cast<float>(static_cast<double>(start) - h);
        const double down = static_cast<double>(probe.parameters[index]);
        const double j_down = objective();
        probe.parameters[index] = start;
        row.float_estimate = up != down ? (j_up - j_down) / (up - down) : 0.0;
        row.relative_error = std::fabs(row.float_estimate - reference) / std::max(std::fabs(reference), 1e-30);
        table.push_back(row);
    }
    mlp_forward(compute, mlp, ws, rows, true, settings.dropout_rate, settings.dropout_seed);  // leave ws as found
    return table;
}

}  // namespace mnist
