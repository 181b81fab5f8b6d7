#!/bin/sh
# Installs the Debian packages of the commands that are missing, with apt-get, and says so:
#   tools/install-missing.sh WHO [--no-recommends] COMMAND=PACKAGE ...
# e.g. tools/install-missing.sh cross-setup s390x-linux-gnu-g++=g++-s390x-linux-gnu qemu-s390x=qemu-user.
# WHO names the caller in its messages. Exits 0 when every command is there (or now installed), non-zero when
# something is missing and this is not root (1, saying what to run) or apt-get failed (its status). Used by
# tools/cross-setup.sh, tools/embedded-setup.sh and .ci/run.
set -eu
who=${1:?usage: tools/install-missing.sh WHO [--no-recommends] COMMAND=PACKAGE ...}
shift
options=""
if [ "${1:-}" = "--no-recommends" ]; then
    options=" --no-install-recommends"
    shift
fi
missing=""
for pair in "$@"; do
    command -v "${pair%%=*}" >/dev/null 2>&1 || missing="$missing ${pair#*=}"
done
[ -z "$missing" ] && exit 0
echo "$who: installing$missing with apt-get (Debian packages) ..."
if [ "$(id -u)" -ne 0 ]; then
    echo "$who: not root: run  sudo apt-get install -y$options$missing  and try again" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086  # $options and $missing are lists of words
apt-get install -y $options $missing >/dev/null 2>&1 ||
    { apt-get update >/dev/null 2>&1 && apt-get install -y $options $missing >/dev/null; }
echo "$who: installed$missing"
