#!/usr/bin/python3
"""OpenBLAS's sgemm, through NumPy, on the twelve products of one training step (784-512-256-128-10 at
batch 128: each layer's forward, weight gradient and input gradient, as `mnist bench` lists them) and on square sizes: the yardstick of
docs/09-gemm.md, next to `./mnist bench`. OPENBLAS_NUM_THREADS=1 or 2 chooses the threads. Best of 5 rounds
per shape, as `mnist gemm-stages` measures, since the machine may be shared.

usage: /usr/bin/python3 tools/openblas_shapes.py [--batch 128] [--seconds 0.3]"""
import argparse
import time

import numpy as np


def seconds_per_call(a, b, seconds):
    a @ b  # warm-up
    best = float("inf")
    for _ in range(5):
        calls, start = 0, time.perf_counter()
        while True:
            a @ b
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= seconds / 5:
                break
        best = min(best, elapsed / calls)
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--seconds", type=float, default=0.3)
    args = ap.parse_args()
    rng = np.random.default_rng(1)
    sizes, batch = [784, 512, 256, 128, 10], args.batch
    # (m, k) x (k, n) as our gemm calls see them: out = in W^T, dW = dZ^T in, d(in) = dZ W.
    shapes = []
    for n_in, n_out in zip(sizes, sizes[1:]):
        shapes.append(("forward", batch, n_in, n_out))
        shapes.append(("weight gradient", n_out, batch, n_in))
        shapes.append(("input gradient", batch, n_out, n_in))  # layer 1's is not computed in training
    total_flops = total_seconds = 0.0
    print(f"{'product':16s} {'m x n x k':>18s}  GFLOP/s")
    for name, m, k, n in shapes:
        a = rng.random((m, k), dtype=np.float32) - 0.5
        b = rng.random((k, n), dtype=np.float32) - 0.5
        t = seconds_per_call(a, b, args.seconds)
        flops = 2.0 * m * n * k
        total_flops += flops
        total_seconds += t
        print(f"{name:16s} {f'{m} x {n} x {k}':>18s}  {flops / t * 1e-9:7.1f}")
    print(f"all {len(shapes)} products together: {total_flops / total_seconds * 1e-9:.1f} GFLOP/s "
          f"({total_seconds * 1e3:.3f} ms per step)")
    for n in (256, 512, 1024):
        a = rng.random((n, n), dtype=np.float32) - 0.5
        t = seconds_per_call(a, a, args.seconds)
        print(f"square {n}: {2.0 * n ** 3 / t * 1e-9:.1f} GFLOP/s")


if __name__ == "__main__":
    main()
