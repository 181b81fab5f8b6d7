#!/bin/sh
# Makes sure the bare-metal toolchain and emulator of `make embedded-test` are installed: gcc-arm-none-eabi
# (arm-none-eabi-gcc, -size) and qemu-system-arm (for the mps2-an386 Cortex-M4 board). Installs what is missing
# from Debian's packages with apt-get, without their recommendations (no C library is needed: the firmware in
# embedded/ brings its own start-up code and talks to QEMU by semihosting), and says so.
set -eu
exec "$(dirname "$0")/install-missing.sh" embedded-setup --no-recommends arm-none-eabi-gcc=gcc-arm-none-eabi \
    qemu-system-arm=qemu-system-arm
