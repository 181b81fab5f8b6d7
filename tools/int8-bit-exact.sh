#!/bin/sh
# Checks that an int8 model gives the same 100,000 int32 scores for all 10,000 test images in the C++ int8
# path (`mnist eval`) and in the C that `mnist export-c` writes (built with each machine's gcc as strict C99),
# here and, under qemu-user, on each TARGET: compares the CRC-32 of all scores (all ten per image, not only
# the class) and the number right, and checks mnist_predict's stack frame against the header's bound.
# usage: tools/int8-bit-exact.sh [--data DIR] MODEL-INT8 [TARGET...]   (run from the top folder after `make`,
# and `make cross TARGET=...` for each target, e.g. aarch64-linux-gnu arm-linux-gnueabihf s390x-linux-gnu)
set -eu
data=data
if [ "${1:-}" = "--data" ]; then data=$2; shift 2; fi
[ $# -ge 1 ] || { echo "usage: tools/int8-bit-exact.sh [--data DIR] MODEL-INT8 [TARGET...]" >&2; exit 2; }
model=$1
shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for f in t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
    if [ -f "$data/$f" ]; then cp "$data/$f" "$work/$f"; else gunzip -c "$data/$f.gz" > "$work/$f"; fi
done
./mnist export-c --model "$model" --out "$work/c" > /dev/null
bound=$(sed -n 's/^#define MNIST_MAX_WIDTH \([0-9]*\)/\1/p' "$work/c/mnist_model.h")
extra=$(sed -n 's/^#define MNIST_STACK_BYTES_MAX (MNIST_STACK_BUFFER_BYTES + \([0-9]*\))/\1/p' "$work/c/mnist_model.h")
bound=$((2 * bound + extra))

# The CRC-32 (as 0x%08x) and the number right from `mnist eval --json` output.
eval_crc() { printf '0x%08x' "$(sed -n 's/.*"scores_crc32":\([0-9]*\).*/\1/p' "$1")"; }
eval_right() { awk -v a="$(sed -n 's/.*"test_accuracy":\([0-9.eE+-]*\).*/\1/p' "$1")" 'BEGIN { printf "%.0f", a * 10000 }'; }

status=0
printf '%-28s %-12s %-12s %-7s %s\n' machine "C++ (eval)" "exported C" right "mnist_predict frame"
check() {  # check NAME EVAL_JSON C_OUTPUT SU_FILE
    cpp=$(eval_crc "$2")
    c=$(sed -n 's/.*scores_crc32 \(0x[0-9a-f]*\).*/\1/p' "$3")
    c_right=$(sed -n 's/.* right \([0-9]*\).*/\1/p' "$3")
    frame=$(sed -n 's/.*:mnist_predict[[:space:]]*\([0-9]*\)[[:space:]].*/\1/p' "$4")
    printf '%-28s %-12s %-12s %-7s %s bytes (stated bound %s)\n' "$1" "$cpp" "$c" "$c_right" "$frame" "$bound"
    [ -z "${reference:-}" ] && reference=$cpp
    if [ "$cpp" != "$reference" ] || [ "$c" != "$reference" ] || [ "$c_right" != "$(eval_right "$2")" ]; then
        echo "FAILED: $1: the scores differ" >&2
        status=1
    fi
    if [ -z "$frame" ] || [ "$frame" -gt "$bound" ]; then
        echo "FAILED: $1: mnist_predict's frame is over the bound the header states" >&2
        status=1
    fi
}

build_c() {  # build_c CC OUT: the exported C freestanding and warning-free, the driver hosted
    "$1" -std=c99 -O2 -Wall -Wextra -pedantic -Werror -ffreestanding -fstack-usage -I"$work/c" \
        -c "$work/c/mnist_model.c" -o "$2-model.o"
    mv "$2-model.su" "$2.su"
    "$1" -std=c99 -O2 -Wall -Wextra -pedantic -Werror -I"$work/c" -c tools/exported_c_scores.c -o "$2-driver.o"
    "$1" -o "$2" "$2-driver.o" "$2-model.o"
}

./mnist eval --model "$model" --data "$data" --json --threads 1 > "$work/host.json"
build_c gcc "$work/host-c"
"$work/host-c" "$work/t10k-images-idx3-ubyte" "$work/t10k-labels-idx1-ubyte" > "$work/host-c.txt"
check "$(uname -m) (here)" "$work/host.json" "$work/host-c.txt" "$work/host-c.su"
for target in "$@"; do
    arch=${target%%-*}
    qemu-"$arch" -L /usr/"$target" build-"$target"/mnist eval --model "$model" --data "$data" --json --threads 1 \
        > "$work/$target.json"
    build_c "$target-gcc" "$work/$target-c"
    qemu-"$arch" -L /usr/"$target" "$work/$target-c" "$work/t10k-images-idx3-ubyte" "$work/t10k-labels-idx1-ubyte" \
        > "$work/$target-c.txt"
    check "$target (qemu)" "$work/$target.json" "$work/$target-c.txt" "$work/$target-c.su"
done
speed=$(sed -n 's/.*images_per_second \([0-9]*\).*/\1/p' "$work/host-c.txt")
echo "the exported C here (gcc -O2): $speed images per second on one thread"
[ "$status" -eq 0 ] && echo "int8 bit-exactness check passed: the same scores everywhere"
exit "$status"
