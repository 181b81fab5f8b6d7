// The matrix type: row-major float storage, element (r, c) at values[r * cols + c]. `Matrix` owns its
// values; `MatrixView` points into storage owned elsewhere (e.g. one layer's weights inside the single
// parameter block). Nothing here computes: products are in gemm.h, layers in nn/. See docs/02-forward.md.
#pragma once

#include <cstddef>
#include <vector>

namespace mnist {

// A non-owning [rows x cols] window onto contiguous row-major floats.
struct MatrixView {
    float* data = nullptr;
    size_t rows = 0, cols = 0;
    float& at(size_t r, size_t c) const { return data[r * cols + c]; }
    size_t size() const { return rows * cols; }
};

// The read-only counterpart, for inputs.
struct ConstMatrixView {
    const float* data = nullptr;
    size_t rows = 0, cols = 0;
    ConstMatrixView() = default;
    ConstMatrixView(const float* d, size_t r, size_t c) : data(d), rows(r), cols(c) {}
    ConstMatrixView(const MatrixView& v) : data(v.data), rows(v.rows), cols(v.cols) {}  // NOLINT: implicit on purpose
    const float& at(size_t r, size_t c) const { return data[r * cols + c]; }
    size_t size() const { return rows * cols; }
};

// An owning matrix, allocated once (at the start of a run) and then only viewed.
struct Matrix {
    size_t rows = 0, cols = 0;
    std::vector<float> values;

    Matrix() = default;
    Matrix(size_t r, size_t c) : rows(r), cols(c), values(r * c, 0.0f) {}
    MatrixView view() { return {values.data(), rows, cols}; }
    ConstMatrixView view() const { return {values.data(), rows, cols}; }
    // The first `count` rows (a smaller batch in the same storage).
    MatrixView top_rows(size_t count) { return {values.data(), count, cols}; }
    ConstMatrixView top_rows(size_t count) const { return {values.data(), count, cols}; }
};

}  // namespace mnist
