/* ARM semihosting calls for the firmware: r0 holds the operation, r1 its argument, and `bkpt 0xab` hands
 * them to the debugger (QEMU with -semihosting). Operations from ARM's "Semihosting for AArch32 and AArch64":
 * SYS_WRITE0 (0x04) and SYS_EXIT (0x18). See docs/13-quantisation.md. */
#include "semihosting.h"

enum {
    SYS_WRITE0 = 0x04,
    SYS_EXIT = 0x18,
    ADP_STOPPED_APPLICATION_EXIT = 0x20026, /* a normal end: QEMU exits with status 0 */
    ADP_STOPPED_RUNTIME_ERROR = 0x20023     /* any other reason: QEMU exits with status 1 */
};

static void semihosting_call(uint32_t operation, uint32_t argument)
{
    register uint32_t r0 __asm__("r0") = operation;
    register uint32_t r1 __asm__("r1") = argument;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
}

void host_write(const char *text)
{
    semihosting_call(SYS_WRITE0, (uint32_t)(uintptr_t)text);
}

void host_exit(int success)
{
    semihosting_call(SYS_EXIT, success ? ADP_STOPPED_APPLICATION_EXIT : ADP_STOPPED_RUNTIME_ERROR);
    for (;;) {
    }
}

void host_write_u32(uint32_t value)
{
    char text[11];
    int at = 10;
    text[at] = '\0';
    do {
        text[--at] = (char)('0' + value % 10u);
        value /= 10u;
    } while (value != 0);
    host_write(&text[at]);
}

void host_write_hex32(uint32_t value)
{
    static const char digits[] = "0123456789abcdef";
    char text[11];
    int i;
    text[0] = '0';
    text[1] = 'x';
    for (i = 0; i < 8; ++i)
        text[2 + i] = digits[(value >> (28 - 4 * i)) & 0xFu];
    text[10] = '\0';
    host_write(text);
}
