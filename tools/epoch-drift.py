#!/usr/bin/env python3
"""Do a run's epochs slow down? Reads the per-epoch seconds of one or more metrics.json files (a run's
`history`) and prints the median of epochs 2-6, the median of the last five, and their ratio (docs/06-adam.md,
"Subnormal numbers": on CPUs that pay for subnormal floats, a ratio well above 1 is the sign). Exits 1 when a
ratio exceeds --limit (default 1.15). Standard library only.
usage: tools/epoch-drift.py [--limit R] out/metrics.json ..."""
import json
import statistics
import sys


def main(argv):
    limit = 1.15
    if len(argv) >= 2 and argv[0] == "--limit":
        limit = float(argv[1])
        argv = argv[2:]
    if not argv:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    worst = 0.0
    for path in argv:
        with open(path) as f:
            seconds = [epoch["seconds"] for epoch in json.load(f)["history"]]
        if len(seconds) < 10:
            print(f"{path}: {len(seconds)} epochs; at least 10 are needed")
            return 2
        early, late = statistics.median(seconds[1:6]), statistics.median(seconds[-5:])
        worst = max(worst, late / early)
        print(f"{path}: {len(seconds)} epochs, median of epochs 2-6 {early:.2f} s, of the last five {late:.2f} s: "
              f"ratio {late / early:.2f}")
    return 0 if worst <= limit else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
