// isatty(1) on POSIX systems, _isatty(1) on Windows, "no" elsewhere: the operating system, in one place.
#include "util/terminal.h"

#if defined(__unix__) || defined(__APPLE__)
#include <unistd.h>
#elif defined(_WIN32)
#include <io.h>
#endif

namespace mnist {

bool stdout_is_terminal() {
#if defined(__unix__) || defined(__APPLE__)
    return isatty(1) != 0;
#elif defined(_WIN32)
    return _isatty(1) != 0;
#else
    return false;
#endif
}

}  // namespace mnist
