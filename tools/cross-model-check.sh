#!/bin/sh
# Checks that model.bin means the same on every machine: a model trained here is evaluated here and, under
# qemu, by each target's build (same confusion matrix, test loss equal within 1e-5 relative); then a model
# trained under emulation on the first target is evaluated here and there the same way.
# usage: tools/cross-model-check.sh TARGET...   (run `make cross TARGET=...` for each first; needs ./mnist
# and data/ or --data DIR as the first arguments: tools/cross-model-check.sh --data DIR TARGET...)
set -eu
data=data
if [ "${1:-}" = "--data" ]; then data=$2; shift 2; fi
[ $# -ge 1 ] || { echo "usage: tools/cross-model-check.sh [--data DIR] TARGET..." >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

emulate() {  # emulate TARGET command...
    target=$1; shift
    qemu-"${target%%-*}" -L /usr/"$target" "$@"
}

# The confusion matrix as text, and the test loss, from `mnist eval --json` output.
confusion() { sed 's/.*"confusion":\(\[\[[^]]*\]\(,\[[^]]*\]\)*\]\).*/\1/' "$1"; }
loss() { sed 's/.*"test_loss":\([-0-9.eE+]*\).*/\1/' "$1"; }

same() {  # same REFERENCE.json OTHER.json LABEL
    if [ "$(confusion "$1")" != "$(confusion "$2")" ]; then
        echo "FAILED: $3: the confusion matrices differ" >&2
        exit 1
    fi
    awk -v a="$(loss "$1")" -v b="$(loss "$2")" -v what="$3" 'BEGIN {
        d = a - b; if (d < 0) d = -d; r = d / (a > 0 ? a : 1);
        printf "%s: same confusion matrix, test loss %s vs %s (relative difference %.2g)\n", what, a, b, r;
        exit (r <= 1e-5) ? 0 : 1 }' || { echo "FAILED: $3: test losses differ by more than 1e-5 relative" >&2; exit 1; }
}

echo "training a model here (--limit 5000, 2 epochs) ..."
./mnist --data "$data" --limit 5000 --epochs 2 --out "$work/host" --quiet --no-eda > /dev/null
./mnist eval --model "$work/host/model.bin" --data "$data" --json > "$work/host.json"
for target in "$@"; do
    emulate "$target" build-"$target"/mnist eval --model "$work/host/model.bin" --data "$data" --json --threads 1 \
        > "$work/host-on-$target.json"
    same "$work/host.json" "$work/host-on-$target.json" "model written here, evaluated on $target"
done

first=$1
echo "training a model under emulation on $first (--limit 2000, 1 epoch, --hidden 64) ..."
emulate "$first" build-"$first"/mnist --data "$data" --limit 2000 --epochs 1 --hidden 64 --out "$work/$first" \
    --quiet --no-eda --threads 1 > /dev/null
emulate "$first" build-"$first"/mnist eval --model "$work/$first/model.bin" --data "$data" --json --threads 1 \
    > "$work/$first.json"
./mnist eval --model "$work/$first/model.bin" --data "$data" --json > "$work/$first-here.json"
same "$work/$first.json" "$work/$first-here.json" "model written on $first, evaluated here"
echo "cross-model check passed"
