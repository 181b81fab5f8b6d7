// Whether standard output is an interactive terminal, so that progress bars are drawn only where a person
// watches them and never into a log file or a pipe. The one place that needs the operating system's
// isatty; not a terminal library (no colours, no sizes). See docs/10-figures.md.
#pragma once

namespace mnist {

// True when stdout is a terminal. False when it is a file or a pipe, and on systems we do not know.
bool stdout_is_terminal();

}  // namespace mnist
