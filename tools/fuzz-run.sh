#!/usr/bin/env bash
# The runs of `make fuzz-run`: each libFuzzer binary FUZZ_OBJ/<harness> (built by `make fuzz`) runs for SECONDS
# from its seeds in fuzz/corpus/<harness>/ (read only), writing what it learns to FUZZ_OBJ/corpus-<harness>/,
# its output to FUZZ_OBJ/<harness>.log and a crashing input to FUZZ_OBJ/<harness>-crash-*. Limits: 5 s per
# input, 512 MB resident, 256 MB in one allocation; crossing one is a finding. Prints, per harness,
# libFuzzer's final executions per second and total executions; exits 1 on any finding.
# usage: tools/fuzz-run.sh FUZZ_OBJ SECONDS HARNESS...   (from the top folder)
set -euo pipefail

fuzz_obj=${1:?usage: tools/fuzz-run.sh FUZZ_OBJ SECONDS HARNESS...}
seconds=${2:?usage: tools/fuzz-run.sh FUZZ_OBJ SECONDS HARNESS...}
shift 2
status=0
summary=""
for h in "$@"; do
    mkdir -p "$fuzz_obj/corpus-$h"
    echo "=== $h: $seconds s"
    rc=0
    "$fuzz_obj/$h" -timeout=5 -rss_limit_mb=512 -malloc_limit_mb=256 -print_final_stats=1 \
        -max_total_time="$seconds" -artifact_prefix="$fuzz_obj/$h-" \
        "$fuzz_obj/corpus-$h" "fuzz/corpus/$h" > "$fuzz_obj/$h.log" 2>&1 || rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$fuzz_obj/$h.log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$fuzz_obj/$h.log" | tail -1)
    if [ $rc -ne 0 ]; then
        status=1
        tail -n 60 "$fuzz_obj/$h.log"
        res="FINDING (exit $rc, see $fuzz_obj/$h.log)"
    else
        res="nothing found"
    fi
    line=$(printf '%-16s %8s exec/s %12s executions  %s' "$h" "$rate" "$execs" "$res")
    echo "$line"
    summary+="$line"$'\n'
done
echo
printf '%s' "$summary"
exit $status
