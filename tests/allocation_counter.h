// Replaces the global operator new and delete (standard C++, [new.delete]) so that a test can see every
// allocation: how many there were, the largest, and how many bytes are live at once (each block carries
// its size in a 16-byte header, which keeps the alignment operator new promises). Every form that pairs
// with another is replaced (plain and nothrow, single and array), so that no block is released by a form
// that did not make it: AddressSanitizer supplies its own of those left out. Include it in exactly one
// file of a test binary. Used to prove that training steps allocate nothing, that parsers never
// allocate what a lying header promises, and that buffers are sized by what is used (peak()).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>

namespace allocation_counter {
inline std::atomic<long>& count() {
    static std::atomic<long> value{0};
    return value;
}
inline std::atomic<size_t>& largest() {
    static std::atomic<size_t> value{0};
    return value;
}
// Bytes allocated and not yet freed, and the most there were since reset_peak().
inline std::atomic<size_t>& live() {
    static std::atomic<size_t> value{0};
    return value;
}
inline std::atomic<size_t>& peak() {
    static std::atomic<size_t> value{0};
    return value;
}
inline void reset_peak() { peak() = live().load(); }
constexpr size_t kHeader = 16;
// Released through one out-of-line function, so that g++ does not inline free() into delete-expressions and
// then warn (-Wmismatched-new-delete) about a pairing that is in fact ours on both sides.
[[gnu::noinline]] inline void release(void* p) noexcept {
    if (p == nullptr) return;
    unsigned char* block = static_cast<unsigned char*>(p) - kHeader;
    live().fetch_sub(*reinterpret_cast<size_t*>(block));
    std::free(block);
}
}  // namespace allocation_counter

void* operator new(std::size_t size) {
    allocation_counter::count().fetch_add(1);
    size_t seen = allocation_counter::largest().load();
    while (size > seen && !allocation_counter::largest().compare_exchange_weak(seen, size)) {}
    unsigned char* block = static_cast<unsigned char*>(std::malloc(size + allocation_counter::kHeader));
    if (block == nullptr) throw std::bad_alloc();
    *reinterpret_cast<size_t*>(block) = size;
    const size_t now = allocation_counter::live().fetch_add(size) + size;
    size_t top = allocation_counter::peak().load();
    while (now > top && !allocation_counter::peak().compare_exchange_weak(top, now)) {}
    return block + allocation_counter::kHeader;
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
    try {
        return ::operator new(size);
    } catch (...) {
        return nullptr;
    }
}
void* operator new[](std::size_t size) { return ::operator new(size); }
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept { return ::operator new(size, tag); }
void operator delete(void* p) noexcept { allocation_counter::release(p); }
void operator delete(void* p, std::size_t) noexcept { allocation_counter::release(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { allocation_counter::release(p); }
void operator delete[](void* p) noexcept { allocation_counter::release(p); }
void operator delete[](void* p, std::size_t) noexcept { allocation_counter::release(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { allocation_counter::release(p); }
