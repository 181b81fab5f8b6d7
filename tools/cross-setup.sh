#!/bin/sh
# Makes sure a cross compiler and its emulator are installed: tools/cross-setup.sh <triplet>
# (aarch64-linux-gnu, arm-linux-gnueabihf, s390x-linux-gnu, ...). Installs what is missing from Debian's
# packages (g++-<triplet>, qemu-user) with apt-get, and says so. Used by `make cross` and `make cross-test`.
set -eu
target=${1:?usage: tools/cross-setup.sh <triplet>}
arch=${target%%-*}
missing=""
command -v "$target-g++" >/dev/null 2>&1 || missing="$missing g++-$target"
command -v "qemu-$arch" >/dev/null 2>&1 || missing="$missing qemu-user"
[ -z "$missing" ] && exit 0
echo "cross-setup: installing$missing with apt-get (Debian packages) ..."
if [ "$(id -u)" -ne 0 ]; then
    echo "cross-setup: not root: run  sudo apt-get install -y$missing  and try again" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y $missing >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y $missing >/dev/null; }
echo "cross-setup: installed$missing"
