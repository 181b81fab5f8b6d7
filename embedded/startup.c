/* Reset and faults for the firmware on a Cortex-M: the vector table (initial stack pointer, then handlers),
 * copying .data from flash and zeroing .bss (the C runtime's job, as there is none), painting the stack so
 * the self-test can measure how much of it was used, then main(). Memory map: mps2-an386.ld.
 * See docs/13-quantisation.md. */
#include <stdint.h>

#include "semihosting.h"

/* Symbols of the linker script. __stack_top is declared as a function so the vector table, an array of
 * handlers, can hold it without converting an object pointer to a function pointer. */
extern void __stack_top(void);
extern uint32_t __data_start[], __data_end[], __data_load[], __bss_start[], __bss_end[];
extern uint8_t __stack_bottom[];

int main(void);
void reset_handler(void);
uint32_t stack_used_bytes(void);

#define STACK_PAINT 0xA5u

static void fault_handler(void)
{
    host_write("mnist firmware: fault (hard fault, bus fault, usage fault or NMI)\n");
    host_exit(0);
}

/* The first 16 entries (ARMv7-M B1.5.3): initial SP, reset, NMI, HardFault, MemManage, BusFault,
 * UsageFault, 4 reserved, SVCall, DebugMonitor, reserved, PendSV, SysTick. No interrupts are used. */
__attribute__((section(".vectors"), used)) static void (*const vectors[16])(void) = {
    __stack_top,   reset_handler, fault_handler, fault_handler, fault_handler, fault_handler,
    fault_handler, 0,             0,             0,             0,             fault_handler,
    fault_handler, 0,             fault_handler, fault_handler,
};

void reset_handler(void)
{
    volatile uint8_t *p;
    uint32_t *d;
    const uint32_t *s;
    for (d = __data_start, s = __data_load; d < __data_end;)
        *d++ = *s++;
    for (d = __bss_start; d < __bss_end;)
        *d++ = 0;
    /* Paint the stack below this function's frame (volatile: the compiler may not turn it into memset). */
    for (p = __stack_bottom; p < (volatile uint8_t *)__builtin_frame_address(0) - 64;)
        *p++ = STACK_PAINT;
    host_exit(main() == 0);
}

/* How far the stack has ever grown: from its top down to the lowest byte that is no longer paint. */
uint32_t stack_used_bytes(void)
{
    const volatile uint8_t *p = __stack_bottom;
    while (*p == STACK_PAINT)
        ++p;
    return (uint32_t)((uintptr_t)__stack_top - (uintptr_t)p);
}
