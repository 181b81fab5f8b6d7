#!/usr/bin/env bash
# The cross builds of `make cross` and `make cross-test` (README.md, "Building on other machines"). Installs
# the target's g++ and qemu-user when missing (tools/cross-setup.sh), then runs make again into
# build-<triplet>/ with <triplet>-g++ and portable flags (CROSS_CXXFLAGS, default -O2, and NATIVE=0: the
# portable GEMM kernel is what runs there), building ./mnist and every test binary. `test` then runs the test
# suite under qemu-<arch> with the target's libraries (-L /usr/<triplet>), telling the tests they are
# emulated (MNIST_TEST_QUICK=1: less training).
# usage: tools/cross.sh build|test TRIPLET   (from the top folder; make passes MAKE, CROSS_CXXFLAGS, THREADS)
set -euo pipefail

usage="usage: make cross TARGET=<triplet>, e.g. aarch64-linux-gnu"
mode=${1:-}
target=${2:-}
case "$mode" in build | test) ;; *) echo "usage: tools/cross.sh build|test TRIPLET" >&2; exit 2 ;; esac
[ -n "$target" ] || { echo "$usage"; exit 2; }
flags=${CROSS_CXXFLAGS:-"-O2"}
sub_make=("${MAKE:-make}" --no-print-directory OBJ="build-$target" BIN="build-$target/mnist" CXX="$target-g++"
          CC="$target-gcc" CXXFLAGS="$flags" CFLAGS="$flags" THREADS="${THREADS:-1}" NATIVE=0)

tools/cross-setup.sh "$target"
"${sub_make[@]}" "build-$target/mnist" tests
if [ "$mode" = test ]; then
    MNIST_TEST_QUICK=1 "${sub_make[@]}" RUNNER="qemu-${target%%-*} -L /usr/$target" test
fi
