#!/usr/bin/env python3
"""The browser test of demo.html (docs/14-draw-a-digit.md): headless Chromium against `mnist predict`.

Opens demo.html#selftest in headless Chromium (--dump-dom). The page draws six digits and sixteen other
shapes through its own pointer handlers (mouse, pen and touch), loads each embedded test digit through its
button, clears the pad, times itself, and writes the results into the page. Then this script checks, for every case:

  * the PNG the page reports holds the very pixels it preprocessed (FNV-1a of the RGBA bytes);
  * `mnist predict --save-preprocessed` on that PNG makes the same 28x28 bytes as the page, byte for byte;
  * predict gives the same label (for a shape that is no digit, unless predict's top two are within 0.001),
    and probabilities within 0.01 (the page's weights are float16);
  * predict with a model rebuilt from the page's own weights (float16 -> float32) gives the same label and
    probabilities within 1e-5: the page's arithmetic is the C++ program's;
  * every embedded test digit, as stored (--no-preprocess), gets the same label from the page and predict,
    and its bytes are the test set's;
  * the page made with --weights float32 prepares the same bytes and is within 1e-5 of predict;
  * the int8 page (the model quantised by `mnist quantize`, then `mnist demo --model model-int8.bin`) holds
    model-int8.bin's numbers byte for byte, prepares the same bytes, and computes, for every case and every
    embedded test digit as stored, the same ten int32 scores as `mnist predict --json` with the int8 model
    (all ten, exactly), the same label and the same probabilities (within 1e-6); its requantize agrees with
    an exact integer formulation on 6,706 edge and random cases, either side of its switch from doubles
    to BigInt at 2^53 among them;

and that the page and report.html are offline (no URL, no external script; report.html no script at all),
that the default run and `mnist demo` write the same page, and that screenshots (desktop and phone) are not
blank: many colours, the drawn ink, and the orange bar of the answer (and, where Firefox is installed, a
Firefox screenshot of the self-test, checked the same way).

  python3 tests/browser/demo_page_test.py [--mnist ./mnist] [--data data] [--model M] [--runs N]
                                          [--screenshot-out FILE] [--keep DIR]

Without --model it trains a small model first (a few seconds); --model must be a float model (the test
quantises it for the int8 page, which needs the MNIST training images). Exit status 0 passed, 1 failed, 77 skipped
(no Chromium, Chromium cannot start here, or no MNIST files): CTest's skip code, as the C++ tests use.
Standard library only.
"""

import argparse
import base64
import gzip
import html
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib

SKIP = 77
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars"]
PROBABILITY_TOLERANCE_FLOAT16 = 0.01   # page (float16 weights) against the float32 model
PROBABILITY_TOLERANCE_SAME = 1e-5      # page against the C++ program with the page's own weights
PROBABILITY_TOLERANCE_INT8 = 1e-6      # int8 page against predict: the same scores, exp in JS and in C++
NEAR_TIE = 1e-3                        # see compare()
DRAWN = {"one": 1, "seven": 7, "zero": 0, "four": 4, "three": 3, "two": 2}


class Checks:
    def __init__(self):
        self.failed = []
        self.passed = 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed.append(what)
            print("FAILED: " + what)
        return ok


def skip(reason):
    print("SKIPPED: " + reason)
    sys.exit(SKIP)


def run(command, **kwargs):
    """Runs a command, returning its stdout; a failure ends the test with the command's output."""
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        print("FAILED: %s exited with %d\n%s%s" % (" ".join(command), result.returncode, result.stdout,
                                                   result.stderr))
        sys.exit(1)
    return result.stdout


# ------------------------------------------------------------------------------------------------------
# PNG, PGM and model files
# ------------------------------------------------------------------------------------------------------
def decode_png(data):
    """(width, height, channels, samples) of an 8-bit, non-interlaced grey, RGB or RGBA PNG."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour)
    if depth != 8 or channels is None or interlace != 0:
        raise ValueError("PNG with bit depth %d, colour type %d, interlace %d: not read here" % (depth, colour, interlace))
    raw, stride = zlib.decompress(idat), width * channels
    out, previous = bytearray(), bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, up_left = previous[i], previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - up_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else up_left)) & 255
        out += line
        previous = line
    return width, height, channels, bytes(out)


def fnv1a(data):
    value = 0x811C9DC5
    for byte in data:
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def write_pgm(path, width, height, pixels):
    with open(path, "wb") as f:
        f.write(b"P5\n%d %d\n255\n" % (width, height) + bytes(pixels))


def weights_block(page):
    """The weights JSON embedded in demo.html, as it is."""
    match = re.search(r'<script type="application/json" id="mnist-weights">(.*?)</script>', page, re.S)
    return json.loads(match.group(1))


def page_weights(page):
    """The float weights embedded in demo.html, decoded: (the JSON, [(weights, biases)])."""
    block = weights_block(page)
    layers = []
    for layer in block["layers"]:
        w, b = base64.b64decode(layer["weights"]), base64.b64decode(layer["bias"])
        code = {"float16": "e", "float32": "f"}[block["encoding"]]
        size = struct.calcsize(code)
        layers.append((struct.unpack("<%d%s" % (len(w) // size, code), w), struct.unpack("<%df" % (len(b) // 4), b)))
    return block, layers


def int8_model_fields(path):
    """model-int8.bin (src/quant/int8_model_file.h) as the page's JSON should hold it: (rows, cols, sizes, scales,
    [{"weights", "bias", "multipliers", "shifts"}: bytes]). The CRC is checked; the layout is read, not trusted."""
    data = open(path, "rb").read()
    if data[:8] != b"MNISTINT" or zlib.crc32(data[:-4]) != struct.unpack("<I", data[-4:])[0]:
        raise ValueError("%s: not an int8 model file, or its CRC is wrong" % path)
    version, rows, cols, count = struct.unpack("<IIII", data[8:24])
    sizes = struct.unpack("<%dI" % count, data[24:24 + 4 * count])
    pos = 24 + 4 * count
    scales = {0: "per-row", 1: "per-tensor"}[data[pos]]
    pos += 5  # the scale kind and the float model's CRC
    layers = []
    for n, m in zip(sizes, sizes[1:]):
        fields = {}
        for key, size in (("weights", n * m), ("bias", 4 * m), ("multipliers", 4 * m), ("shifts", m)):
            fields[key] = data[pos:pos + size]
            pos += size
        layers.append(fields)
    if pos != len(data) - 4:
        raise ValueError("%s: %d bytes, not the %d its sizes make" % (path, len(data), pos + 4))
    return rows, cols, list(sizes), scales, layers


def requantize_exact(total, multiplier, shift):
    """requantize (src/quant/int8_model.cpp) in Python's exact integers, written another way: the quotient and
    remainder of |total| x multiplier by 2^shift, rounded half away from zero, the sign put back, saturated."""
    quotient, remainder = divmod(abs(total) * multiplier, 1 << shift)
    if 2 * remainder >= 1 << shift:
        quotient += 1
    value = -quotient if total < 0 else quotient
    return max(-(1 << 31), min((1 << 31) - 1, value))


def write_model(path, rows, cols, sizes, layers):
    """model.bin (src/nn/model_file.h): magic, version 1, rows, cols, sizes, float32 parameters, CRC-32."""
    body = b"MNISTMLP" + struct.pack("<IIII", 1, rows, cols, len(sizes)) + struct.pack("<%dI" % len(sizes), *sizes)
    for weights, biases in layers:
        body += struct.pack("<%df" % len(weights), *weights) + struct.pack("<%df" % len(biases), *biases)
    with open(path, "wb") as f:
        f.write(body + struct.pack("<I", zlib.crc32(body)))


def test_set_digit(data_dir, index, size):
    """Test image `index` as bytes, from data_dir's t10k-images-idx3-ubyte(.gz), or None without the file."""
    for name, opener in (("t10k-images-idx3-ubyte", open), ("t10k-images-idx3-ubyte.gz", gzip.open)):
        path = os.path.join(data_dir, name)
        if os.path.exists(path):
            with opener(path, "rb") as f:
                f.seek(16 + index * size)
                return f.read(size)
    return None


# ------------------------------------------------------------------------------------------------------
# Chromium
# ------------------------------------------------------------------------------------------------------
def find_chromium(given):
    for name in ([given] if given else []) + [os.environ.get("CHROMIUM", ""), "chromium", "chromium-browser",
                                              "google-chrome"]:
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def chromium(binary, work, extra, url, timeout=180):
    """Runs headless Chromium with a fresh profile; returns (exit status, stdout, stderr)."""
    profile = tempfile.mkdtemp(prefix="profile-", dir=work)
    try:
        result = subprocess.run([binary] + CHROMIUM_FLAGS + ["--user-data-dir=" + profile] + extra + [url],
                                capture_output=True, text=True, timeout=timeout)
        return result.returncode, result.stdout, result.stderr
    except subprocess.TimeoutExpired:
        return -1, "", "timed out after %d s" % timeout
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def self_test(binary, work, page_path):
    status, dom, errors = chromium(binary, work, ["--dump-dom"], "file://" + page_path + "#selftest")
    match = re.search(r'<pre id="selftest-results"[^>]*>(.*?)</pre>', dom, re.S)
    if status != 0 or not match or not match.group(1).strip():
        print("FAILED: no self-test results from Chromium (exit %d)\n%s" % (status, errors[-3000:]))
        sys.exit(1)
    return json.loads(html.unescape(match.group(1)))


def screenshot_checks(checks, path, what):
    width, height, channels, samples = decode_png(open(path, "rb").read())
    colours = {}
    for i in range(0, len(samples), channels):
        key = samples[i:i + 3]
        colours[key] = colours.get(key, 0) + 1
    total = width * height
    common = max(colours.values())
    checks.check(len(colours) >= 64, "%s: only %d colours" % (what, len(colours)))
    checks.check(total - common >= total // 10, "%s: %d of %d pixels differ from the commonest colour"
                 % (what, total - common, total))
    checks.check(colours.get(b"\xff\xff\xff", 0) >= 500 and colours.get(b"\x00\x00\x00", 0) >= 5000,
                 "%s: no drawn digit (white ink on the black pad)" % what)
    checks.check(colours.get(b"\xe0\x7b\x00", 0) >= 100, "%s: no answer (the orange bar, #e07b00)" % what)
    return width, height, len(colours)


# ------------------------------------------------------------------------------------------------------
# The comparisons
# ------------------------------------------------------------------------------------------------------
def offline_checks(checks, page, page_bytes, name):
    """No URL of any kind, no external script or style sheet; and the size the page states is its own."""
    for pattern, what in ((r"https?:", "a URL"), (r"<script[^>]*\bsrc=", "an external script"), (r"<link\b", "a link"),
                          (r"@import|url\(", "a style sheet import"), (r"<iframe|<img|<object|<embed", "an embedded object"),
                          (r"\bfetch\(|XMLHttpRequest|WebSocket|import\(", "a network request")):
        checks.check(not re.search(pattern, page), "%s has %s" % (name, what))
    stated = re.search(r"<p>([\d,]+) bytes, one file", page)
    checks.check(stated and int(stated.group(1).replace(",", "")) == page_bytes, "%s misstates its size" % name)


def predict(mnist, model, files, extra):
    """{file: json} from `mnist predict --json`."""
    out = run([mnist, "predict", "--model", model, "--json"] + extra + files)
    return {entry["file"]: entry for entry in map(json.loads, out.splitlines())}


def compare(checks, what, page_probabilities, page_label, answer, tolerance, near_tie_allowed=False):
    """The page's label and probabilities against one predict --json answer; returns the largest difference.
    With near_tie_allowed, the labels may differ where predict's two most probable classes are within
    NEAR_TIE of each other (a scribble that is no digit, with float16 weights)."""
    top = answer["top"]
    near_tie = near_tie_allowed and len(top) > 1 and top[0]["probability"] - top[1]["probability"] < NEAR_TIE
    checks.check(answer["label"] == page_label or near_tie,
                 "%s: the page says %d, predict %d" % (what, page_label, answer["label"]))
    largest = 0.0
    for top in answer["top"]:
        largest = max(largest, abs(top["probability"] - page_probabilities[top["label"]]))
    checks.check(largest <= tolerance, "%s: probabilities differ by %.3g (tolerance %g)" % (what, largest, tolerance))
    return largest


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mnist", default="./mnist")
    parser.add_argument("--data", default="data")
    parser.add_argument("--model", help="a trained model.bin (default: train a small one)")
    parser.add_argument("--chromium", help="the browser (default: $CHROMIUM, chromium, chromium-browser)")
    parser.add_argument("--runs", type=int, default=1, help="self-test runs, for the timings' medians")
    parser.add_argument("--screenshot-out", help="copy the desktop screenshot here")
    parser.add_argument("--keep", help="work in this folder and keep it (default: a temporary folder, removed)")
    args = parser.parse_args()
    mnist = os.path.abspath(args.mnist)

    binary = find_chromium(args.chromium)
    if not binary:
        skip("no Chromium found (install Debian's chromium package, or set CHROMIUM=/path/to/chrome)")
    work = os.path.abspath(args.keep) if args.keep else tempfile.mkdtemp(prefix="demo-page-test-")
    os.makedirs(work, exist_ok=True)
    try:
        status, _, errors = chromium(binary, work, ["--dump-dom"], "about:blank", timeout=60)
        if status != 0:
            skip("%s cannot run here (exit %d): %s" % (binary, status, (errors.strip().splitlines() or [""])[-1]))
        return test(args, mnist, binary, work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def test(args, mnist, binary, work):
    checks = Checks()
    data_ok = os.path.exists(os.path.join(args.data, "t10k-images-idx3-ubyte.gz")) or \
        os.path.exists(os.path.join(args.data, "t10k-images-idx3-ubyte"))
    page_path = os.path.join(work, "demo.html")
    if args.model:
        model = os.path.abspath(args.model)
        run([mnist, "demo", "--model", model, "--out", page_path] + (["--data", args.data] if data_ok else []))
    else:
        if not data_ok:
            skip("no MNIST files in %s to train a model on (or give --model)" % args.data)
        # A small model from the default run, which writes demo.html beside report.html ...
        start = time.time()
        run_dir = os.path.join(work, "run")
        run([mnist, "--data", args.data, "--out", run_dir, "--epochs", "2", "--limit", "6000", "--val-size", "1000",
             "--no-eda", "--quiet", "--checkpoint-every", "0"])
        print("trained a small model in %.0f s" % (time.time() - start))
        model = os.path.join(run_dir, "model.bin")
        # ... and `mnist demo` must write the same page.
        run([mnist, "demo", "--model", model, "--data", args.data, "--out", page_path])
        same = open(page_path, "rb").read() == open(os.path.join(run_dir, "demo.html"), "rb").read()
        checks.check(same, "the default run's demo.html differs from mnist demo's")
        report = open(os.path.join(run_dir, "report.html"), encoding="utf-8").read()
        checks.check("<script" not in report, "report.html has a script")
    page = open(page_path, encoding="utf-8").read()
    page_bytes = os.path.getsize(page_path)
    offline_checks(checks, page, page_bytes, "demo.html")

    runs = [self_test(binary, work, page_path) for _ in range(max(1, args.runs))]
    results = runs[0]
    checks.check(not results["errors"], "the page reported errors: %s" % results["errors"])
    cases = results["cases"]
    digits = results["raw_digits"]
    kinds = [case["kind"] for case in cases]
    checks.check({c["name"] for c in cases if c["kind"] == "digit"} == set(DRAWN) and kinds.count("shape") >= 10
                 and kinds.count("test digit") == len(digits), "the cases are not the six digits, the shapes and "
                 "the test digits: %s" % [c["name"] for c in cases])
    checks.check({c["pointer"] for c in cases} >= {"mouse", "pen", "touch"}, "not every pointer type drew")
    checks.check(results["cleared"]["blank"] and results["cleared"]["no_digit"], "Clear left the pad or the answer")
    if data_ok:
        checks.check(len(digits) == 10, "%d test digits in the page, not 10" % len(digits))

    # Each case's pad as a PNG file: the pixels the page used (FNV-1a), a digit for every drawing.
    case_dir, seen_dir = os.path.join(work, "cases"), os.path.join(work, "seen")
    os.makedirs(case_dir)
    files = []
    for case in cases:
        png = base64.b64decode(case["png"].split(",", 1)[1])
        width, height, channels, samples = decode_png(png)
        if channels == 3:  # opaque: the page's RGBA has alpha 255 everywhere
            samples = b"".join(samples[i:i + 3] + b"\xff" for i in range(0, len(samples), 3))
        checks.check(channels in (3, 4) and (width, height) == (case["width"], case["height"])
                     and fnv1a(samples) == case["rgba_fnv1a"], "%s: the PNG does not hold the page's pixels" % case["name"])
        checks.check(not case["no_digit"], "%s: the page found no digit" % case["name"])
        path = os.path.join(case_dir, case["name"] + ".png")
        open(path, "wb").write(png)
        files.append(path)

    # predict on the same pixels: the same 28x28 bytes, the same label, close probabilities.
    answers = predict(mnist, model, files, ["--save-preprocessed", seen_dir])
    case_answers = answers
    block, layers = page_weights(page)
    rows, cols = block["rows"], block["cols"]
    same_model = os.path.join(work, "page-weights.bin")
    write_model(same_model, rows, cols, block["sizes"], layers)
    same_answers = predict(mnist, same_model, files, [])
    largest_float16, largest_same, byte_differences, by_kind = 0.0, 0.0, 0, {}
    recognised = []
    for case, path in zip(cases, files):
        page_pixels = base64.b64decode(case["pixels"])
        w, h, channels, seen = decode_png(open(os.path.join(seen_dir, case["name"] + ".png"), "rb").read())
        differing = sum(a != b for a, b in zip(seen, page_pixels))
        byte_differences += differing
        checks.check((w, h, channels) == (cols, rows, 1) and differing == 0,
                     "%s: %d of the 28x28 bytes differ from predict's" % (case["name"], differing))
        difference = compare(checks, case["name"], case["probabilities"], case["label"], answers[path],
                             PROBABILITY_TOLERANCE_FLOAT16, case["kind"] == "shape")
        largest_float16 = max(largest_float16, difference)
        by_kind[case["kind"]] = max(by_kind.get(case["kind"], 0.0), difference)
        largest_same = max(largest_same, compare(checks, case["name"] + " (the page's weights)", case["probabilities"],
                                                 case["label"], same_answers[path], PROBABILITY_TOLERANCE_SAME))
        if case["kind"] == "digit":
            recognised.append("%s -> %d" % (case["name"], case["label"]))

    # The embedded test digits as stored: the page's answers against predict --no-preprocess.
    digit_dir = os.path.join(work, "digits")
    os.makedirs(digit_dir)
    digit_files = []
    for digit in digits:
        pixels = base64.b64decode(digit["pixels"])
        path = os.path.join(digit_dir, "test-%d.pgm" % digit["index"])
        write_pgm(path, cols, rows, pixels)
        digit_files.append(path)
        if data_ok:
            checks.check(test_set_digit(args.data, digit["index"], rows * cols) == pixels,
                         "test digit %d: the page's bytes are not the test set's" % digit["index"])
    if digit_files:
        answers = predict(mnist, model, digit_files, ["--no-preprocess"])
        same_answers = predict(mnist, same_model, digit_files, ["--no-preprocess"])
        for digit, path in zip(digits, digit_files):
            what = "test digit %d as stored" % digit["index"]
            largest_float16 = max(largest_float16, compare(checks, what, digit["probabilities"], digit["predicted"],
                                                           answers[path], PROBABILITY_TOLERANCE_FLOAT16))
            largest_same = max(largest_same, compare(checks, what + " (the page's weights)", digit["probabilities"],
                                                     digit["predicted"], same_answers[path], PROBABILITY_TOLERANCE_SAME))

    # The same page with float32 weights: the same pixels, and now the float32 model's probabilities.
    page32 = os.path.join(work, "demo-float32.html")
    run([mnist, "demo", "--model", model, "--out", page32, "--weights", "float32"] + (["--data", args.data] if data_ok else []))
    results32 = self_test(binary, work, page32)
    checks.check(not results32["errors"] and results32["encoding"] == "float32", "the float32 page failed: %s"
                 % results32["errors"])
    largest_float32 = 0.0
    for case, case32, path in zip(cases, results32["cases"], files):
        checks.check(case32["rgba_fnv1a"] == case["rgba_fnv1a"] and case32["pixels"] == case["pixels"],
                     "%s: the float32 page drew or prepared other pixels" % case["name"])
        largest_float32 = max(largest_float32, compare(checks, case["name"] + " (float32 page)", case32["probabilities"],
                                                       case32["label"], case_answers[path], PROBABILITY_TOLERANCE_SAME))

    # The int8 page: the model quantised, its page, the same pixels, the same integer scores as predict's.
    int8 = test_int8(args, mnist, binary, work, checks, model, data_ok, cases, files, digits, digit_files)

    # Screenshots, desktop and phone sized, after the self-test has drawn; and the int8 page's.
    shots = []
    for name, size, shot_page in (("desktop", "1100,1000", page_path), ("phone", "412,915", page_path),
                                  ("int8 desktop", "1100,1000", int8["page_path"] if int8 else None)):
        if not shot_page:
            continue
        path = os.path.join(work, "screenshot-%s.png" % name.replace(" ", "-"))
        status, _, errors = chromium(binary, work, ["--window-size=" + size, "--screenshot=" + path],
                                     "file://" + shot_page + "#selftest")
        if checks.check(status == 0 and os.path.exists(path), "no %s screenshot: %s" % (name, errors[-500:])):
            width, height, colours = screenshot_checks(checks, path, name + " screenshot")
            shots.append("%s %dx%d (%d colours)" % (name, width, height, colours))
    # Firefox, where installed (CI does not install it): the page must run and draw there too.
    firefox = shutil.which("firefox-esr") or shutil.which("firefox")
    if firefox:
        path, profile = os.path.join(work, "screenshot-firefox.png"), tempfile.mkdtemp(prefix="firefox-", dir=work)
        try:
            result = subprocess.run([firefox, "--headless", "--no-remote", "--profile", profile, "--window-size=1100,1000",
                                     "--screenshot", path, "file://" + page_path + "#selftest"],
                                    capture_output=True, text=True, timeout=180)
            status = result.returncode
        except subprocess.TimeoutExpired:
            status = -1
        if checks.check(status == 0 and os.path.exists(path), "no Firefox screenshot (exit %d)" % status):
            width, height, colours = screenshot_checks(checks, path, "Firefox screenshot")
            shots.append("Firefox %dx%d (%d colours)" % (width, height, colours))
    else:
        shots.append("Firefox not installed, not tried")
    if args.screenshot_out and os.path.exists(os.path.join(work, "screenshot-desktop.png")):
        shutil.copyfile(os.path.join(work, "screenshot-desktop.png"), args.screenshot_out)

    def middle(key, of=runs):
        values = sorted(r["timing"][key] for r in of)
        return values[len(values) // 2]

    print("browser: %s" % results["user_agent"])
    print("demo.html: %d bytes; weights %s, %d bytes as base64; %d test digits" % (
        page_bytes, block["encoding"], sum(len(l["weights"]) + len(l["bias"]) for l in block["layers"]), len(digits)))
    print("drawn: %s" % ", ".join(recognised))
    print("28x28 bytes against predict's: %d cases, %d bytes differ" % (len(cases), byte_differences))
    print("probabilities: within %.2g of predict's (float32 model; %s), within %.2g with the page's own weights; "
          "the float32 page within %.2g" % (largest_float16, ", ".join("%ss %.2g" % (kind, value) for kind, value in
                                                                      sorted(by_kind.items())),
                                            largest_same, largest_float32))
    print("timings (median of %d page loads): first prediction %.0f ms after opening (script starts at %.0f ms, "
          "weights decoded at %.0f ms); one update %.2f ms (preprocessing %.2f ms, network %.3f ms), means of 40" % (
              len(runs), middle("first_prediction_ms"), middle("script_start_ms"), middle("weights_decoded_ms"),
              middle("update_ms_mean"), middle("preprocess_ms_mean"), middle("forward_ms_mean")))
    if int8:
        print("int8 page: %d bytes; weights int8, %d bytes as base64 (model-int8.bin's numbers, byte for byte)" % (
            int8["bytes"], int8["base64"]))
        print("int8 scores: %d cases and %d test digits as stored, %d of %d int32 scores equal to predict's; labels "
              "equal in all; probabilities within %.2g; requantize: %d cases, %d differ from the exact integers" % (
                  int8["cases"], int8["digits"], int8["scores_equal"], int8["scores"], int8["largest"],
                  int8["requantize_cases"], int8["requantize_wrong"]))
        print("int8 hidden outputs past the calibrated range, clamped at 255: %s" % (
            ", ".join(int8["saturated"]) or "in no case"))
        print("int8 timings (median of %d page loads): first prediction %.0f ms after opening (weights decoded at "
              "%.0f ms); one update %.2f ms (preprocessing %.2f ms, network %.3f ms), means of 40" % (
                  len(int8["runs"]), middle("first_prediction_ms", int8["runs"]), middle("weights_decoded_ms", int8["runs"]),
                  middle("update_ms_mean", int8["runs"]), middle("preprocess_ms_mean", int8["runs"]),
                  middle("forward_ms_mean", int8["runs"])))
    else:
        print("int8 page: not tested (quantising needs the MNIST training images in --data)")
    print("screenshots: %s" % "; ".join(shots))
    print("demo_page_test: %d checks passed, %d failed" % (checks.passed, len(checks.failed)))
    return 1 if checks.failed else 0


def test_int8(args, mnist, binary, work, checks, model, data_ok, cases, files, digits, digit_files):
    """The int8 page against the C++ int8 path: returns its figures, or None where it cannot be made (no
    training images to calibrate on). `cases`, `files`, `digits`, `digit_files`: the float page's, checked."""
    if not data_ok:
        return None
    int8_model = os.path.join(work, "model-int8.bin")
    run([mnist, "quantize", "--model", model, "--data", args.data, "--out", int8_model])
    run([mnist, "demo", "--model", int8_model, "--data", args.data])  # writes demo-int8.html beside it
    page_path = os.path.join(work, "demo-int8.html")
    page = open(page_path, encoding="utf-8").read()
    page_bytes = os.path.getsize(page_path)
    offline_checks(checks, page, page_bytes, "demo-int8.html")
    checks.check("The int8 network of this run" in page, "demo-int8.html does not say it holds the int8 model")

    # The embedded numbers are the file's, field by field.
    block = weights_block(page)
    rows, cols, sizes, scales, layers = int8_model_fields(int8_model)
    checks.check(block["encoding"] == "int8" and block["rows"] == rows and block["cols"] == cols and
                 block["sizes"] == sizes and block["scales"] == scales and block["score_fraction_bits"] == 16 and
                 len(block["layers"]) == len(layers), "demo-int8.html: its weights' header is not model-int8.bin's")
    for l, (fields, expected) in enumerate(zip(block["layers"], layers)):
        for key in ("weights", "bias", "multipliers", "shifts"):
            checks.check(base64.b64decode(fields[key]) == expected[key],
                         "demo-int8.html: layer %d's %s are not model-int8.bin's" % (l + 1, key))

    runs = [self_test(binary, work, page_path) for _ in range(max(1, args.runs))]
    results = runs[0]
    checks.check(not results["errors"] and results["encoding"] == "int8", "the int8 page failed: %s" % results["errors"])
    checks.check(len(results["cases"]) == len(cases) and len(results["raw_digits"]) == len(digits),
                 "the int8 page has %d cases and %d test digits, the float page %d and %d" % (
                     len(results["cases"]), len(results["raw_digits"]), len(cases), len(digits)))

    # Every case: the float page's pixels and bytes, and predict's ten scores exactly.
    answers = predict(mnist, int8_model, files, [])
    scores_equal, scores_total, largest = 0, 0, 0.0
    for case, case8, path in zip(cases, results["cases"], files):
        what = case["name"] + " (int8 page)"
        checks.check(case8["name"] == case["name"] and case8["rgba_fnv1a"] == case["rgba_fnv1a"] and
                     case8["pixels"] == case["pixels"], "%s: other pixels or bytes than the float page's" % what)
        expected = answers[path].get("scores")
        same = [a == b for a, b in zip(case8["scores"] or [], expected or [])]
        scores_equal += sum(same)
        scores_total += len(expected or [])
        checks.check(expected is not None and len(same) == len(expected) == sizes[-1] and all(same),
                     "%s: the page's scores %s, predict's %s" % (what, case8["scores"], expected))
        largest = max(largest, compare(checks, what, case8["probabilities"], case8["label"], answers[path],
                                       PROBABILITY_TOLERANCE_INT8))
    # The embedded test digits as stored.
    if digit_files:
        answers = predict(mnist, int8_model, digit_files, ["--no-preprocess"])
        for digit, digit8, path in zip(digits, results["raw_digits"], digit_files):
            what = "test digit %d as stored (int8 page)" % digit["index"]
            checks.check(digit8["pixels"] == digit["pixels"], "%s: other bytes than the float page's" % what)
            expected = answers[path].get("scores")
            same = [a == b for a, b in zip(digit8["scores"] or [], expected or [])]
            scores_equal += sum(same)
            scores_total += len(expected or [])
            checks.check(expected is not None and len(same) == len(expected) == sizes[-1] and all(same),
                         "%s: the page's scores %s, predict's %s" % (what, digit8["scores"], expected))
            largest = max(largest, compare(checks, what, digit8["probabilities"], digit8["predicted"], answers[path],
                                           PROBABILITY_TOLERANCE_INT8))

    # requantize alone, at its edges.
    wrong = [c for c in results.get("requantize", []) if requantize_exact(c[0], c[1], c[2]) != c[3]]
    checks.check(len(results.get("requantize", [])) >= 6000 and not wrong,
                 "the page's requantize: %d cases differ from the exact integers, e.g. %s" % (len(wrong), wrong[:3]))
    return {"page_path": page_path, "bytes": page_bytes, "runs": runs, "cases": len(cases), "digits": len(digit_files),
            "scores": scores_total, "scores_equal": scores_equal, "largest": largest,
            "base64": sum(len(v) for l in block["layers"] for v in l.values()),
            "requantize_cases": len(results.get("requantize", [])), "requantize_wrong": len(wrong),
            "saturated": ["%s %d" % (c["name"], c["saturated"]) for c in results["cases"] if c["saturated"]]}


if __name__ == "__main__":
    sys.exit(main())
