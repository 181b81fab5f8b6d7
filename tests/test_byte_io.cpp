// Tests for codec/byte_io, the byte order every file format goes through: each writer's exact bytes in both
// orders, each reader giving back what was written, and a read past the end refused with the file's name
// (never a read beyond the buffer). Not the formats themselves (their own tests). See docs/07-training.md.
#include <cstdint>
#include <string>
#include <vector>

#include "check.h"
#include "codec/byte_io.h"
#include "util/check.h"

using namespace mnist;

namespace {

using Bytes = std::vector<uint8_t>;

void test_free_functions() {
    const uint8_t p[8] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};
    CHECK(read_le16(p) == 0x0201);
    CHECK(read_be16(p) == 0x0102);
    CHECK(read_le32(p) == 0x04030201u);
    CHECK(read_be32(p) == 0x01020304u);
    CHECK(read_uint_le(p, 3) == 0x030201u);
    CHECK(read_uint_be(p, 3) == 0x010203u);
    CHECK(read_uint_le(p, 8) == 0x0807060504030201ull);
    CHECK(read_uint_be(p, 8) == 0x0102030405060708ull);
    const uint8_t high[4] = {0xFF, 0xFE, 0x80, 0x7F};  // bytes above 0x7F must not sign-extend
    CHECK(read_be32(high) == 0xFFFE807Fu);
    CHECK(read_le32(high) == 0x7F80FEFFu);

    uint8_t out[4] = {0, 0, 0, 0};
    write_le32(out, 0xA1B2C3D4u);
    CHECK(out[0] == 0xD4 && out[1] == 0xC3 && out[2] == 0xB2 && out[3] == 0xA1);
    write_uint_be(out, 0xA1B2C3D4u, 4);
    CHECK(out[0] == 0xA1 && out[1] == 0xB2 && out[2] == 0xC3 && out[3] == 0xD4);
    write_uint_be(out, 0x0102, 2);  // only `count` bytes are written
    CHECK(out[0] == 0x01 && out[1] == 0x02 && out[2] == 0xC3 && out[3] == 0xD4);
}

void test_writer() {
    ByteWriter w;
    w.u8(0xAB);
    w.u16(0x1234);
    w.u32(0x01020304u);
    w.be32(0x01020304u);
    w.u64(0x1122334455667788ull);
    w.f32(1.0f);   // 0x3F800000
    w.f64(-2.0);   // 0xC000000000000000
    w.raw("xy", 2);
    const Bytes expected = {0xAB, 0x34, 0x12, 0x04, 0x03, 0x02, 0x01, 0x01, 0x02, 0x03, 0x04,
                            0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x00, 0x00, 0x80, 0x3F,
                            0, 0, 0, 0, 0, 0, 0x00, 0xC0, 'x', 'y'};
    CHECK(w.bytes == expected);

    ByteReader r(w.bytes.data(), w.bytes.size(), "test.bin");
    CHECK(r.u8() == 0xAB);
    r.skip(2, "the u16");
    CHECK(r.u32() == 0x01020304u);
    CHECK(r.be32() == 0x01020304u);
    CHECK(r.u64() == 0x1122334455667788ull);
    CHECK(r.f32() == 1.0f);
    CHECK(r.f64() == -2.0);
    CHECK(r.position() == 31 && r.remaining() == 2);
}

// Every read checks its bytes first: a 3-byte buffer gives no u32, and the message names the file.
void test_truncation() {
    const Bytes three = {1, 2, 3};
    ByteReader r(three.data(), three.size(), "short.bin");
    bool thrown = false;
    try {
        r.u32();
    } catch (const InputError& e) {
        thrown = true;
        CHECK_MSG(std::string(e.what()).find("short.bin: truncated") == 0, std::string("message: ") + e.what());
    }
    CHECK(thrown);
    CHECK(r.position() == 0);  // nothing was consumed
    CHECK_THROWS(InputError, r.be32());
    CHECK_THROWS(InputError, r.u64());
    CHECK_THROWS(InputError, r.skip(4, "four bytes"));
    r.skip(3, "three bytes");
    CHECK(r.remaining() == 0);
    CHECK_THROWS(InputError, r.u8());

    const Bytes big = {0, 0, 0, 0, 1, 0, 0, 0};  // 2^32 as a u64
    ByteReader limit(big.data(), big.size(), "limit.bin");
    CHECK_THROWS(InputError, limit.u64_at_most(0xFFFFFFFFu, "a count"));
}

}  // namespace

int main() {
    test_free_functions();
    test_writer();
    test_truncation();
    return check_exit("test_byte_io");
}
