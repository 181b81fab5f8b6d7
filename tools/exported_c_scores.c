/* Runs C exported by `mnist export-c` over an IDX image file (uncompressed) on the machine it is built for and
 * prints how many it classifies right (with a label file), the CRC-32 of all the scores (each int32 as 4
 * little-endian bytes, image by image, as `mnist eval` prints it for the C++ int8 path) and the speed.
 * A host tool of tools/int8-bit-exact.sh, not part of the export: it uses stdio.
 * usage: exported_c_scores IMAGES.idx [LABELS.idx]. See docs/13-quantisation.md. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "mnist_model.h"

static uint32_t crc_table[256];

static void make_crc_table(void)
{
    uint32_t n, k, c;
    for (n = 0; n < 256; ++n) {
        c = n;
        for (k = 0; k < 8; ++k)
            c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[n] = c;
    }
}

static uint32_t crc32_int32(uint32_t crc, int32_t value)
{
    uint32_t bits = (uint32_t)value;
    int i;
    crc = ~crc;
    for (i = 0; i < 4; ++i)
        crc = crc_table[(crc ^ (bits >> (8 * i))) & 0xFFu] ^ (crc >> 8);
    return ~crc;
}

/* The whole file, or NULL with a message. */
static unsigned char *read_all(const char *path, long *size)
{
    FILE *f = fopen(path, "rb");
    unsigned char *data;
    if (!f || fseek(f, 0, SEEK_END) != 0 || (*size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fprintf(stderr, "%s: cannot read\n", path);
        return NULL;
    }
    data = malloc(*size > 0 ? (size_t)*size : 1u);
    if (!data || fread(data, 1, (size_t)*size, f) != (size_t)*size) {
        fprintf(stderr, "%s: cannot read\n", path);
        return NULL;
    }
    fclose(f);
    return data;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

int main(int argc, char **argv)
{
    long size = 0, label_size = 0;
    unsigned char *images, *labels = NULL;
    uint32_t count, i, correct = 0, crc = 0;
    int32_t scores[MNIST_CLASSES];
    int j;
    clock_t start;
    double seconds;
    if (argc < 2) {
        fprintf(stderr, "usage: %s IMAGES.idx [LABELS.idx]\n", argv[0]);
        return 2;
    }
    make_crc_table();
    if (!(images = read_all(argv[1], &size)))
        return 2;
    if (size < 16 || be32(images) != 0x803u || (uint64_t)be32(images + 8) * be32(images + 12) != MNIST_INPUTS ||
        (uint64_t)size != 16u + (uint64_t)be32(images + 4) * MNIST_INPUTS) {
        fprintf(stderr, "%s: not an IDX file of %d-pixel images\n", argv[1], MNIST_INPUTS);
        return 2;
    }
    count = be32(images + 4);
    if (argc > 2 && (!(labels = read_all(argv[2], &label_size)) || label_size != 8 + (long)count ||
                     be32(labels) != 0x801u)) {
        fprintf(stderr, "%s: not an IDX file of %u labels\n", argv[2], count);
        return 2;
    }
    start = clock();
    for (i = 0; i < count; ++i) {
        const int predicted = mnist_predict(images + 16 + (size_t)i * MNIST_INPUTS, scores);
        if (labels)
            correct += predicted == labels[8 + i];
        for (j = 0; j < MNIST_CLASSES; ++j)
            crc = crc32_int32(crc, scores[j]);
    }
    seconds = (double)(clock() - start) / CLOCKS_PER_SEC;
    printf("images %u", count);
    if (labels)
        printf(" right %u", correct);
    printf(" scores_crc32 0x%08x seconds %.3f images_per_second %.0f\n", crc, seconds,
           seconds > 0 ? count / seconds : 0.0);
    free(images);
    free(labels);
    return 0;
}
