#!/usr/bin/env bash
# The bare-metal test of `make embedded-test` (README.md, "On a microcontroller"; docs/13-quantisation.md): an
# int8 model, exported as C (`mnist export-c`), runs on QEMU's mps2-an386 board (a Cortex-M4) with the first
# IMAGES test images built into the firmware (embedded/). The firmware prints its accuracy and the CRC-32 of
# all its scores beside the host's, and fails unless they match. MODEL is a trained model.bin, or "" to train
# a quick one first (the report's network, 10,000 images, 1 epoch). Fails too if the exported C calls
# anything, if the firmware would not fit 1 MB of flash and 128 KB of RAM (embedded/mps2-an386.ld; the test
# images, up to 10,000, sit apart in the board's PSRAM), or if mnist_predict's stack frame (-fstack-usage)
# is larger than the header states. Works in obj-embedded/; tools/embedded-setup.sh installs
# gcc-arm-none-eabi and qemu-system-arm when missing.
# usage: tools/embedded-test.sh MNIST MODEL IMAGES DATA   (from the top folder; e.g. ./mnist "" 300 data)
set -euo pipefail

usage="usage: tools/embedded-test.sh MNIST MODEL IMAGES DATA"
[ $# -eq 4 ] || { echo "$usage" >&2; exit 2; }
mnist=$1
model=$2
images=$3
data=$4
emb=obj-embedded
arm_cflags=(-std=c99 -Wall -Wextra -pedantic -Werror -O2 -mcpu=cortex-m4 -mthumb -mfloat-abi=soft
            -ffreestanding -ffunction-sections -fdata-sections -fstack-usage)
# Prints a command, then runs it (as make would have).
run() {
    echo "$*"
    "$@"
}

tools/embedded-setup.sh
rm -rf "$emb" && mkdir -p "$emb"
if [ -n "$model" ]; then
    cp "$model" "$emb/model.bin"
else
    echo "embedded-test: training a quick model (784-512-256-128-10 on 10,000 images, 1 epoch) ..."
    "$mnist" train --data "$data" --out "$emb/run" --limit 10000 --epochs 1 --quiet --no-eda > "$emb/train.log" ||
        { cat "$emb/train.log"; exit 1; }
    cp "$emb/run/model.bin" "$emb/model.bin"
fi
run "$mnist" quantize --model "$emb/model.bin" --out "$emb/model-int8.bin" --data "$data" > "$emb/quantize.log"
run "$mnist" export-c --model "$emb/model-int8.bin" --out "$emb/c" --test-images "$images" --data "$data"

(
    cd "$emb"
    for f in ../embedded/main.c ../embedded/startup.c ../embedded/semihosting.c c/mnist_model.c; do
        run arm-none-eabi-gcc "${arm_cflags[@]}" -Ic -I../embedded -c "$f" -o "$(basename "$f" .c).o"
    done
    run arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -mfloat-abi=soft -nostdlib -nostartfiles \
        -T ../embedded/mps2-an386.ld -Wl,--gc-sections -Wl,-Map=firmware.map -o firmware.elf \
        main.o startup.o semihosting.o mnist_model.o -lgcc
)
if [ -n "$(arm-none-eabi-nm -u "$emb/mnist_model.o")" ]; then
    echo "embedded-test: the exported C calls something:"
    arm-none-eabi-nm -u "$emb/mnist_model.o"
    exit 1
fi
arm-none-eabi-size -A "$emb/firmware.elf" | sed -n '/^section/,/^\.stack/p'
arm-none-eabi-size "$emb/mnist_model.o"

frame=$(sed -n 's/.*:mnist_predict[[:space:]]*\([0-9]*\)[[:space:]].*/\1/p' "$emb/mnist_model.su")
width=$(sed -n 's/^#define MNIST_MAX_WIDTH \([0-9]*\)/\1/p' "$emb/c/mnist_model.h")
extra=$(sed -n 's/^#define MNIST_STACK_BYTES_MAX (MNIST_STACK_BUFFER_BYTES + \([0-9]*\))/\1/p' \
    "$emb/c/mnist_model.h")
if [ -z "$frame" ] || [ -z "$width" ] || [ -z "$extra" ]; then
    echo "embedded-test: no stack frame for mnist_predict in $emb/mnist_model.su, or no bound in the header"
    exit 1
fi
bound=$((2 * width + extra))
echo "mnist_predict's stack frame: $frame bytes (-fstack-usage); the header's bound: $bound"
[ "$frame" -le "$bound" ] || { echo "embedded-test: the stack frame is over the header's bound"; exit 1; }

run timeout 300 qemu-system-arm -M mps2-an386 -nographic -monitor none -serial none \
    -semihosting-config enable=on,target=native -kernel "$emb/firmware.elf"
