// Tests for util/output_file (atomic writes, unique temporary names, files written together, reasons in
// every message) and util/folder_lock (a second run into one folder is refused). Issue 15, item 4: two
// runs into one --out used the same temporary name (path + ".partial") and corrupted each other's files or
// failed with "cannot rename" and no reason. Not the formats of the files (test_model_file, test_report).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>
#if !defined(MNIST_THREADS) || MNIST_THREADS
#include <thread>
#endif

#include "check.h"
#include "test_files.h"
#include "util/check.h"
#include "util/folder_lock.h"
#include "util/output_file.h"

using namespace mnist;
namespace fs = std::filesystem;

namespace {

// The SystemError message of f(), or "" when it throws nothing (or something else).
template <class F>
std::string system_error_of(F f) {
    try {
        f();
    } catch (const SystemError& e) {
        return e.what();
    } catch (...) {
        return "(another exception)";
    }
    return "";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Names in `dir` other than the ones expected: temporary files left behind show here.
std::vector<std::string> names_in(const fs::path& dir) {
    std::vector<std::string> names;
    for (const fs::directory_entry& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
    return names;
}

}  // namespace

int main() {
    start_watchdog("test_output_file", 120);
    const std::string stamp = std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
    const fs::path tmp = fs::temp_directory_path() / ("mnist_test_output_file_" + stamp);
    fs::create_directories(tmp);

    // A plain write: the bytes arrive, nothing else is left in the folder.
    {
        const fs::path dir = tmp / "plain";
        fs::create_directories(dir);
        write_file_atomic((dir / "a.txt").string(), std::string("hello\n"));
        CHECK(test_files::read_text(dir / "a.txt") == "hello\n");
        write_file_atomic((dir / "a.txt").string(), std::string("again\n"));  // over an existing file
        CHECK(test_files::read_text(dir / "a.txt") == "again\n");
        CHECK(names_in(dir) == std::vector<std::string>({"a.txt"}));
    }

#if !defined(MNIST_THREADS) || MNIST_THREADS
    // Two writers of one file at once, 300 times each: every write succeeds, the file always holds one
    // writer's whole bytes, and no temporary file is left. With one fixed temporary name the two wrote into
    // each other's file (a mix of both) or renamed it away under each other ("cannot rename").
    {
        const fs::path dir = tmp / "race";
        fs::create_directories(dir);
        const std::string target = (dir / "metrics.json").string();
        const std::string a(40000, 'a'), b(50000, 'b');
        std::atomic<int> failures{0};
        auto writer = [&](const std::string& text) {
            for (int i = 0; i < 300; ++i) {
                try {
                    write_file_atomic(target, text);
                } catch (const SystemError& e) {
                    ++failures;
                    std::fprintf(stderr, "  %s\n", e.what());
                }
            }
        };
        std::thread first(writer, a), second(writer, b);
        for (int i = 0; i < 200; ++i) {  // meanwhile, whatever is there is one writer's whole file
            const std::string seen = test_files::read_text(target);
            CHECK(seen.empty() || seen == a || seen == b);
        }
        first.join();
        second.join();
        CHECK(failures.load() == 0);
        const std::string last = test_files::read_text(target);
        CHECK(last == a || last == b);
        CHECK(names_in(dir) == std::vector<std::string>({"metrics.json"}));
    }
#endif

    // Failures name the file and give the system's reason.
    {
        const fs::path dir = tmp / "reasons";
        fs::create_directories(dir / "model.bin");  // a folder where a file is to go
        const std::string over_folder = system_error_of([&] { write_file_atomic((dir / "model.bin").string(), std::string("x")); });
        CHECK(contains(over_folder, (dir / "model.bin").string() + ": a folder is in the way"));
        // Only a regular file is ever replaced: renaming over a FIFO (or a device: `quantize --out /dev/null`
        // once replaced /dev/null with a file) would put a file in its place.
        const std::string fifo = (dir / "fifo").string();
        if (std::system(("mkfifo '" + fifo + "' 2>/dev/null").c_str()) == 0) {
            CHECK(contains(system_error_of([&] { write_file_atomic(fifo, std::string("x")); }),
                           fifo + ": something other than a file is in the way"));
            CHECK(contains(system_error_of([&] { write_files_atomic({output_file(fifo, "x")}); }), "in the way"));
            CHECK(fs::is_fifo(fifo));
            fs::remove(fifo);
        }
        const std::string no_folder =
            system_error_of([&] { write_file_atomic((dir / "absent" / "x.txt").string(), std::string("x")); });
        CHECK(contains(no_folder, "x.txt: cannot create ") && contains(no_folder, "No such file or directory"));
        CHECK(names_in(dir) == std::vector<std::string>({"model.bin"}));  // no temporary file left behind
        // check_can_replace finds the folder before any work.
        CHECK(contains(system_error_of([&] { check_can_replace((dir / "model.bin").string()); }),
                       "model.bin: a folder is in the way"));
        CHECK(system_error_of([&] { check_can_replace((dir / "absent.txt").string()); }).empty());
    }

    // Files written together: when one cannot be written, none of the others is replaced.
    {
        const fs::path dir = tmp / "together";
        fs::create_directories(dir);
        write_file_atomic((dir / "a.txt").string(), std::string("old a"));
        write_file_atomic((dir / "b.txt").string(), std::string("old b"));
        test_files::write_bytes(dir / "blocked", {'x'});  // a file where a folder would have to be
        const std::vector<OutputFile> files = {output_file((dir / "a.txt").string(), "new a"),
                                               output_file((dir / "blocked" / "c.txt").string(), "new c"),
                                               output_file((dir / "b.txt").string(), "new b")};
        CHECK(!system_error_of([&] { write_files_atomic(files); }).empty());
        CHECK(test_files::read_text(dir / "a.txt") == "old a");
        CHECK(test_files::read_text(dir / "b.txt") == "old b");
        CHECK(names_in(dir).size() == 3);
        write_files_atomic({files[0], files[2], output_file((dir / "sub" / "c.txt").string(), "new c")});
        CHECK(test_files::read_text(dir / "a.txt") == "new a" && test_files::read_text(dir / "b.txt") == "new b");
        CHECK(test_files::read_text(dir / "sub" / "c.txt") == "new c");
    }

    // The folder lock: a second holder is refused with a message that says so; after release the lock
    // file is gone and the folder can be locked again.
    {
        const fs::path dir = tmp / "locked";
        fs::create_directories(dir);
        {
            const FolderLock first(dir.string());
            CHECK(fs::exists(dir / ".mnist-lock"));
            CHECK(contains(system_error_of([&] { FolderLock second(dir.string()); }),
                           dir.string() + ": another mnist run is writing into this folder"));
        }
        CHECK(!fs::exists(dir / ".mnist-lock"));
        CHECK(system_error_of([&] { FolderLock again(dir.string()); }).empty());
        CHECK(contains(system_error_of([&] { FolderLock none((tmp / "no-such-folder").string()); }),
                       "cannot create files in it ("));
    }

    std::error_code ignored;
    fs::remove_all(tmp, ignored);
    return check_exit("test_output_file");
}
