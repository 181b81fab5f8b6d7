/* Talking to the host through ARM semihosting (the debugger's, here QEMU's, `bkpt 0xab` calls): writing text
 * to its console and ending the program with a status. All the firmware (embedded/) needs in place of a C
 * library. See docs/13-quantisation.md. */
#ifndef MNIST_SEMIHOSTING_H
#define MNIST_SEMIHOSTING_H

#include <stdint.h>

void host_write(const char *text);        /* SYS_WRITE0: a NUL-terminated string */
void host_exit(int success);              /* SYS_EXIT: QEMU exits with status 0 on success, else 1 */

/* Numbers as text, without a C library: decimal, and hexadecimal with 8 digits. */
void host_write_u32(uint32_t value);
void host_write_hex32(uint32_t value);

#endif
