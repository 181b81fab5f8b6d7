#!/usr/bin/python3
"""The report's recipe in NumPy, written plainly, to compare against ./mnist (docs/08-reproducing.md).
Same network and rules as the C++ program: 784-512-256-128-10, ReLU, inverted dropout 0.3 on the hidden
layers, He-normal init for the hidden layers and Xavier-normal (variance 2/(fan_in+fan_out)) for the output
layer, Eq. (13), (14); mean cross-entropy over the batch plus L2 1e-4 (gradient lambda W, biases not decayed),
Adam 1e-3 with eps outside the root, batch 128, early stopping with patience 10 on validation accuracy.

Not the same run as ./mnist: the split, initial weights, batch order and masks come from NumPy's generator,
not ours, and the order of float32 operations is OpenBLAS's. Compare distributions and seconds, not bits.

usage: /usr/bin/python3 tools/numpy_reference.py [--data data] [--epochs N] [--seed S] [--dtype float32]
needs Debian's python3-numpy; OPENBLAS_NUM_THREADS=1 or 2 chooses the threads."""
import argparse
import gzip
import os
import resource
import struct
import time

import numpy as np


def read_idx(path):
    """An IDX file (raw or .gz) as an array of its declared shape: the header checked, the length too."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise ValueError(f"{path}: not an IDX file of unsigned bytes")
    dims = struct.unpack(">" + "I" * raw[3], raw[4:4 + 4 * raw[3]])
    start = 4 + 4 * raw[3]
    if len(raw) - start != int(np.prod(dims)):
        raise ValueError(f"{path}: {len(raw) - start} data bytes but the header says {int(np.prod(dims))}")
    return np.frombuffer(raw, np.uint8, offset=start).reshape(dims)


def find(data, name):
    for candidate in (os.path.join(data, name), os.path.join(data, name + ".gz")):
        if os.path.exists(candidate):
            return candidate
    raise FileNotFoundError(f"{name}(.gz) not in {data}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default="data")
    ap.add_argument("--epochs", type=int, default=100)
    ap.add_argument("--patience", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--dtype", default="float32", help="float32 (as ./mnist) or float64")
    args = ap.parse_args()
    dt = np.dtype(args.dtype)
    rng = np.random.RandomState(args.seed)

    images = read_idx(find(args.data, "train-images-idx3-ubyte")).reshape(60000, -1)
    labels = read_idx(find(args.data, "train-labels-idx1-ubyte")).astype(np.int64)
    test_x = read_idx(find(args.data, "t10k-images-idx3-ubyte")).reshape(10000, -1)
    test_y = read_idx(find(args.data, "t10k-labels-idx1-ubyte")).astype(np.int64)
    order = rng.permutation(60000)  # 6,000 held out for validation, 54,000 to train on
    val_idx, train_idx = order[:6000], order[6000:]
    scale = lambda x: (x.astype(dt) / dt.type(255))  # Eq. (1)
    train_x, train_y = scale(images[train_idx]), labels[train_idx]
    val_x, val_y = scale(images[val_idx]), labels[val_idx]
    test_x = scale(test_x)

    # Row-major batches as in the C++ code: X [batch x in], W [out x in], Z = X W^T + b (Eq. (2)).
    sizes = [784, 512, 256, 128, 10]
    L = len(sizes) - 1
    W, b = [], []
    for l in range(L):
        fan_in, fan_out = sizes[l], sizes[l + 1]
        var = 2.0 / fan_in if l < L - 1 else 2.0 / (fan_in + fan_out)  # Eq. (13) hidden, Eq. (14) output
        W.append((rng.standard_normal((fan_out, fan_in)) * np.sqrt(var)).astype(dt))
        b.append(np.zeros(fan_out, dt))
    params = W + b
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    rate, lam, lr, beta1, beta2, eps, batch = 0.3, 1e-4, 1e-3, 0.9, 0.999, 1e-8, 128
    keep = 1.0 - rate
    step = 0

    def forward(x, training):
        """Returns the layer inputs (what each W multiplied), the dropout masks and the probabilities."""
        inputs, masks, a = [x], [], x
        for l in range(L - 1):
            a = np.maximum(a @ W[l].T + b[l], 0)  # Eq. (2), (3)
            if training:  # Eq. (11)
                mask = (rng.random_sample(a.shape) < keep).astype(dt) / dt.type(keep)
                a = a * mask
                masks.append(mask)
            inputs.append(a)
        z = a @ W[L - 1].T + b[L - 1]
        z = z - z.max(axis=1, keepdims=True)  # Eq. (4) without overflow
        e = np.exp(z)
        return inputs, masks, e / e.sum(axis=1, keepdims=True)

    def evaluate(x, y):
        loss, correct = 0.0, 0
        for i in range(0, len(x), 1000):
            _, _, p = forward(x[i:i + 1000], False)
            yy = y[i:i + 1000]
            loss -= np.sum(np.log(np.maximum(p[np.arange(len(yy)), yy], 1e-30)))
            correct += int(np.sum(p.argmax(axis=1) == yy))
        return loss / len(x), correct / len(x)

    best_acc, best_epoch, waited, saved, seconds = -1.0, 0, 0, None, []
    start_all = time.time()
    for epoch in range(1, args.epochs + 1):
        start = time.time()
        perm = rng.permutation(len(train_x))
        loss_sum, correct = 0.0, 0
        for i in range(0, len(perm), batch):
            idx = perm[i:i + batch]
            x, y = train_x[idx], train_y[idx]
            n = len(idx)
            inputs, masks, p = forward(x, True)
            loss_sum -= float(np.sum(np.log(np.maximum(p[np.arange(n), y], 1e-30))))  # Eq. (5), summed
            correct += int(np.sum(p.argmax(axis=1) == y))
            dz = p.copy()  # Eq. (6): (probs - onehot) / B
            dz[np.arange(n), y] -= 1
            dz /= dt.type(n)
            grads_w, grads_b = [None] * L, [None] * L
            for l in range(L - 1, -1, -1):
                grads_w[l] = dz.T @ inputs[l] + dt.type(lam) * W[l]  # Eq. (7) + Eq. (16)
                grads_b[l] = dz.sum(axis=0)  # Eq. (8)
                if l > 0:  # no gradient for the pixels
                    da = (dz @ W[l]) * masks[l - 1]  # Eq. (9), (12)
                    dz = da * (inputs[l] > 0)  # Eq. (10): a dropped or inactive unit passes nothing
            step += 1
            c1, c2 = 1.0 / (1.0 - beta1 ** step), 1.0 / (1.0 - beta2 ** step)
            for p_, g, m_, v_ in zip(params, grads_w + grads_b, m, v):  # Eq. (17)-(20)
                m_ *= beta1
                m_ += (1 - beta1) * g
                v_ *= beta2
                v_ += (1 - beta2) * g * g
                p_ -= (lr * (m_ * c1) / (np.sqrt(v_ * c2) + eps)).astype(dt)
        seconds.append(time.time() - start)
        val_loss, val_acc = evaluate(val_x, val_y)
        improved = val_acc > best_acc
        print(f"epoch {epoch:3d}  train_loss {loss_sum / len(train_x):.4f}  train_acc {correct / len(train_x):.4f}"
              f"  val_loss {val_loss:.4f}  val_acc {val_acc:.4f}  seconds {seconds[-1]:.2f}{'  *' if improved else ''}",
              flush=True)
        if improved:
            best_acc, best_epoch, waited, saved = val_acc, epoch, 0, [p.copy() for p in params]
        else:
            waited += 1
            if waited >= args.patience:
                break
    for p_, s in zip(params, saved):
        p_[...] = s
    test_loss, test_acc = evaluate(test_x, test_y)
    later = seconds[1:] or seconds  # the first epoch also warms up caches and OpenBLAS's threads
    print(f"epochs run {epoch}, best epoch {best_epoch} (validation accuracy {best_acc:.4f}), "
          f"training took {time.time() - start_all:.1f} s, median epoch {float(np.median(later)):.2f} s")
    print(f"test accuracy {test_acc:.4f}, test loss {test_loss:.4f}, "
          f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
