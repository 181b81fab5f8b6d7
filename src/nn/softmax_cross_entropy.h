// The output layer's softmax and the cross-entropy loss, fused into one forward/backward pair: computed
// together they are numerically stable (log-sum-exp) and their joint gradient is simply (Y^ - Y) / batch.
// See docs/03-softmax-cross-entropy.md.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mnist {

// Eq. (4), Eq. (5): probs [rows x classes] = softmax of each row of logits [rows x classes]; returns the
// SUM over rows of -log probs[r][labels[r]] (the caller divides by the row count for the mean), computed
// as log-sum-exp minus the label's logit so that it stays finite even when a probability rounds to 0.
// If losses is not null, losses[r] receives row r's loss.
double softmax_cross_entropy_forward(float* probs, double* losses, const float* logits, const uint8_t* labels,
                                     size_t rows, size_t classes);

// Eq. (6): grad_logits [rows x classes] = (probs - onehot(labels)) * scale, where scale is
// 1 / (the batch's row count) for the mean loss. Overwrites grad_logits (which may alias probs).
void softmax_cross_entropy_backward(float* grad_logits, const float* probs, const uint8_t* labels, size_t rows,
                                    size_t classes, float scale);

}  // namespace mnist
