// How much memory the machine has, for refusing up front a run that could never fit (rather than failing
// with "out of memory" after minutes of work). Read from /proc/meminfo where there is one (Linux); 0 means
// unknown, and then nothing is refused. Not a measure of free memory, which changes from second to second.
#pragma once

#include <cstdint>

namespace mnist {

// MemTotal + SwapTotal in bytes: more than this can never be allocated. 0 when it cannot be read.
uint64_t system_memory_bytes();

}  // namespace mnist
