#!/usr/bin/env python3
"""Image files made from the MNIST test set, for measuring `mnist predict` (docs/11-predict.md).

  export DIR [--count N]        test images 0..N-1 as they are: 28x28 8-bit greyscale PNG files
  variants DIR [--count N] [--only NAME]...
                                the first N test digits redrawn the way people's own images look:
                                other sizes, positions, polarity, colour, transparency, noise (below)
  score                         reads `mnist predict --json` output on stdin and prints the accuracy
                                per folder; the true label is in each file name

Every file is DIR/<variant>/<index>_<label>.png. Nothing here is used by the tests; the outputs are
not checked in. Standard library only (PNG written with zlib and struct). Example, from the top folder:

  python3 tests/tools/digit_images.py export /tmp/digits
  ls /tmp/digits/as-is/*.png | xargs ./mnist predict --model out/model.bin --no-preprocess --json \\
      | python3 tests/tools/digit_images.py score

The variants (scale is relative to the 28x28 digit; enlarging is bilinear, shrinking area-averaged):
  x3-offcentre-dark-on-white     3x, dark ink on a white 200x160 canvas at a random place
  x5-blue-on-yellow              5x, dark blue ink on yellow paper (RGB), 240x220 canvas
  x2-black-on-transparent        2x, black ink on a transparent canvas (greyscale + alpha), 90x120
  x1.6-uniform-noise-grey-paper  1.6x, dark ink on grey paper (200) with uniform noise of +-12, 100x100
  x2-gaussian-noise-grey-paper   2x, dark ink on grey paper (200) with Gaussian noise, sigma 8, 110x90
  x1-shifted                     28x28, as MNIST (light on dark) but moved up to 4 pixels each way
  x1-dark-on-white               28x28, MNIST's digit with its grey levels turned over
  x0.6-small-offcentre           0.6x, light on dark, placed anywhere in a 28x28 field
and, for each canvas variant, a naive-28x28/<variant> copy: the whole canvas area-averaged to 28x28
(squashed if not square) with nothing else done, what --no-preprocess would get from a user who only
resized the image.
"""

import argparse
import gzip
import json
import os
import random
import re
import struct
import sys
import zlib


def load_test_set(data_dir):
    images = gzip.open(os.path.join(data_dir, "t10k-images-idx3-ubyte.gz")).read()
    labels = gzip.open(os.path.join(data_dir, "t10k-labels-idx1-ubyte.gz")).read()
    count, rows, cols = struct.unpack(">III", images[4:16])
    pixels = images[16:]
    return [(pixels[i * rows * cols:(i + 1) * rows * cols], labels[8 + i]) for i in range(count)], rows, cols


def write_png(path, width, height, channels, samples):
    """8-bit PNG, colour type 0 (grey), 4 (grey + alpha) or 2 (RGB), every row with filter 0."""
    colour_type = {1: 0, 2: 4, 3: 2}[channels]
    stride = width * channels
    raw = b"".join(b"\x00" + bytes(samples[y * stride:(y + 1) * stride]) for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 6)))
        f.write(chunk(b"IEND", b""))


def bilinear(img, w, h, nw, nh):
    """Enlarges a w x h list of floats to nw x nh, sampling at pixel centres."""
    out = [0.0] * (nw * nh)
    for y in range(nh):
        sy = min(max((y + 0.5) * h / nh - 0.5, 0.0), h - 1.0)
        y0 = int(sy)
        y1 = min(y0 + 1, h - 1)
        fy = sy - y0
        for x in range(nw):
            sx = min(max((x + 0.5) * w / nw - 0.5, 0.0), w - 1.0)
            x0 = int(sx)
            x1 = min(x0 + 1, w - 1)
            fx = sx - x0
            top = img[y0 * w + x0] * (1 - fx) + img[y0 * w + x1] * fx
            bottom = img[y1 * w + x0] * (1 - fx) + img[y1 * w + x1] * fx
            out[y * nw + x] = top * (1 - fy) + bottom * fy
    return out


def area_line(values, n):
    """One line of len(values) resized to n by area averaging."""
    m = len(values)
    out = []
    for j in range(n):
        lo, hi = j * m / n, (j + 1) * m / n
        total = 0.0
        k = int(lo)
        while k < m and k < hi:
            total += (min(hi, k + 1) - max(lo, k)) * values[k]
            k += 1
        out.append(total / (hi - lo))
    return out


def area(img, w, h, nw, nh):
    """Resizes a w x h list of floats to nw x nh by area averaging (separable)."""
    rows = [area_line(img[y * w:(y + 1) * w], nw) for y in range(h)]
    cols = [area_line([rows[y][x] for y in range(h)], nh) for x in range(nw)]
    return [cols[x][y] for y in range(nh) for x in range(nw)]


def scaled(digit, factor):
    """The 28x28 digit (0..1 ink) scaled by factor, as (ink list, side)."""
    side = max(1, round(28 * factor))
    resize = bilinear if side >= 28 else area
    return resize([v / 255.0 for v in digit], 28, 28, side, side), side


def place(ink, side, canvas_w, canvas_h, x, y):
    """A canvas_w x canvas_h ink map with the side x side ink at (x, y) (clipped at the edges)."""
    out = [0.0] * (canvas_w * canvas_h)
    for r in range(side):
        for c in range(side):
            if 0 <= y + r < canvas_h and 0 <= x + c < canvas_w:
                out[(y + r) * canvas_w + x + c] = ink[r * side + c]
    return out


def clamp_byte(v):
    return max(0, min(255, int(round(v))))


def on_canvas(digit, factor, width, height, rng):
    """The digit scaled by factor at a random place on a width x height canvas, as an ink map."""
    ink, side = scaled(digit, factor)
    return place(ink, side, width, height, rng.randrange(0, width - side + 1), rng.randrange(0, height - side + 1))


def dark_on_white(digit, rng):
    canvas = on_canvas(digit, 3, 200, 160, rng)
    return 200, 160, 1, [clamp_byte(255 * (1 - v)) for v in canvas]


def blue_on_yellow(digit, rng):
    canvas = on_canvas(digit, 5, 240, 220, rng)
    paper, pen = (250, 235, 120), (20, 30, 140)
    samples = []
    for v in canvas:
        samples += [clamp_byte(paper[k] + v * (pen[k] - paper[k])) for k in range(3)] if v else paper
    return 240, 220, 3, samples


def black_on_transparent(digit, rng):
    canvas = on_canvas(digit, 2, 90, 120, rng)
    samples = []
    for v in canvas:
        samples += [0, clamp_byte(255 * v)]  # black, with the ink as its opacity
    return 90, 120, 2, samples


def uniform_noise_paper(digit, rng):
    canvas = on_canvas(digit, 1.6, 100, 100, rng)
    return 100, 100, 1, [clamp_byte(200 * (1 - v) + 15 * v + rng.uniform(-12, 12)) for v in canvas]


def gaussian_noise_paper(digit, rng):
    canvas = on_canvas(digit, 2, 110, 90, rng)
    return 110, 90, 1, [clamp_byte(200 * (1 - v) + 15 * v + rng.gauss(0, 8)) for v in canvas]


def shifted(digit, rng):
    ink = [v / 255.0 for v in digit]
    return 28, 28, 1, [clamp_byte(255 * v) for v in place(ink, 28, 28, 28, rng.randint(-4, 4), rng.randint(-4, 4))]


def inverted(digit, rng):
    return 28, 28, 1, [255 - v for v in digit]


def small_offcentre(digit, rng):
    canvas = on_canvas(digit, 0.6, 28, 28, rng)
    return 28, 28, 1, [clamp_byte(255 * v) for v in canvas]


# name -> function(digit, rng) giving (width, height, channels, samples). Each digit and variant has
# its own random stream, so any subset of variants (--only) gives the same files.
VARIANTS = [
    ("x3-offcentre-dark-on-white", dark_on_white),
    ("x5-blue-on-yellow", blue_on_yellow),
    ("x2-black-on-transparent", black_on_transparent),
    ("x1.6-uniform-noise-grey-paper", uniform_noise_paper),
    ("x2-gaussian-noise-grey-paper", gaussian_noise_paper),
    ("x1-shifted", shifted),
    ("x1-dark-on-white", inverted),
    ("x0.6-small-offcentre", small_offcentre),
]


def naive_28(width, height, channels, samples):
    """The whole canvas as grey (BT.601; alpha over white), area-averaged to 28x28, nothing else."""
    grey = []
    for p in range(width * height):
        s = samples[p * channels:(p + 1) * channels]
        if channels == 3:
            grey.append(0.299 * s[0] + 0.587 * s[1] + 0.114 * s[2])
        elif channels == 2:
            grey.append(s[0] * s[1] / 255.0 + 255 * (1 - s[1] / 255.0))
        else:
            grey.append(s[0])
    return [clamp_byte(v) for v in area(grey, width, height, 28, 28)]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["export", "variants", "score"])
    parser.add_argument("dir", nargs="?")
    parser.add_argument("--count", type=int, default=None)
    parser.add_argument("--data", default="data", help="folder with the MNIST .gz files [data]")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--only", action="append", help="make only this variant (repeatable)")
    args = parser.parse_args()

    if args.command == "score":
        totals = {}
        for line in sys.stdin:
            record = json.loads(line)
            if "file" not in record:
                continue
            folder = os.path.basename(os.path.dirname(record["file"]))
            parent = os.path.basename(os.path.dirname(os.path.dirname(record["file"])))
            if parent == "naive-28x28":
                folder = parent + "/" + folder
            truth = int(re.search(r"_(\d+)\.png$", record["file"]).group(1))
            right, seen, failed = totals.get(folder, (0, 0, 0))
            if "error" in record:
                failed += 1
            elif record["label"] == truth:
                right += 1
            totals[folder] = (right, seen + 1, failed)
        for folder, (right, seen, failed) in sorted(totals.items()):
            print("%-48s %5d images  accuracy %.4f  (%d correct, %d failed to read)" % (
                folder, seen, right / seen, right, failed))
        return

    if not args.dir:
        parser.error("DIR is needed")
    test_set, rows, cols = load_test_set(args.data)
    count = min(args.count or len(test_set), len(test_set))
    if args.command == "export":
        os.makedirs(os.path.join(args.dir, "as-is"), exist_ok=True)
        for i in range(count):
            digit, label = test_set[i]
            write_png(os.path.join(args.dir, "as-is", "%05d_%d.png" % (i, label)), cols, rows, 1, list(digit))
        return

    chosen = [(name, make) for (name, make) in VARIANTS if not args.only or name in args.only]
    for i in range(count):
        digit, label = test_set[i]
        for (name, make) in chosen:
            width, height, channels, samples = make(digit, random.Random("%d-%d-%s" % (args.seed, i, name)))
            folder = os.path.join(args.dir, name)
            os.makedirs(folder, exist_ok=True)
            write_png(os.path.join(folder, "%05d_%d.png" % (i, label)), width, height, channels, samples)
            if width != 28 or height != 28:
                naive = os.path.join(args.dir, "naive-28x28", name)
                os.makedirs(naive, exist_ok=True)
                write_png(os.path.join(naive, "%05d_%d.png" % (i, label)), 28, 28, 1,
                          naive_28(width, height, channels, samples))


if __name__ == "__main__":
    main()
