#!/usr/bin/env bash
# The test runner of `make test`: runs each test binary from the top folder, its output in <binary>.log,
# and prints a CTest-style line per test and a summary; exit status 77 counts as skipped (CTest's
# SKIP_RETURN_CODE), any other non-zero one as failed, and then the log is shown and this script exits 1.
# usage: tools/run-tests.sh TEST_BINARY...   (RUNNER, if set, goes in front of each, e.g. "qemu-s390x -L ...")
set -euo pipefail

total=$#
pass=0
fail=0
skip=0
failed=""
i=0
for t in "$@"; do
    i=$((i + 1))
    name=$(basename "$t")
    start=$(date +%s)
    rc=0
    # RUNNER is split into words on purpose: it is a command and its arguments.
    ${RUNNER:-} "$t" > "$t.log" 2>&1 || rc=$?
    secs=$(($(date +%s) - start))
    if [ $rc -eq 0 ]; then
        pass=$((pass + 1)); status="Passed"
    elif [ $rc -eq 77 ]; then
        skip=$((skip + 1)); status="Skipped"
    else
        fail=$((fail + 1)); status="***Failed"; failed="$failed $name"
        cat "$t.log"
    fi
    printf '%3d/%d Test: %-28s %s  %d s\n' $i "$total" "$name" "$status" $secs
done
echo
echo "$((pass * 100 / total))% tests passed, $fail tests failed out of $total ($skip skipped)"
if [ $fail -ne 0 ]; then
    echo "The following tests FAILED:$failed"
    exit 1
fi
