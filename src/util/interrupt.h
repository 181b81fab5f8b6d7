// Ctrl-C (SIGINT) and `kill` (SIGTERM) turned into a flag that the training loop polls after each batch, so
// a run can stop cleanly: finish the batch, write a checkpoint, say how to resume. This is the project's one
// piece of global state: a signal handler can reach nothing else (C++17 [support.signal]). <csignal> only.
#pragma once

namespace mnist {

// Installs the handlers. The first signal sets the flag and restores the default action, so a second
// Ctrl-C ends the program at once.
void install_interrupt_handlers();

// 0 while no signal has arrived, else the signal's number (SIGINT = 2, SIGTERM = 15).
int interrupt_signal();

// The conventional exit status after a signal: 128 + its number (130 for SIGINT, 143 for SIGTERM).
int interrupt_exit_status();

// Back to "no signal" (for tests).
void clear_interrupt();

}  // namespace mnist
