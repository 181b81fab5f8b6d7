// Replaces the global operator new and delete (standard C++, [new.delete]) so that a test can see every
// allocation: how many there were, and the largest. Include it in exactly one file of a test binary.
// Used to prove that training steps allocate nothing and that parsers never allocate what a lying header
// promises.
#pragma once

#include <algorithm>
#include <atomic>
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
// Released through one out-of-line function, so that g++ does not inline free() into delete-expressions and
// then warn (-Wmismatched-new-delete) about a pairing that is in fact ours on both sides.
[[gnu::noinline]] inline void release(void* p) noexcept { std::free(p); }
}  // namespace allocation_counter

void* operator new(std::size_t size) {
    allocation_counter::count().fetch_add(1);
    size_t seen = allocation_counter::largest().load();
    while (size > seen && !allocation_counter::largest().compare_exchange_weak(seen, size)) {}
    if (void* p = std::malloc(size ? size : 1)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { allocation_counter::release(p); }
void operator delete(void* p, std::size_t) noexcept { allocation_counter::release(p); }
