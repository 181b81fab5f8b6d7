// /proc/meminfo lines look like "MemTotal:       24567740 kB": a name, a number, the unit kB.
#include "util/system_memory.h"

#include <fstream>
#include <sstream>
#include <string>

namespace mnist {

uint64_t system_memory_bytes() {
    std::ifstream in("/proc/meminfo");
    if (!in) return 0;
    uint64_t total_kb = 0;
    int found = 0;
    for (std::string line; std::getline(in, line);) {
        std::istringstream fields(line);
        std::string name, unit;
        uint64_t kb = 0;
        if (!(fields >> name >> kb >> unit) || unit != "kB") continue;
        if (name == "MemTotal:" || name == "SwapTotal:") {
            total_kb += kb;
            ++found;
        }
    }
    return found == 2 && total_kb < (uint64_t(1) << 50) ? total_kb * 1024 : 0;
}

}  // namespace mnist
