/* The bare-metal self-test: runs the exported int8 network (mnist_model.c, written by `mnist export-c`) on
 * the test images built in (mnist_test_images.h), then prints how many it got right and the CRC-32 of all
 * its scores beside what the host's C++ int8 path computed for the same images, and how much stack it used.
 * Ends with status 0 only if both match. Built and run by `make embedded-test`. See docs/13-quantisation.md. */
#include <stdint.h>

#include "mnist_model.h"
#include "mnist_test_images.h"
#include "semihosting.h"

uint32_t stack_used_bytes(void);

/* CRC-32 as gzip and PNG define it (reflected, polynomial 0xEDB88320), one bit at a time: continues `crc`
 * over 4 bytes, the int32 value in little-endian order, as the host's crc32_scores does. */
static uint32_t crc32_int32(uint32_t crc, int32_t value)
{
    uint32_t bits = (uint32_t)value;
    int i, k;
    crc = ~crc;
    for (i = 0; i < 4; ++i) {
        crc ^= (bits >> (8 * i)) & 0xFFu;
        for (k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

int main(void)
{
    int32_t scores[MNIST_CLASSES];
    uint32_t correct = 0, crc = 0, hundredths, i;
    int j, ok;
    host_write("mnist firmware: int8 network on a Cortex-M4 (QEMU mps2-an386), ");
    host_write_u32(MNIST_TEST_COUNT);
    host_write(" test images\n");
    for (i = 0; i < MNIST_TEST_COUNT; ++i) {
        const int predicted = mnist_predict(&mnist_test_pixels[i * MNIST_INPUTS], scores);
        correct += predicted == mnist_test_labels[i];
        for (j = 0; j < MNIST_CLASSES; ++j)
            crc = crc32_int32(crc, scores[j]);
    }
    ok = correct == MNIST_TEST_EXPECTED_CORRECT && crc == MNIST_TEST_EXPECTED_CRC32;
    host_write("right: ");
    host_write_u32(correct);
    host_write(" of ");
    host_write_u32(MNIST_TEST_COUNT);
    hundredths = correct * 10000u / MNIST_TEST_COUNT; /* the accuracy in hundredths of a percent */
    host_write(" (");
    host_write_u32(hundredths / 100u);
    host_write(hundredths % 100u < 10u ? ".0" : ".");
    host_write_u32(hundredths % 100u);
    host_write(" %); the host's C++ int8 path: ");
    host_write_u32(MNIST_TEST_EXPECTED_CORRECT);
    host_write("\nscores CRC-32: ");
    host_write_hex32(crc);
    host_write("; the host's: ");
    host_write_hex32(MNIST_TEST_EXPECTED_CRC32);
    host_write(crc == MNIST_TEST_EXPECTED_CRC32 ? " (identical)\n" : " (DIFFERENT)\n");
    host_write("stack used: ");
    host_write_u32(stack_used_bytes());
    host_write(" bytes (main, mnist_predict and the semihosting calls); mnist_predict's buffers: ");
    host_write_u32(MNIST_STACK_BUFFER_BYTES);
    host_write(" bytes\n");
    host_write(ok ? "embedded test passed\n" : "embedded test FAILED\n");
    return ok ? 0 : 1;
}
