// The signal flag. std::sig_atomic_t is the one type a handler may safely write.
#include "util/interrupt.h"

#include <csignal>

namespace mnist {

namespace {

volatile std::sig_atomic_t received_signal = 0;

extern "C" void on_signal(int signal_number) {
    received_signal = signal_number;
    std::signal(signal_number, SIG_DFL);  // a second signal acts at once
}

}  // namespace

void install_interrupt_handlers() {
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
}

int interrupt_signal() { return received_signal; }

int interrupt_exit_status() { return 128 + received_signal; }

void clear_interrupt() { received_signal = 0; }

}  // namespace mnist
