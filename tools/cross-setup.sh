#!/bin/sh
# Makes sure a cross compiler and its emulator are installed: tools/cross-setup.sh <triplet>
# (aarch64-linux-gnu, arm-linux-gnueabihf, s390x-linux-gnu, ...). Installs what is missing from Debian's
# packages (g++-<triplet>, qemu-user) with apt-get, and says so. Used by `make cross` and `make cross-test`.
set -eu
target=${1:?usage: tools/cross-setup.sh <triplet>}
arch=${target%%-*}
exec "$(dirname "$0")/install-missing.sh" cross-setup "$target-g++=g++-$target" "qemu-$arch=qemu-user"
