// Our own small test header: CHECK(cond), CHECK_MSG(cond, message) and CHECK_NEAR(a, b, tol) record failures
// with file and line, check_exit() returns the test binary's exit status (0 all passed, 1 any failed), and
// SKIP_TEST exits with CTest's skip code 77; start_watchdog, same_bits and check_error_message serve several
// tests. One test executable per area; each is registered with CTest.
#pragma once

#include <chrono>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>
#if !defined(MNIST_THREADS) || MNIST_THREADS
#include <thread>
#endif

namespace check_detail {
inline int& failures() { static int count = 0; return count; }
inline int& passes() { static int count = 0; return count; }
inline void record(bool ok, const char* file, int line, const std::string& what) {
    if (ok) { ++passes(); return; }
    ++failures();
    std::fprintf(stderr, "%s:%d: FAILED: %s\n", file, line, what.c_str());
}
}  // namespace check_detail

// A boolean condition that must hold.
#define CHECK(cond) check_detail::record(static_cast<bool>(cond), __FILE__, __LINE__, #cond)

// CHECK with the context a reader needs when it fails: on failure, `message` (a std::string or a C string; see
// format_message) is printed on the line below the condition. It is evaluated only on failure.
#define CHECK_MSG(cond, message)                                                                  \
    do {                                                                                          \
        const bool check_ok_ = static_cast<bool>(cond);                                           \
        check_detail::record(check_ok_, __FILE__, __LINE__,                                       \
                             check_ok_ ? std::string() : std::string(#cond "\n  ") + std::string(message)); \
    } while (0)

// printf's formatting into a std::string, for CHECK_MSG's messages: format_message("%zu of %zu", a, b).
#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
inline std::string format_message(const char* format, ...) {
    char text[512];
    va_list args;
    va_start(args, format);
    std::vsnprintf(text, sizeof text, format, args);
    va_end(args);
    return text;
}

// |a - b| <= tol, printing both values on failure. NaN never passes.
#define CHECK_NEAR(a, b, tol)                                                                      \
    do {                                                                                           \
        const double check_a_ = static_cast<double>(a), check_b_ = static_cast<double>(b);        \
        const bool check_ok_ = std::fabs(check_a_ - check_b_) <= static_cast<double>(tol);        \
        check_detail::record(check_ok_, __FILE__, __LINE__,                                        \
                             std::string(#a " ~ " #b ": ") + std::to_string(check_a_) + " vs " +   \
                                 std::to_string(check_b_) + " (tol " + std::to_string(tol) + ")"); \
    } while (0)

// The statement must throw an exception of the given type (and not another one).
#define CHECK_THROWS(type, stmt)                                                    \
    do {                                                                            \
        bool check_thrown_ = false;                                                 \
        try { stmt; } catch (const type&) { check_thrown_ = true; } catch (...) {}  \
        check_detail::record(check_thrown_, __FILE__, __LINE__, "throws " #type ": " #stmt); \
    } while (0)

// Exit with CTest's skip code (tests register SKIP_RETURN_CODE 77).
#define SKIP_TEST(reason)                                          \
    do {                                                           \
        std::printf("SKIPPED: %s\n", reason);                      \
        std::exit(77);                                             \
    } while (0)

// A hang (a deadlock in the thread pool, say) must fail a test, not stall `make test` forever: after
// `seconds` the watchdog reports and ends the process with status 1.
// (In a build without threads, MNIST_THREADS=0, there is no watchdog.)
inline void start_watchdog(const char* test_name, int seconds) {
#if defined(MNIST_THREADS) && MNIST_THREADS == 0
    (void)test_name;
    (void)seconds;
#else
    std::thread([test_name, seconds] {
        std::this_thread::sleep_for(std::chrono::seconds(seconds));
        std::fprintf(stderr, "%s: FAILED: still running after %d s (a hang?)\n", test_name, seconds);
        std::fflush(stderr);
        std::_Exit(1);
    }).detach();
#endif
}

// Two float vectors with identical bit patterns (NaN == NaN, -0 != +0): "bit for bit" made checkable.
inline bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
}

// `run()` must throw `Error` (not return, not throw another type) with a message that starts with "<name>: "
// and contains `phrase`: every reader names the file and the problem. Failures are reported at file:line,
// the caller's.
template <class Error, class Run>
void check_error_message(Run run, const std::string& name, const std::string& phrase, const char* file, int line) {
    try {
        run();
        check_detail::record(false, file, line, "accepted input that should fail with \"" + phrase + "\"");
    } catch (const Error& e) {
        const std::string message = e.what();
        const bool ok = message.compare(0, name.size() + 2, name + ": ") == 0 && message.find(phrase) != std::string::npos;
        check_detail::record(ok, file, line, "message \"" + message + "\" lacks \"" + name + ": \" or \"" + phrase + "\"");
    } catch (const std::exception& e) {
        check_detail::record(false, file, line, std::string("wrong exception type: ") + e.what());
    }
}

// The last line of every test's main(): prints a count and turns failures into a non-zero exit.
inline int check_exit(const char* test_name) {
    const int failed = check_detail::failures(), passed = check_detail::passes();
    std::printf("%s: %d checks passed, %d failed\n", test_name, passed, failed);
    if (passed == 0 && failed == 0) {
        std::printf("%s: no checks ran, which counts as a failure\n", test_name);
        return 1;
    }
    return failed == 0 ? 0 : 1;
}
