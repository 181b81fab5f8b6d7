#!/usr/bin/env python3
"""Writes the fuzzers' seed corpus and the hand-made nasty inputs of the regression corpus.

Seeds (fuzz/corpus/<harness>/): small valid files of each kind, so libFuzzer starts from inputs that get
deep into each parser: raw DEFLATE streams of each block type (fuzz_inflate), the same wrapped in gzip,
one with every optional header field (fuzz_gunzip), IDX files of 1 to 4 dimensions (fuzz_idx). The
DEFLATE streams come from Python's zlib, an implementation independent of ours. The model.bin seeds are
and checkpoint.bin seeds are made by their encoders (fuzz/make_binary_seeds.cpp). Regressions (tests/fuzz_regressions/<harness>/):
inputs whose headers promise far more than they hold; tests/test_fuzz_regressions.cpp replays both sets.
PNG seeds come from tests/tools/make_png_vectors.py's encoder; the fuzz_png_pixels seeds are that harness's
own layout (IHDR, PLTE and tRNS bodies, raw scanlines: see fuzz/entry_points.h).
Usage, from the top folder: python3 fuzz/make_corpus.py (or `make fuzz-corpus`, which also makes models).
"""

import os
import struct
import sys
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "tools"))
import make_png_vectors  # noqa: E402  (the PNG encoder tests/test_png.cpp's files come from)

TEXT = (b"Fuzzing feeds a parser bytes it never expected. The parser must refuse them with a reason, "
        b"never crash, never hang, never allocate what the header merely promises. ") * 2


def deflate(data, level=9, strategy=zlib.Z_DEFAULT_STRATEGY):
    c = zlib.compressobj(level, zlib.DEFLATED, -15, 9, strategy)
    return c.compress(data) + c.flush()


def gzip_member(raw_deflate, data, flags=0, extra=b"", name=b"", comment=b"", header_crc=False):
    """A gzip file around raw DEFLATE data, header fields built by hand (RFC 1952 section 2.3)."""
    flg = flags
    if extra:
        flg |= 4
    if name:
        flg |= 8
    if comment:
        flg |= 16
    if header_crc:
        flg |= 2
    header = bytes([0x1F, 0x8B, 8, flg]) + struct.pack("<I", 0) + bytes([0, 3])
    if extra:
        header += struct.pack("<H", len(extra)) + extra
    if name:
        header += name + b"\0"
    if comment:
        header += comment + b"\0"
    if header_crc:
        header += struct.pack("<H", zlib.crc32(header) & 0xFFFF)
    return header + raw_deflate + struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF)


def idx(dims, data=None):
    """An unsigned-byte IDX file: 0 0 0x08 ndims, big-endian sizes, then the bytes."""
    count = 1
    for d in dims:
        count *= d
    if data is None:
        data = bytes((i * 37) & 0xFF for i in range(count))
    return bytes([0, 0, 8, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims) + data


def png_chunk(kind, payload):
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def unusual_pngs():
    """Valid PNG files that a reader could wrongly refuse, each a 12x12 picture of a bar (ink on dark):
    zero-length and one-byte IDAT chunks, the zlib header and Adler-32 split across chunks, a suggested
    PLTE in an RGB image, ancillary and private chunks before and after the data, a small zlib window,
    stored (level 0) zlib data, every filter type, 1-bit samples in rows that end inside a byte, a
    256-entry palette with a shorter tRNS, Adam7 on images too small for some passes."""
    sig = b"\x89PNG\r\n\x1a\n"
    w = h = 12
    grey = [bytes(255 if 4 <= x < 8 and 2 <= y < 10 else 0 for x in range(w)) for y in range(h)]

    def ihdr(width, height, bits, colour_type, interlace=0):
        return png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, bits, colour_type, 0, 0, interlace))

    def scanlines(rows):
        return b"".join(b"\0" + r for r in rows)
    end = png_chunk(b"IEND", b"")
    z = zlib.compress(scanlines(grey), 9)
    files = {}
    files["unusual-zero-length-idats"] = (sig + ihdr(w, h, 8, 0) + png_chunk(b"IDAT", b"") + png_chunk(b"IDAT", z[:7]) +
                                          png_chunk(b"IDAT", b"") + png_chunk(b"IDAT", z[7:]) + end)
    files["unusual-one-byte-idats"] = sig + ihdr(w, h, 8, 0) + b"".join(png_chunk(b"IDAT", z[i:i + 1]) for i in range(len(z))) + end
    files["unusual-split-zlib-header"] = (sig + ihdr(w, h, 8, 0) + png_chunk(b"IDAT", z[:1]) + png_chunk(b"IDAT", z[1:-2]) +
                                          png_chunk(b"IDAT", z[-2:]) + end)
    rgb = [bytes(v for v in r for _ in range(3)) for r in grey]
    files["unusual-rgb-suggested-palette"] = (sig + ihdr(w, h, 8, 2) + png_chunk(b"sRGB", b"\0") +
                                              png_chunk(b"PLTE", bytes([0, 0, 0, 255, 255, 255])) +
                                              png_chunk(b"IDAT", zlib.compress(scanlines(rgb))) + end)
    files["unusual-ancillary-everywhere"] = (sig + ihdr(w, h, 8, 0) + png_chunk(b"gAMA", struct.pack(">I", 45455)) +
                                             png_chunk(b"cHRM", bytes(32)) + png_chunk(b"pHYs", bytes(8) + b"\1") +
                                             png_chunk(b"prVt", b"private, ancillary, unknown") + png_chunk(b"IDAT", z) +
                                             png_chunk(b"tIME", bytes([7, 230, 1, 1, 0, 0, 0])) +
                                             png_chunk(b"tEXt", b"Title\0a bar") + end)
    small_window = zlib.compressobj(9, zlib.DEFLATED, 9)
    files["unusual-zlib-window-512"] = (sig + ihdr(w, h, 8, 0) +
                                        png_chunk(b"IDAT", small_window.compress(scanlines(grey)) + small_window.flush()) + end)
    files["unusual-zlib-stored"] = sig + ihdr(w, h, 8, 0) + png_chunk(b"IDAT", zlib.compress(scanlines(grey), 0)) + end

    def filtered(rows):
        out, prior = b"", bytes(len(rows[0]))
        for y, row in enumerate(rows):
            kind = y % 5
            line = bytearray([kind])
            for i, x in enumerate(row):
                a = row[i - 1] if i else 0
                b = prior[i]
                c = prior[i - 1] if i else 0
                p = [0, a, b, (a + b) // 2, 0][kind]
                if kind == 4:
                    q = a + b - c
                    p = a if abs(q - a) <= abs(q - b) and abs(q - a) <= abs(q - c) else (b if abs(q - b) <= abs(q - c) else c)
                line.append((x - p) & 0xFF)
            out += bytes(line)
            prior = row
        return out
    files["unusual-every-filter"] = sig + ihdr(w, h, 8, 0) + png_chunk(b"IDAT", zlib.compress(filtered(grey))) + end
    bits = [bytes([sum((1 if 4 <= x < 8 and 2 <= y < 10 else 0) << (7 - (x % 8)) for x in range(k, min(k + 8, 13)))
                   for k in (0, 8)]) for y in range(h)]
    files["unusual-grey1-width13"] = sig + ihdr(13, h, 1, 0) + png_chunk(b"IDAT", zlib.compress(scanlines(bits))) + end
    palette = b"".join(bytes([i, i, i]) for i in range(256))
    indices = [bytes(200 if v else 3 for v in r) for r in grey]
    files["unusual-palette-256-short-trns"] = (sig + ihdr(w, h, 8, 3) + png_chunk(b"PLTE", palette) +
                                               png_chunk(b"tRNS", bytes([255, 255, 255, 0])) +
                                               png_chunk(b"IDAT", zlib.compress(scanlines(indices))) + end)
    for width, height in ((1, 1), (3, 2), (2, 9)):
        rows = b""
        for p in make_png_vectors.passes(width, height, True):
            for row in p:
                rows += b"\0" + bytes(255 if (x + y) % 2 else 0 for (x, y) in row)
        files["unusual-adam7-%dx%d" % (width, height)] = (sig + ihdr(width, height, 8, 0, 1) +
                                                           png_chunk(b"IDAT", zlib.compress(rows)) + end)
    return files


def write(folder, name, data):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)
    assert len(data) <= 4096, name  # seeds and regressions stay small


def main():
    # --- Seeds for the DEFLATE decoder: each block type, and several blocks in one stream.
    streams = {
        "stored": deflate(TEXT[:100], level=0),
        "fixed": deflate(TEXT, strategy=zlib.Z_FIXED),
        "dynamic": deflate(TEXT, level=9),
        "empty": deflate(b""),
        "runs": deflate(b"\0" * 3000 + b"ab" * 500),  # long back-references, distance 1 and 2
    }
    # Stored, fixed and dynamic blocks in one stream: a non-final stored block written by hand, then the
    # non-final fixed blocks of a full flush (which ends on a byte boundary), then a final dynamic block.
    first = b"stored part; "
    mixed = bytes([0x00]) + struct.pack("<HH", len(first), len(first) ^ 0xFFFF) + first
    c = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_FIXED)
    mixed += c.compress(b"fixed part, part, part; ") + c.flush(zlib.Z_FULL_FLUSH)
    mixed += deflate(TEXT)
    streams["mixed"] = mixed
    plain = {"stored": TEXT[:100], "fixed": TEXT, "dynamic": TEXT, "empty": b"",
             "runs": b"\0" * 3000 + b"ab" * 500, "mixed": b"stored part; fixed part, part, part; " + TEXT}
    for key, stream in streams.items():
        assert zlib.decompress(stream, -15) == plain[key], key
        write("fuzz/corpus/fuzz_inflate", key + ".deflate", stream)
        write("fuzz/corpus/fuzz_gunzip", key + ".gz", gzip_member(stream, plain[key]))
    write("fuzz/corpus/fuzz_gunzip", "all-header-fields.gz",
          gzip_member(streams["fixed"], TEXT, extra=b"AB\x02\x00xy", name=b"seed.txt", comment=b"a comment",
                      header_crc=True))
    write("fuzz/corpus/fuzz_gunzip", "idx3.gz", gzip_member(deflate(idx([3, 4, 4])), idx([3, 4, 4])))
    # Valid but unusual (issue 15): a file of several members, as `cat a.gz b.gz` makes (RFC 1952 2.2),
    # one of them empty and one with every header field.
    write("fuzz/corpus/fuzz_gunzip", "three-members.gz",
          gzip_member(streams["stored"], plain["stored"]) + gzip_member(streams["empty"], b"") +
          gzip_member(streams["fixed"], TEXT, name=b"b.txt", header_crc=True))

    # --- Seeds for the IDX parser: 1-D labels, 2-D, 3-D images, 4-D, and an empty 1-D file.
    write("fuzz/corpus/fuzz_idx", "labels-1d.idx", idx([10], bytes(range(10))))
    write("fuzz/corpus/fuzz_idx", "table-2d.idx", idx([3, 5]))
    write("fuzz/corpus/fuzz_idx", "images-3d.idx", idx([3, 4, 4]))
    write("fuzz/corpus/fuzz_idx", "volume-4d.idx", idx([2, 2, 3, 2]))
    write("fuzz/corpus/fuzz_idx", "empty-1d.idx", idx([0]))

    # --- Seeds for the PNG reader: each colour type and bit depth, plain and Adam7, tRNS, split IDAT.
    png = make_png_vectors.png
    for colour_type, bits in [(0, 1), (0, 8), (0, 16), (2, 8), (2, 16), (3, 2), (3, 8), (4, 8), (6, 8), (6, 16)]:
        write("fuzz/corpus/fuzz_png", "c%d-b%d.png" % (colour_type, bits), png(7, 5, colour_type, bits, False))
    for colour_type, bits in [(0, 4), (3, 1), (6, 8)]:
        write("fuzz/corpus/fuzz_png", "c%d-b%d-adam7.png" % (colour_type, bits), png(9, 6, colour_type, bits, True))
    write("fuzz/corpus/fuzz_png", "palette-trns.png", png(7, 5, 3, 4, False, trns=True))
    write("fuzz/corpus/fuzz_png", "grey16-trns.png", png(7, 5, 0, 16, False, trns=True))
    write("fuzz/corpus/fuzz_png", "rgb8-trns-adam7.png", png(7, 5, 2, 8, True, trns=True))
    write("fuzz/corpus/fuzz_png", "three-idat.png", png(7, 5, 2, 8, False, idat_pieces=3))
    write("fuzz/corpus/fuzz_png", "ancillary.png",
          png(7, 5, 0, 8, False, extra_chunks=[(b"gAMA", struct.pack(">I", 45455)), (b"tEXt", b"Comment\x00seed")]))
    # Valid but unusual files, each holding a digit-like bar so that predict's steps after decoding run on
    # them too (issue 15): what libpng reads must be read.
    for name, data in unusual_pngs().items():
        write("fuzz/corpus/fuzz_png", name + ".png", data)

    # --- Seeds for fuzz_png_pixels: IHDR body, a length byte and PLTE body, a length byte and tRNS body,
    # then scanlines (a filter byte, then the row's bytes), filters 0-4 in turn.
    def pixels_seed(width, height, colour_type, bits, interlace, plte=b"", trns=b""):
        ihdr = struct.pack(">IIBBBBB", width, height, bits, colour_type, 0, 0, interlace)
        channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour_type]
        rows = b""
        for p in make_png_vectors.passes(width, height, interlace == 1):
            pass_row = (len(p[0]) * channels * bits + 7) // 8 if p else 0
            for y in range(len(p)):
                rows += bytes([y % 5]) + bytes((x * 29 + y * 7) & 0xFF for x in range(pass_row))
        return ihdr + bytes([len(plte)]) + plte + bytes([len(trns)]) + trns + rows
    write("fuzz/corpus/fuzz_png_pixels", "grey8.bin", pixels_seed(6, 4, 0, 8, 0))
    write("fuzz/corpus/fuzz_png_pixels", "grey1-adam7.bin", pixels_seed(9, 7, 0, 1, 1))
    write("fuzz/corpus/fuzz_png_pixels", "grey16-trns.bin", pixels_seed(5, 3, 0, 16, 0, trns=b"\x01\x02"))
    write("fuzz/corpus/fuzz_png_pixels", "rgb8.bin", pixels_seed(5, 4, 2, 8, 0))
    write("fuzz/corpus/fuzz_png_pixels", "rgba16-adam7.bin", pixels_seed(6, 5, 6, 16, 1))
    write("fuzz/corpus/fuzz_png_pixels", "palette4-trns.bin",
          pixels_seed(7, 3, 3, 4, 0, plte=bytes(range(48)), trns=bytes([0, 128, 255])))
    write("fuzz/corpus/fuzz_png_pixels", "grey-alpha8.bin", pixels_seed(4, 4, 4, 8, 0))

    # --- Seeds for the PGM/PPM reader: P2, P3, P5, P6, comments, 16-bit samples.
    write("fuzz/corpus/fuzz_pnm", "p2.pgm", b"P2\n# a comment\n4 2\n15\n0 1 2 3\n15 14 13 12\n")
    write("fuzz/corpus/fuzz_pnm", "p3.ppm", b"P3 2 2 255 255 0 0  0 255 0  0 0 255  9 9 9\n")
    write("fuzz/corpus/fuzz_pnm", "p5.pgm", b"P5\n3 3\n255\n" + bytes([0, 40, 80, 120, 160, 200, 240, 255, 1]))
    write("fuzz/corpus/fuzz_pnm", "p5-16bit.pgm", b"P5 2 2 65535\n" + bytes([0, 1, 0xFF, 0xFF, 0x12, 0x34, 0, 0]))
    write("fuzz/corpus/fuzz_pnm", "p6.ppm", b"P6\n#c\n2 1\n255\n" + bytes([1, 2, 3, 250, 251, 252]))
    # Valid but unusual (issue 15): PBM bitmaps, plain (bits with and without spaces, a comment) and binary
    # (rows padded to whole bytes), and binary files of several images, of which the first is read.
    bar = [[1 if 3 <= x < 6 and 1 <= y < 9 else 0 for x in range(10)] for y in range(10)]
    write("fuzz/corpus/fuzz_pnm", "p1.pbm", b"P1\n# a bar\n10 10\n" +
          b"\n".join(b"".join(b"%d" % v for v in row) if y % 2 else b" ".join(b"%d" % v for v in row)
                     for y, row in enumerate(bar)) + b"\n")
    packed = b"".join(bytes([sum(v << (7 - i) for i, v in enumerate(row[:8])), sum(v << (7 - i) for i, v in enumerate(row[8:]))])
                      for row in bar)
    write("fuzz/corpus/fuzz_pnm", "p4.pbm", b"P4\n10 10\n" + packed)
    write("fuzz/corpus/fuzz_pnm", "p5-two-images.pgm",
          b"P5\n3 3\n255\n" + bytes([0, 200, 0] * 3) + b"P5 2 1 65535\n" + bytes([1, 2, 3, 4]))
    write("fuzz/corpus/fuzz_pnm", "p4-p4.pbm", b"P4 10 10\n" + packed + b"P4 1 1\n\x80")

    # --- Hand-made nasty inputs, kept as regressions. Each must be refused with InputError, cheaply.
    reg = "tests/fuzz_regressions/"
    small = deflate(TEXT)
    # ISIZE promises 1 GiB (and 4 GiB - 1) from a few hundred bytes: refused before allocating.
    write(reg + "fuzz_gunzip", "isize-1gib.gz", gzip_member(small, TEXT)[:-4] + struct.pack("<I", 1 << 30))
    write(reg + "fuzz_gunzip", "isize-4gib.gz", gzip_member(small, TEXT)[:-4] + struct.pack("<I", 0xFFFFFFFF))
    # ISIZE one byte short and one byte long of the truth; CRC-32 off by one bit.
    good = gzip_member(small, TEXT)
    write(reg + "fuzz_gunzip", "isize-short.gz", good[:-4] + struct.pack("<I", len(TEXT) - 1))
    write(reg + "fuzz_gunzip", "isize-long.gz", good[:-4] + struct.pack("<I", len(TEXT) + 1))
    write(reg + "fuzz_gunzip", "crc-flipped.gz", good[:-8] + bytes([good[-8] ^ 1]) + good[-7:])
    # An extra field longer than the file, a file name with no terminator, a second member after the first.
    write(reg + "fuzz_gunzip", "xlen-past-end.gz", bytes([0x1F, 0x8B, 8, 4, 0, 0, 0, 0, 0, 3, 0xFF, 0xFF, 1, 2]))
    write(reg + "fuzz_gunzip", "name-unterminated.gz", bytes([0x1F, 0x8B, 8, 8, 0, 0, 0, 0, 0, 3]) + b"x" * 40)
    write(reg + "fuzz_gunzip", "two-members.gz", good + good)
    # The header alone, and the header with a trailer but no DEFLATE data.
    write(reg + "fuzz_gunzip", "header-only.gz", good[:10])
    write(reg + "fuzz_gunzip", "no-deflate-data.gz", good[:10] + good[-8:])

    # DEFLATE: reserved block type 3; stored LEN/NLEN mismatch; over-subscribed code-length code (all 19
    # lengths 1); a distance before the first byte; lengths 258 repeated until the 32 KiB buffer is full.
    write(reg + "fuzz_inflate", "block-type-3.deflate", bytes([0x07]))
    write(reg + "fuzz_inflate", "stored-nlen.deflate", bytes([0x01, 0x05, 0x00, 0x00, 0x00]) + b"hello")
    write(reg + "fuzz_inflate", "oversubscribed.deflate", bytes([0x05, 0xE0, 0xFF]) + b"\x49\x92\x24\x49\x92\x24\x49\x92")
    write(reg + "fuzz_inflate", "distance-too-far.deflate", bytes([0x63, 0x00, 0x42, 0x00]))
    write(reg + "fuzz_inflate", "fills-buffer.deflate", deflate(b"z" * 40000))
    write(reg + "fuzz_inflate", "empty.deflate", b"")
    assert zlib.decompress(deflate(b"z" * 40000), -15) == b"z" * 40000
    for name in ("block-type-3", "stored-nlen", "oversubscribed", "distance-too-far"):
        try:
            with open(reg + "fuzz_inflate/" + name + ".deflate", "rb") as f:
                zlib.decompress(f.read(), -15)
            raise SystemExit(name + ": zlib accepts it, so it is not the corrupt stream it claims to be")
        except zlib.error:
            pass

    # IDX: 2^32 - 1 images of 28 x 28 promised by a 16-byte header; four dimensions of 2^32 - 1, whose
    # product overflows 64 bits; 0 and 5 dimensions; 32-bit floats; data one byte short and one too long.
    write(reg + "fuzz_idx", "images-2to32.idx", idx([0xFFFFFFFF, 28, 28], b""))
    write(reg + "fuzz_idx", "dims-overflow-64bit.idx", idx([0xFFFFFFFF] * 4, b""))
    write(reg + "fuzz_idx", "product-2to32.idx", idx([65536, 65536], b"\0" * 16))  # 2^32: wraps a 32-bit size_t to 0
    write(reg + "fuzz_idx", "product-2to32-empty.idx", idx([65536, 65536], b""))
    write(reg + "fuzz_idx", "zero-dims.idx", bytes([0, 0, 8, 0]))
    write(reg + "fuzz_idx", "five-dims.idx", bytes([0, 0, 8, 5]) + b"\0\0\0\1" * 5 + b"x")
    write(reg + "fuzz_idx", "float-type.idx", bytes([0, 0, 0x0D, 1, 0, 0, 0, 1]) + b"\0\0\0\0")
    write(reg + "fuzz_idx", "short-data.idx", idx([3, 4, 4])[:-1])
    write(reg + "fuzz_idx", "long-data.idx", idx([3, 4, 4]) + b"\0")
    write(reg + "fuzz_idx", "header-cut.idx", idx([3, 4, 4])[:9])

    # model.bin: a layer of 2^24 x 2^24 units (2^48 weights); 2^24 + 1 units; 2^32 - 1 layer sizes; image
    # 65536 x 65536 (2^32: wraps a 32-bit size_t to 0) for a 1-input model; a NaN weight under a valid CRC.
    def model(rows, cols, sizes, params, crc=True):
        body = b"MNISTMLP" + struct.pack("<IIII", 1, rows, cols, len(sizes)) + b"".join(
            struct.pack("<I", s) for s in sizes) + b"".join(struct.pack("<f", p) for p in params)
        return body + struct.pack("<I", zlib.crc32(body) if crc else 0)
    write(reg + "fuzz_model", "units-2to24-squared.bin", model(4096, 4096, [1 << 24, 1 << 24], []))
    write(reg + "fuzz_model", "units-over-limit.bin", model(1, (1 << 24) + 1, [(1 << 24) + 1, 2], []))
    write(reg + "fuzz_model", "many-layers.bin", model(1, 1, [1, 1], [])[:20] + struct.pack("<I", 0xFFFFFFFF) + b"\0" * 16)
    write(reg + "fuzz_model", "image-2to32.bin", model(65536, 65536, [1, 1], [0.5, 0.25]))
    write(reg + "fuzz_model", "image-zero.bin", model(0, 5, [0, 1], [0.5]))
    write(reg + "fuzz_model", "nan-weight.bin", model(1, 2, [2, 1], [float("nan"), 1.0, 0.0]))
    write(reg + "fuzz_model", "inf-bias.bin", model(1, 2, [2, 1], [0.5, 1.0, float("inf")]))
    write(reg + "fuzz_model", "crc-wrong.bin", model(1, 2, [2, 1], [0.5, 1.0, 0.0], crc=False))
    write(reg + "fuzz_model", "one-size.bin", model(1, 2, [2], []))
    write(reg + "fuzz_model", "params-cut.bin", model(1, 2, [2, 1], [0.5, 1.0, 0.0])[:-6])
    write(reg + "fuzz_model", "magic-only.bin", b"MNISTMLP")

    # PNG: IHDR of 2^31 - 1 x 2^31 - 1 and 65535 x 65535 (over kMaxImagePixels), with a few bytes of data;
    # a chunk length of 2^31 - 1 in a 60-byte file; an Adam7 RGBA16 image promising far more data than
    # its IDAT holds (all with right CRCs).
    def chunk(kind, payload):
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))
    sig = b"\x89PNG\r\n\x1a\n"
    tail = chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    write(reg + "fuzz_png", "ihdr-2to31.png", sig + chunk(b"IHDR", struct.pack(">IIBBBBB", 0x7FFFFFFF, 0x7FFFFFFF, 8, 0, 0, 0, 0)) + tail)
    write(reg + "fuzz_png", "ihdr-65535-square.png", sig + chunk(b"IHDR", struct.pack(">IIBBBBB", 65535, 65535, 16, 6, 0, 0, 1)) + tail)
    write(reg + "fuzz_png", "ihdr-4096-rgba16-little-data.png",
          sig + chunk(b"IHDR", struct.pack(">IIBBBBB", 4096, 4096, 16, 6, 0, 0, 1)) + tail)
    write(reg + "fuzz_png", "chunk-length-2to31.png", sig + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 0, 0, 0, 0)) +
          struct.pack(">I", 0x7FFFFFFF) + b"IDAT" + b"\0" * 20)
    write(reg + "fuzz_png", "zero-width.png", sig + chunk(b"IHDR", struct.pack(">IIBBBBB", 0, 4, 8, 0, 0, 0, 0)) + tail)
    write(reg + "fuzz_png_pixels", "palette-index-past-plte.bin",
          struct.pack(">IIBBBBB", 4, 1, 8, 3, 0, 0, 0) + bytes([3]) + b"abc" + bytes([0]) + bytes([0, 0, 1, 2, 255]))
    write(reg + "fuzz_png_pixels", "rows-short.bin", struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 1) + b"\0\0" + b"\0" * 10)
    write(reg + "fuzz_png_pixels", "filter-5.bin", struct.pack(">IIBBBBB", 2, 1, 8, 0, 0, 0, 0) + b"\0\0" + bytes([5, 1, 2]))
    # PGM/PPM: 2^31 - 1 squared and 100000 x 100000 pixels promised by a short header; maxval 65536 and 0;
    # a plain file promising 10^6 samples and holding 3.
    write(reg + "fuzz_pnm", "side-2to31.pgm", b"P5 2147483647 2147483647 255\n\0\0\0")
    write(reg + "fuzz_pnm", "side-1e5.ppm", b"P6 100000 100000 255\n\0\0\0")
    write(reg + "fuzz_pnm", "side-overflow.pgm", b"P5 99999999999999999999 1 255\n\0")
    write(reg + "fuzz_pnm", "maxval-65536.pgm", b"P5 1 1 65536\n\0\0")
    write(reg + "fuzz_pnm", "maxval-0.pgm", b"P2 1 1 0\n0\n")
    write(reg + "fuzz_pnm", "plain-1e6-samples.pgm", b"P2 1000 1000 255\n1 2 3\n")
    write(reg + "fuzz_pnm", "comment-to-end.pgm", b"P5 # a comment that never ends")


if __name__ == "__main__":
    main()
