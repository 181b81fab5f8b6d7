// The DEFLATE decoder: read it beside RFC 1951, from `bits` (3.1.1) at the top to `inflate_stream` (3.2.3)
// at the bottom. Not a compressor and not a streaming decoder. Codes are read a bit at a time, the plain
// way: a lookup table would halve the time (measured: 0.26 s to 0.12 s for the 47 MB of training images)
// but was left out, as a quarter second once at start-up is not worth the machinery. docs/appendix-a-gzip-deflate.md.
#include "codec/inflate.h"

#include <cstring>

#include "codec/byte_io.h"
#include "codec/deflate_tables.h"

namespace mnist {
namespace {

// Limits set by the format (RFC 1951 section 3.2.7 unless said otherwise).
constexpr int kMaxBits = 15;            // longest Huffman code, in bits
constexpr int kMaxLitLenCodes = 286;    // literal/length symbols a dynamic block may give lengths for
constexpr int kMaxDistCodes = 30;       // distance symbols a dynamic block may give lengths for
constexpr int kFixedLitLenCodes = 288;  // the fixed code (3.2.6) also gives codes to 286 and 287
constexpr int kCodeLengthCodes = 19;    // symbols of the code that sends the code lengths
constexpr int kEndOfBlock = 256;        // the literal/length symbol that ends a block (3.2.5)

// A canonical Huffman code, stored as puff.c stores it: how many codes there are of each length, and
// the symbols in code order. That is all a canonical code needs (RFC 1951 section 3.2.2), because the
// codes of each length are consecutive numbers that follow on from the codes one bit shorter.
struct Huffman {
    uint16_t count[kMaxBits + 1];        // count[len]: symbols with a len-bit code; count[0]: unused ones
    uint16_t symbol[kFixedLitLenCodes];  // the symbols ordered by code: shortest codes first, and within
                                         // one length by symbol value
};

// Everything the decoder knows, in one struct on the caller's stack.
struct State {
    uint8_t* out;  // output buffer: out[0 .. out_count) has been written
    size_t out_capacity;
    size_t out_count;

    const uint8_t* in;  // input: in[0 .. in_count) has been loaded into bit_buffer
    size_t in_length;
    size_t in_count;

    uint32_t bit_buffer;  // input bits not used yet, the next one in bit 0 (bits() keeps at most 23)
    int bit_count;
    bool truncated;  // set once bits() has been asked for bits past the end of the input
};

// The length and distance tables (RFC 1951 section 3.2.5) are in codec/deflate_tables.h.

// Format notes (RFC 1951 section 3.1.1): bytes are read as a stream of bits, each byte's least
// significant bit first. Every field except a Huffman code is a number stored least significant bit
// first, so the `need` bits at the bottom of the buffer are that number as it is. need is 0 to 16.
//
// Past the end of the input this returns 0 and sets s.truncated. Every caller checks s.truncated before
// it acts on what it read, so a cut-off stream is reported as input_truncated and never as whatever
// those made-up zero bits would have meant.
unsigned bits(State& s, int need) {
    while (s.bit_count < need) {
        if (s.in_count == s.in_length) {
            s.truncated = true;
            return 0;
        }
        s.bit_buffer |= uint32_t{s.in[s.in_count++]} << s.bit_count;
        s.bit_count += 8;
    }
    const unsigned value = s.bit_buffer & ((uint32_t{1} << need) - 1);
    s.bit_buffer >>= need;
    s.bit_count -= need;
    return value;
}

// Format notes (RFC 1951 section 3.2.4): a stored block ignores the rest of the current byte, then has
// LEN and NLEN, two 16-bit little-endian numbers where NLEN is LEN with every bit inverted, then LEN
// bytes to copy to the output as they are.
InflateResult stored(State& s) {
    // Drop the rest of the current byte. (bits() loads a byte only when it needs one, so between fields
    // bit_buffer holds less than a byte: the unused part of the last byte loaded.)
    s.bit_buffer = 0;
    s.bit_count = 0;

    if (s.in_length - s.in_count < 4) return InflateResult::input_truncated;
    const uint8_t* p = s.in + s.in_count;
    const unsigned len = read_le16(p), nlen = read_le16(p + 2);
    s.in_count += 4;
    if (len != (~nlen & 0xFFFF)) return InflateResult::stored_length_mismatch;

    if (len > s.in_length - s.in_count) return InflateResult::input_truncated;
    if (len > s.out_capacity - s.out_count) return InflateResult::output_full;
    if (len > 0) std::memcpy(s.out + s.out_count, s.in + s.in_count, len);
    s.in_count += len;
    s.out_count += len;
    return InflateResult::ok;
}

// Format notes (RFC 1951 section 3.2.2): Huffman codes are sent most significant bit first, the other
// way round from every other field, so they are read here one bit at a time, each bit appended at the
// bottom of `code`. In a canonical code, the codes of one length are consecutive numbers given to the
// symbols in order, starting where the codes one bit shorter left off, doubled. So after len bits, the
// codes of that length run from `first` to first + count[len] - 1, and whether `code` is among them
// tells whether the code is complete.
//
// Returns the symbol, or -1 when no code matches (the unused part of an incomplete code).
int decode(State& s, const Huffman& h) {
    int code = 0;   // the bits read so far
    int first = 0;  // the first code of length len
    int index = 0;  // where the symbols with codes of length len start in h.symbol
    for (int len = 1; len <= kMaxBits; ++len) {
        code |= static_cast<int>(bits(s, 1));
        const int count = h.count[len];
        if (code - first < count) return h.symbol[index + (code - first)];
        index += count;
        first = (first + count) << 1;
        code <<= 1;
    }
    return -1;
}

// Format notes (RFC 1951 section 3.2.2): a canonical Huffman code is fully given by each symbol's code
// length (0 = the symbol has no code). Builds h from length[0 .. n).
//
// Returns 0 when the code is complete (every bit pattern starts some code), a positive number when it
// is incomplete (some patterns start none), and a negative number when it is over-subscribed (the
// lengths ask for more codes than there are bit patterns: then h must not be used). All lengths 0
// counts as complete: such a code is legal as long as no symbol is ever decoded with it.
int construct(Huffman& h, const uint8_t* length, int n) {
    for (int len = 0; len <= kMaxBits; ++len) h.count[len] = 0;
    for (int symbol = 0; symbol < n; ++symbol) h.count[length[symbol]]++;
    if (h.count[0] == n) return 0;

    // `left` counts the bit patterns of length len not yet taken by a code: it doubles with each bit.
    int left = 1;
    for (int len = 1; len <= kMaxBits; ++len) {
        left = 2 * left - h.count[len];
        if (left < 0) return left;
    }

    // offset[len]: where the symbols with len-bit codes start in h.symbol.
    int offset[kMaxBits + 1];
    offset[1] = 0;
    for (int len = 1; len < kMaxBits; ++len) offset[len + 1] = offset[len] + h.count[len];
    for (int symbol = 0; symbol < n; ++symbol) {
        if (length[symbol] != 0) h.symbol[offset[length[symbol]]++] = static_cast<uint16_t>(symbol);
    }
    return left;
}

// Format notes (RFC 1951 section 3.2.5): a block's data is a sequence of literal/length symbols.
// 0..255 are literal bytes; 256 ends the block; 257..285 are lengths 3..258 (base plus extra bits), each
// followed by a distance symbol 0..29 (distances 1..32768, base plus extra bits). A length and distance
// pair means: copy `length` bytes, starting `distance` bytes back from the end of the output. The copy
// may overlap what it writes (distance < length), which repeats the last `distance` bytes; distance 1
// repeats one byte. Distances may reach back into earlier blocks, never before the first output byte.
InflateResult codes(State& s, const Huffman& lencode, const Huffman& distcode) {
    for (;;) {
        int symbol = decode(s, lencode);
        if (s.truncated) return InflateResult::input_truncated;
        if (symbol < 0) return InflateResult::invalid_symbol;

        if (symbol < 256) {  // a literal byte
            if (s.out_count == s.out_capacity) return InflateResult::output_full;
            s.out[s.out_count++] = static_cast<uint8_t>(symbol);
        } else if (symbol == kEndOfBlock) {
            return InflateResult::ok;
        } else {  // a length, then a distance
            symbol -= 257;
            if (symbol >= 29) return InflateResult::invalid_symbol;
            const size_t length = kLengthBase[symbol] + bits(s, kLengthExtra[symbol]);

            const int dist_symbol = decode(s, distcode);
            if (s.truncated) return InflateResult::input_truncated;
            if (dist_symbol < 0 || dist_symbol >= 30) return InflateResult::invalid_symbol;
            const size_t distance = kDistBase[dist_symbol] + bits(s, kDistExtra[dist_symbol]);
            if (s.truncated) return InflateResult::input_truncated;

            if (distance > s.out_count) return InflateResult::distance_too_far;
            if (length > s.out_capacity - s.out_count) return InflateResult::output_full;
            // Byte by byte, front to back: with overlap, later bytes copy ones this loop just wrote.
            const uint8_t* from = s.out + (s.out_count - distance);
            uint8_t* to = s.out + s.out_count;
            for (size_t i = 0; i < length; ++i) to[i] = from[i];
            s.out_count += length;
        }
    }
}

// The two fixed codes of RFC 1951 section 3.2.6, built once on first use and never changed after.
struct FixedCodes {
    Huffman lencode, distcode;
};

FixedCodes make_fixed_codes() {
    FixedCodes fixed{};
    uint8_t length[kFixedLitLenCodes];
    int symbol = 0;
    for (; symbol < 144; ++symbol) length[symbol] = 8;
    for (; symbol < 256; ++symbol) length[symbol] = 9;
    for (; symbol < 280; ++symbol) length[symbol] = 7;
    for (; symbol < kFixedLitLenCodes; ++symbol) length[symbol] = 8;
    construct(fixed.lencode, length, kFixedLitLenCodes);  // complete

    // 30 distance codes of 5 bits: incomplete on purpose, so the patterns for 30 and 31 decode to
    // nothing (invalid_symbol), the same answer as any other use of those symbols.
    for (symbol = 0; symbol < kMaxDistCodes; ++symbol) length[symbol] = 5;
    construct(fixed.distcode, length, kMaxDistCodes);
    return fixed;
}

// Format notes (RFC 1951 section 3.2.6): a fixed block's data is coded with codes the RFC fixes once
// and for all (literal/length: 0-143 8 bits, 144-255 9 bits, 256-279 7 bits, 280-287 8 bits;
// distance: 5 bits each), so it needs no header after BTYPE.
InflateResult fixed(State& s) {
    static const FixedCodes table = make_fixed_codes();
    return codes(s, table.lencode, table.distcode);
}

// Format notes (RFC 1951 section 3.2.7): a dynamic block starts with its own codes. HLIT (5 bits) + 257
// literal/length lengths and HDIST (5 bits) + 1 distance lengths are sent as one sequence, coded with a
// third Huffman code of 19 symbols: 0..15 are lengths, 16 repeats the previous length 3..6 times (2
// extra bits), 17 gives 3..10 zeros (3 extra bits), 18 gives 11..138 zeros (7 extra bits). That code's
// own lengths come first: HCLEN (4 bits) + 4 of them, 3 bits each, in the order kCodeLengthOrder
// (the symbols most often used first, so the rarely used ones can be left off the end).
InflateResult dynamic(State& s) {
    static constexpr uint8_t kCodeLengthOrder[kCodeLengthCodes] = {16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
                                                                   11, 4,  12, 3, 13, 2, 14, 1, 15};
    const int nlen = static_cast<int>(bits(s, 5)) + 257;
    const int ndist = static_cast<int>(bits(s, 5)) + 1;
    const int ncode = static_cast<int>(bits(s, 4)) + 4;
    if (s.truncated) return InflateResult::input_truncated;
    if (nlen > kMaxLitLenCodes || ndist > kMaxDistCodes) return InflateResult::too_many_codes;

    // The code for the code lengths. It must be complete: an incomplete one has no use.
    uint8_t length[kMaxLitLenCodes + kMaxDistCodes];
    for (int i = 0; i < kCodeLengthCodes; ++i) {
        length[kCodeLengthOrder[i]] = static_cast<uint8_t>(i < ncode ? bits(s, 3) : 0);
    }
    if (s.truncated) return InflateResult::input_truncated;
    Huffman lencode, distcode;  // lencode holds the code-length code first, the literal/length code after
    int err = construct(lencode, length, kCodeLengthCodes);
    if (err < 0) return InflateResult::oversubscribed_code;
    if (err > 0) return InflateResult::incomplete_code;

    // The literal/length and distance code lengths, as one sequence.
    int index = 0;
    while (index < nlen + ndist) {
        const int symbol = decode(s, lencode);
        if (s.truncated) return InflateResult::input_truncated;
        if (symbol < 0) return InflateResult::invalid_symbol;
        if (symbol < 16) {
            length[index++] = static_cast<uint8_t>(symbol);
            continue;
        }
        uint8_t repeated = 0;
        int times = 0;
        if (symbol == 16) {
            if (index == 0) return InflateResult::bad_code_lengths_repeat;
            repeated = length[index - 1];
            times = 3 + static_cast<int>(bits(s, 2));
        } else if (symbol == 17) {
            times = 3 + static_cast<int>(bits(s, 3));
        } else {
            times = 11 + static_cast<int>(bits(s, 7));
        }
        if (s.truncated) return InflateResult::input_truncated;
        if (times > nlen + ndist - index) return InflateResult::bad_code_lengths_repeat;
        while (times-- > 0) length[index++] = repeated;
    }

    // Without a code for end-of-block the block could never end.
    if (length[kEndOfBlock] == 0) return InflateResult::missing_end_of_block_code;

    // An incomplete literal/length or distance code is accepted only when it is a single code of one bit
    // (count[1] codes and nothing longer: count[0] + count[1] is all the symbols); RFC 1951 3.2.7 allows
    // that for the distance code, and zlib for both.
    err = construct(lencode, length, nlen);
    if (err < 0) return InflateResult::oversubscribed_code;
    if (err > 0 && nlen != lencode.count[0] + lencode.count[1]) return InflateResult::incomplete_code;
    err = construct(distcode, length + nlen, ndist);
    if (err < 0) return InflateResult::oversubscribed_code;
    if (err > 0 && ndist != distcode.count[0] + distcode.count[1]) return InflateResult::incomplete_code;

    return codes(s, lencode, distcode);
}

// Format notes (RFC 1951 section 3.2.3): a stream is a sequence of blocks. Each starts with BFINAL (1
// bit, set on the last block) and BTYPE (2 bits): 00 stored, 01 fixed Huffman codes, 10 dynamic Huffman
// codes, 11 reserved. A block's data may refer back into the blocks before it.
InflateResult inflate_stream(State& s) {
    unsigned last = 0;
    do {
        last = bits(s, 1);
        const unsigned type = bits(s, 2);
        if (s.truncated) return InflateResult::input_truncated;
        InflateResult r = InflateResult::bad_block_type;
        if (type == 0) r = stored(s);
        if (type == 1) r = fixed(s);
        if (type == 2) r = dynamic(s);
        if (r != InflateResult::ok) return r;
    } while (!last);
    return InflateResult::ok;
}

}  // namespace

const char* inflate_message(InflateResult r) {
    switch (r) {
        case InflateResult::ok: return "no error";
        case InflateResult::output_full: return "more output than the buffer holds";
        case InflateResult::input_truncated: return "the data ends before the final block does";
        case InflateResult::bad_block_type: return "block type 3, which is reserved";
        case InflateResult::stored_length_mismatch: return "stored block LEN and NLEN do not match";
        case InflateResult::too_many_codes: return "too many length or distance codes";
        case InflateResult::oversubscribed_code: return "over-subscribed Huffman code lengths";
        case InflateResult::incomplete_code: return "incomplete Huffman code lengths";
        case InflateResult::bad_code_lengths_repeat: return "code length repeat out of range";
        case InflateResult::missing_end_of_block_code: return "no code for end-of-block";
        case InflateResult::invalid_symbol: return "invalid literal/length or distance code";
        case InflateResult::distance_too_far: return "distance too far back";
    }
    return "unknown inflate result";
}

InflateResult inflate(uint8_t* dest, size_t dest_capacity, size_t* dest_length, const uint8_t* source,
                      size_t source_length, size_t* source_used) {
    State s{};
    s.out = dest;
    s.out_capacity = dest_capacity;
    s.in = source;
    s.in_length = source_length;
    const InflateResult r = inflate_stream(s);
    *dest_length = s.out_count;
    *source_used = s.in_count;
    return r;
}

}  // namespace mnist
