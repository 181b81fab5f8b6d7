#!/usr/bin/env python3
"""Writes the fuzzers' seed corpus and the hand-made nasty inputs of the regression corpus.

Seeds (fuzz/corpus/<harness>/): small valid files of each kind, so libFuzzer starts from inputs that get
deep into each parser: raw DEFLATE streams of each block type (fuzz_inflate), the same wrapped in gzip,
one with every optional header field (fuzz_gunzip), IDX files of 1 to 4 dimensions (fuzz_idx). The
DEFLATE streams come from Python's zlib, an implementation independent of ours. The model.bin seeds are
made by encode_model itself (fuzz/make_model_seeds.cpp). Regressions (tests/fuzz_regressions/<harness>/):
inputs whose headers promise far more than they hold; tests/test_fuzz_regressions.cpp replays both sets.
Usage, from the top folder: python3 fuzz/make_corpus.py (or `make fuzz-corpus`, which also makes models).
"""

import os
import struct
import zlib

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

    # --- Seeds for the IDX parser: 1-D labels, 2-D, 3-D images, 4-D, and an empty 1-D file.
    write("fuzz/corpus/fuzz_idx", "labels-1d.idx", idx([10], bytes(range(10))))
    write("fuzz/corpus/fuzz_idx", "table-2d.idx", idx([3, 5]))
    write("fuzz/corpus/fuzz_idx", "images-3d.idx", idx([3, 4, 4]))
    write("fuzz/corpus/fuzz_idx", "volume-4d.idx", idx([2, 2, 3, 2]))
    write("fuzz/corpus/fuzz_idx", "empty-1d.idx", idx([0]))

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


if __name__ == "__main__":
    main()
