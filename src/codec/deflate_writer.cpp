// The compressor, in three steps: `lz77_parse` turns the input into tokens (literal bytes, and copies of
// earlier bytes); `deflate_compress` cuts the tokens into blocks and sends each as a `fixed` or a `stored`
// block, whichever is shorter; `zlib_compress` wraps the result. Read it beside RFC 1951 and its decoder,
// codec/inflate.cpp: the vocabulary is the same. Measured: 0.1 s for a 1.3 MB image that is half noise.
#include "codec/deflate_writer.h"

#include <algorithm>

#include "codec/byte_io.h"
#include "codec/checksum.h"
#include "codec/deflate_tables.h"

namespace mnist {
namespace {

// Limits set by the format (RFC 1951 sections 3.2.4 and 3.2.5).
constexpr size_t kWindow = 32768;       // a copy reaches at most this far back
constexpr size_t kMinMatch = 3;         // the shortest copy a length symbol can express
constexpr size_t kMaxMatch = 258;       // the longest
constexpr size_t kMaxStored = 65535;    // a stored block's LEN is 16 bits
constexpr unsigned kEndOfBlock = 256;

// Our own choices: the hash table's size, and how many earlier positions with the same hash we try
// before settling for the best copy found so far (more tries: smaller output, more time).
constexpr int kHashBits = 15;
constexpr size_t kMaxTries = 32;

// The length and distance tables of RFC 1951 section 3.2.5 are shared with the decoder:
// codec/deflate_tables.h.

// One step of the LZ77 parse: a literal byte (distance 0, `length` holds the byte) or a copy of `length`
// bytes starting `distance` bytes back.
struct Token {
    uint16_t length;
    uint16_t distance;
};

// The index of the table entry whose range holds `value`: the last base <= value.
template <size_t N>
size_t symbol_index(const uint16_t (&base)[N], size_t value) {
    size_t i = 0;
    while (i + 1 < N && base[i + 1] <= value) ++i;
    return i;
}

// Format notes (RFC 1951 section 3.1.1): the output is a stream of bits packed into bytes least
// significant bit first. Numbers (header fields, extra bits, LEN) go least significant bit first; Huffman
// codes go most significant bit first, so put_code reverses them before packing.
struct BitWriter {
    std::vector<uint8_t> out;
    uint32_t buffer = 0;  // bits not yet in `out`, the oldest in bit 0
    int count = 0;        // how many (always < 8 between calls)
};

void put_bits(BitWriter& w, uint32_t value, int n) {  // n <= 16
    w.buffer |= value << w.count;
    w.count += n;
    while (w.count >= 8) {
        w.out.push_back(static_cast<uint8_t>(w.buffer & 0xFF));
        w.buffer >>= 8;
        w.count -= 8;
    }
}

void put_code(BitWriter& w, uint32_t code, int length) {
    uint32_t reversed = 0;
    for (int i = 0; i < length; ++i) reversed = (reversed << 1) | ((code >> i) & 1);
    put_bits(w, reversed, length);
}

// Pads with zero bits to the next byte boundary.
void flush_to_byte(BitWriter& w) {
    if (w.count > 0) put_bits(w, 0, 8 - w.count);
}

// Format notes (RFC 1951 section 3.2.6): the fixed literal/length code.
//   symbols    bits  codes
//   0-143      8     00110000  .. 10111111
//   144-255    9     110010000 .. 111111111
//   256-279    7     0000000   .. 0010111
//   280-287    8     11000000  .. 11000111
// Distance symbols 0-29 have fixed 5-bit codes equal to the symbol.
int fixed_bits(unsigned symbol) { return symbol < 144 ? 8 : symbol < 256 ? 9 : symbol < 280 ? 7 : 8; }

void put_fixed(BitWriter& w, unsigned symbol) {
    if (symbol < 144) put_code(w, 0x30 + symbol, 8);
    else if (symbol < 256) put_code(w, 0x190 + (symbol - 144), 9);
    else if (symbol < 280) put_code(w, symbol - 256, 7);
    else put_code(w, 0xC0 + (symbol - 280), 8);
}

// The bits a token costs in a fixed block.
size_t token_bits(const Token& t) {
    if (t.distance == 0) return static_cast<size_t>(fixed_bits(t.length));
    const size_t l = symbol_index(kLengthBase, t.length), d = symbol_index(kDistBase, t.distance);
    return static_cast<size_t>(fixed_bits(257 + static_cast<unsigned>(l))) + kLengthExtra[l] + 5 + kDistExtra[d];
}

// The input bytes a token stands for.
size_t token_span(const Token& t) { return t.distance == 0 ? 1 : t.length; }

// A hash of the 3 bytes at p (a multiplicative hash: the top kHashBits bits of the product).
uint32_t hash3(const uint8_t* p) {
    const uint32_t v = static_cast<uint32_t>(read_uint_le(p, 3));
    return (v * 2654435761u) >> (32 - kHashBits);
}

// LZ77 (RFC 1951 section 4 describes the idea): at each position, look for the longest earlier copy of
// the bytes that follow, at most kWindow back. Candidates are found through chains: head[h] is the latest
// position whose next 3 bytes hash to h, and prev[p % kWindow] the position before p with the same hash.
// Greedy: the longest copy found at a position is taken (zlib's "lazy" search, which sometimes defers a
// copy by one byte in the hope of a longer one, is left out). Copies may overlap the bytes they produce
// (distance 1 repeats one byte), which is how runs of background pixels become a few tokens.
std::vector<Token> lz77_parse(const uint8_t* data, size_t length) {
    constexpr size_t kNone = SIZE_MAX;
    std::vector<size_t> head(size_t(1) << kHashBits, kNone), prev(kWindow, kNone);
    const auto insert = [&](size_t p) {
        if (p + kMinMatch > length) return;
        const uint32_t h = hash3(data + p);
        prev[p % kWindow] = head[h];
        head[h] = p;
    };
    std::vector<Token> tokens;
    size_t pos = 0;
    while (pos < length) {
        size_t best_length = 0, best_distance = 0;
        if (pos + kMinMatch <= length) {
            const size_t limit = std::min(kMaxMatch, length - pos);
            size_t candidate = head[hash3(data + pos)];
            // Chains only ever point back, so each step moves to an older position; stop when it is out of
            // the window (its prev slot may since have been reused by a newer position).
            for (size_t tries = 0; candidate != kNone && pos - candidate <= kWindow && tries < kMaxTries; ++tries) {
                size_t n = 0;
                while (n < limit && data[candidate + n] == data[pos + n]) ++n;
                if (n > best_length) {
                    best_length = n;
                    best_distance = pos - candidate;
                    if (n == limit) break;
                }
                candidate = prev[candidate % kWindow];
            }
        }
        if (best_length >= kMinMatch) {
            tokens.push_back({static_cast<uint16_t>(best_length), static_cast<uint16_t>(best_distance)});
            for (size_t k = 0; k < best_length; ++k) insert(pos + k);
            pos += best_length;
        } else {
            tokens.push_back({data[pos], 0});
            insert(pos);
            ++pos;
        }
    }
    return tokens;
}

// Format notes (RFC 1951 section 3.2.4): a stored block's 3 header bits, then zero bits up to a byte
// boundary, LEN and NLEN (LEN with every bit inverted) as 16-bit little-endian numbers, then the LEN bytes.
void stored(BitWriter& w, bool final, const uint8_t* bytes, size_t length) {
    put_bits(w, final ? 1 : 0, 1);
    put_bits(w, 0, 2);  // BTYPE 00
    flush_to_byte(w);
    put_bits(w, static_cast<uint32_t>(length), 16);
    put_bits(w, static_cast<uint32_t>(~length & 0xFFFF), 16);
    w.out.insert(w.out.end(), bytes, bytes + length);
}

// Format notes (RFC 1951 sections 3.2.5 and 3.2.6): a fixed block's 3 header bits, then each token: a
// literal is its symbol; a copy is a length symbol and its extra bits, then a distance symbol and its
// extra bits. Symbol 256 ends the block.
void fixed(BitWriter& w, bool final, const Token* tokens, size_t count) {
    put_bits(w, final ? 1 : 0, 1);
    put_bits(w, 1, 2);  // BTYPE 01
    for (size_t i = 0; i < count; ++i) {
        const Token& t = tokens[i];
        if (t.distance == 0) {
            put_fixed(w, t.length);
            continue;
        }
        const size_t l = symbol_index(kLengthBase, t.length), d = symbol_index(kDistBase, t.distance);
        put_fixed(w, 257 + static_cast<unsigned>(l));
        put_bits(w, t.length - kLengthBase[l], kLengthExtra[l]);
        put_code(w, static_cast<uint32_t>(d), 5);
        put_bits(w, t.distance - kDistBase[d], kDistExtra[d]);
    }
    put_fixed(w, kEndOfBlock);
}

}  // namespace

std::vector<uint8_t> deflate_compress(const uint8_t* data, size_t length) {
    const std::vector<Token> tokens = lz77_parse(data, length);
    BitWriter w;
    // Blocks cover at most kMaxStored input bytes, so that each can fall back to one stored block. A
    // copy may reach into an earlier block whatever its type: the window is the output, not the block.
    size_t first = 0, start = 0;  // the block's first token, and the input position where it starts
    do {
        size_t last = first, end = start;
        size_t bits_if_fixed = 3 + static_cast<size_t>(fixed_bits(kEndOfBlock));
        while (last < tokens.size() && end - start + token_span(tokens[last]) <= kMaxStored) {
            bits_if_fixed += token_bits(tokens[last]);
            end += token_span(tokens[last]);
            ++last;
        }
        const bool final = last == tokens.size();
        const size_t padding = (8 - (static_cast<size_t>(w.count) + 3) % 8) % 8;
        const size_t bits_if_stored = 3 + padding + 32 + 8 * (end - start);
        if (bits_if_fixed <= bits_if_stored) fixed(w, final, tokens.data() + first, last - first);
        else stored(w, final, data + start, end - start);
        first = last;
        start = end;
    } while (first < tokens.size());
    flush_to_byte(w);
    return w.out;
}

// Format notes (RFC 1950 section 2.2): CMF is the method (8, DEFLATE) in its low 4 bits and the window
// size as log2(window) - 8 (7 for 32 KB) in its high 4 bits; FLG holds FLEVEL in its top 2 bits (0, "the
// fastest algorithm", is the honest label for ours), FDICT (no preset dictionary) and FCHECK, 5 bits that
// make CMF * 256 + FLG a multiple of 31. The stream ends with the Adler-32, most significant byte first.
std::vector<uint8_t> zlib_compress(const uint8_t* data, size_t length) {
    const unsigned cmf = (7u << 4) | 8u;
    unsigned flg = 0;  // FLEVEL 0, FDICT 0
    flg += 31 - (cmf * 256 + flg) % 31;
    ByteWriter out;
    out.u8(static_cast<uint8_t>(cmf));
    out.u8(static_cast<uint8_t>(flg));
    const std::vector<uint8_t> body = deflate_compress(data, length);
    out.raw(body.data(), body.size());
    out.be32(adler32(data, length));
    return std::move(out.bytes);
}

}  // namespace mnist
