/* mnist_model.c: integer-only inference for the network in mnist_model.h, written by `mnist export-c`
 * (the same text for every model: the sizes and the weights are in the header). Freestanding C99: no heap,
 * no library calls, no floating point. See mnist_model.h for how to call it. */
#define MNIST_MODEL_DATA
#include "mnist_model.h"

/* round(sum * multiplier / 2^shift), halves rounded away from zero, saturated to int32. Computed on the
 * magnitude in unsigned 64-bit arithmetic: |sum| <= 2^31 times multiplier < 2^31, plus 2^(shift-1) <= 2^61,
 * stays below 2^63, and nothing depends on how negative numbers shift. */
static int32_t mnist_requantize(int32_t sum, uint32_t multiplier, uint32_t shift)
{
    uint64_t magnitude = sum < 0 ? (uint64_t)(-(int64_t)sum) : (uint64_t)sum;
    uint64_t scaled = (magnitude * multiplier + ((uint64_t)1 << (shift - 1u))) >> shift;
    if (sum < 0)
        return scaled >= 0x80000000u ? (int32_t)(-2147483647 - 1) : -(int32_t)scaled;
    return scaled > 0x7FFFFFFFu ? (int32_t)2147483647 : (int32_t)scaled;
}

int mnist_predict(const uint8_t pixels[MNIST_INPUTS], int32_t scores[MNIST_CLASSES])
{
    uint8_t buffers[2][MNIST_MAX_WIDTH]; /* the hidden layers' output bytes, used in turn */
    const uint8_t *in = pixels;
    uint32_t l, j, k;
    int best = 0;
    for (l = 0; l < MNIST_LAYERS; ++l) {
        const struct mnist_layer *layer = &mnist_layers[l];
        uint8_t *out = buffers[l % 2u];
        for (j = 0; j < layer->outputs; ++j) {
            /* the bias plus int8 weights times bytes, summed in int32 (|sum| < 2^31 by the export's limits) */
            const int8_t *w = layer->weights + j * layer->inputs;
            int32_t sum = layer->biases[j];
            int32_t value;
            for (k = 0; k < layer->inputs; ++k)
                sum += (int32_t)w[k] * (int32_t)in[k];
            /* back to the output's scale; for a hidden unit, clamping at 0 is the ReLU */
            value = mnist_requantize(sum, layer->multipliers[j], layer->shifts[j]);
            if (l + 1u == MNIST_LAYERS)
                scores[j] = value;
            else
                out[j] = (uint8_t)(value < 0 ? 0 : value > 255 ? 255 : value);
        }
        in = out;
    }
    for (j = 1; j < MNIST_CLASSES; ++j)
        if (scores[j] > scores[best])
            best = (int)j;
    return best;
}
