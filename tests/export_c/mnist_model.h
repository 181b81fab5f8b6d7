/* mnist_model.h: a 16 -> 12 -> 8 -> 5 network with int8 weights (per-row scales), written by `mnist export-c`
 * from an int8 model quantised from the model.bin whose CRC-32 field is 0x12345678.
 *
 *     int mnist_predict(const uint8_t pixels[MNIST_INPUTS], int32_t scores[MNIST_CLASSES]);
 *
 * pixels: one 4x4 image, row-major, 0 background .. 255 ink (MNIST's bytes, unscaled).
 * scores: the logits in fixed point, logit x 2^16 (score / 65536.0 is the logit; softmax them for
 * probabilities). Returns the index of the largest score (ties: the lowest), the predicted class.
 *
 * Freestanding C99: needs only <stdint.h>; no heap, no writable static data, no library calls, no
 * floating point, no recursion. The weights and tables are const, so they stay in read-only memory
 * (flash on a microcontroller): 328 bytes of weights and 225 bytes of biases, multipliers and shifts.
 * Stack: mnist_predict's frame holds two buffers of MNIST_MAX_WIDTH bytes (24 bytes) and a few scalars,
 * MNIST_STACK_BYTES_MAX = 280 bytes at most, and it calls no function: that is all the stack it uses.
 * (`make embedded-test` checks the frame with arm-none-eabi-gcc -fstack-usage.) Nothing is allocated.
 * Build: compile mnist_model.c beside this file; include this file where you call mnist_predict.
 * The arithmetic: docs/13-quantisation.md of the mnist project. */
#ifndef MNIST_MODEL_H
#define MNIST_MODEL_H

#include <stdint.h>

#define MNIST_IMAGE_ROWS 4
#define MNIST_IMAGE_COLS 4
#define MNIST_INPUTS 16
#define MNIST_CLASSES 5
#define MNIST_LAYERS 3
#define MNIST_MAX_WIDTH 12
#define MNIST_STACK_BUFFER_BYTES (2 * MNIST_MAX_WIDTH)
#define MNIST_STACK_BYTES_MAX (MNIST_STACK_BUFFER_BYTES + 256)
#define MNIST_SCORE_FRACTION_BITS 16

int mnist_predict(const uint8_t pixels[MNIST_INPUTS], int32_t scores[MNIST_CLASSES]);

#ifdef MNIST_MODEL_DATA /* defined by mnist_model.c only: the tables below live in its object file */

/* One dense layer: unit j's sum is biases[j] + the sum over k of weights[j * inputs + k] x input byte k; its
 * output is round(sum x multipliers[j] / 2^shifts[j]), clamped to 0..255 in hidden layers (ReLU). */
struct mnist_layer {
    uint32_t inputs, outputs;
    const int8_t *weights;       /* [outputs x inputs], row-major, -127..127 */
    const int32_t *biases;       /* [outputs] */
    const uint32_t *multipliers; /* [outputs], below 2^31 */
    const uint8_t *shifts;       /* [outputs], 1..62 */
};

/* Layer 1: 16 inputs -> 12 outputs. */
static const int8_t mnist_weights_1[192] = {
    /* unit 0 */
    51, 47, 30, -118, -63, 114, 104, -84, -69, 50, -105, 91, 61, 17, -42, 13,

    /* unit 1 */
    -78, 15, -112, -15, 28, -73, 98, 105, 109, -39, 124, 15, 29, 29, 18, 100,

    /* unit 2 */
    -3, 54, 93, 75, 77, 15, 63, -25, -121, 53, 46, -86, 113, -33, -67, 35,

    /* unit 3 */
    5, 33, -83, 48, 49, -95, -94, -15, -72, 108, -28, 12, -126, -21, 43, 77,

    /* unit 4 */
    83, 32, 88, -119, 115, 6, 95, -5, 73, -52, 84, -84, -104, -116, -52, -48,

    /* unit 5 */
    30, 119, 16, 75, -98, 82, 4, 70, -41, -88, -112, -5, 29, 109, -2, 112,

    /* unit 6 */
    14, -11, -14, -18, 42, -12, -34, 40, 67, -102, -79, 76, 90, -81, 91, -65,

    /* unit 7 */
    -55, -88, 18, -72, 61, 26, -106, 75, -122, -112, 105, 62, -21, 66, 34, -86,

    /* unit 8 */
    -80, 76, 32, 13, -102, -102, 92, 117, 19, 113, -70, -88, -69, 77, -100, -66,

    /* unit 9 */
    86, -54, 16, 92, -45, -6, 94, -28, 73, 56, -101, -87, -39, -49, 107, 15,

    /* unit 10 */
    -119, 1, -29, -79, 80, 25, 110, 43, -14, -85, 30, 21, 30, -11, 32, 21,

    /* unit 11 */
    99, -40, 78, 118, 20, 70, 44, -24, -115, 94, -124, 21, 5, 43, 11, 120
};
static const int32_t mnist_biases_1[12] = {
    77143, 17668, 1073741824, 77110, 1073741824, 86905, -96275, -96365, 1073741824, -21292, -64160, 93691
};
static const uint32_t mnist_multipliers_1[12] = {
    1109425697u, 2067358889u, 140u, 1773628590u, 1164950630u, 1929840790u, 1366705971u, 1783977768u,
    1538878404u, 1095350246u, 1723217105u, 1836571127u
};
static const uint8_t mnist_shifts_1[12] = {
    62, 30, 39, 38, 40, 36, 37, 40, 38, 43, 43, 39
};

/* Layer 2: 12 inputs -> 8 outputs. */
static const int8_t mnist_weights_2[96] = {
    /* unit 0 */
    -36, -19, 105, -85, 110, -25, -47, 33, 23, 48, -123, -34,

    /* unit 1 */
    59, 16, 117, -46, -50, 88, -92, -57, -94, -126, 105, -1,

    /* unit 2 */
    -57, -122, 67, 7, 110, -69, 44, 95, -80, 114, -73, 39,

    /* unit 3 */
    -39, 3, 124, -104, 87, 62, 98, -107, 122, -31, 13, 109,

    /* unit 4 */
    -48, 121, -73, -35, -70, -118, -85, -64, 47, 60, -29, 66,

    /* unit 5 */
    80, -25, -86, -90, 80, -55, 11, 10, -45, -115, 14, 109,

    /* unit 6 */
    -30, -118, -41, -1, 100, 53, -43, -65, -122, 19, 78, 75,

    /* unit 7 */
    -95, 126, 85, -97, 0, 75, -90, -107, 26, 59, 73, 4
};
static const int32_t mnist_biases_2[8] = {
    -24104, -17649, 78871, -37893, 1073741824, 1073741824, 39540, -1073741824
};
static const uint32_t mnist_multipliers_2[8] = {
    1340918259u, 2047766021u, 12u, 1454721494u, 1553539053u, 1452835678u, 2124278560u, 1605052517u
};
static const uint8_t mnist_shifts_2[8] = {
    62, 30, 38, 37, 39, 36, 42, 42
};

/* Layer 3: 8 inputs -> 5 outputs, the scores. */
static const int8_t mnist_weights_3[40] = {
    /* unit 0 */
    -97, 118, 89, -12, -7, -53, 54, 16,

    /* unit 1 */
    81, -92, -7, -27, 84, -14, 21, 88,

    /* unit 2 */
    124, -18, 74, -81, -12, 118, 48, -82,

    /* unit 3 */
    -35, 22, -38, -107, 107, -81, -58, 116,

    /* unit 4 */
    91, -40, 38, 54, 88, -7, 16, 85
};
static const int32_t mnist_biases_3[5] = {
    -85337, 50900, 20533, 88768, 82213
};
static const uint32_t mnist_multipliers_3[5] = {
    1617297003u, 2147483647u, 124u, 1427600901u, 1515644931u
};
static const uint8_t mnist_shifts_3[5] = {
    1, 1, 23, 26, 34
};

static const struct mnist_layer mnist_layers[MNIST_LAYERS] = {
    {16, 12, mnist_weights_1, mnist_biases_1, mnist_multipliers_1, mnist_shifts_1},
    {12, 8, mnist_weights_2, mnist_biases_2, mnist_multipliers_2, mnist_shifts_2},
    {8, 5, mnist_weights_3, mnist_biases_3, mnist_multipliers_3, mnist_shifts_3}
};

#endif /* MNIST_MODEL_DATA */
#endif /* MNIST_MODEL_H */
