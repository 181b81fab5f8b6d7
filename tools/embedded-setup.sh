#!/bin/sh
# Makes sure the bare-metal toolchain and emulator of `make embedded-test` are installed: gcc-arm-none-eabi
# (arm-none-eabi-gcc, -size) and qemu-system-arm (for the mps2-an386 Cortex-M4 board). Installs what is missing
# from Debian's packages with apt-get, without their recommendations (no C library is needed: the firmware in
# embedded/ brings its own start-up code and talks to QEMU by semihosting), and says so.
set -eu
missing=""
command -v arm-none-eabi-gcc >/dev/null 2>&1 || missing="$missing gcc-arm-none-eabi"
command -v qemu-system-arm >/dev/null 2>&1 || missing="$missing qemu-system-arm"
[ -z "$missing" ] && exit 0
echo "embedded-setup: installing$missing with apt-get (Debian packages) ..."
if [ "$(id -u)" -ne 0 ]; then
    echo "embedded-setup: not root: run  sudo apt-get install -y --no-install-recommends$missing  and try again" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends $missing >/dev/null 2>&1 ||
    { apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends $missing >/dev/null; }
echo "embedded-setup: installed$missing"
