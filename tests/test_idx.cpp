// Tests for data/idx (the IDX format), data/mnist_files (the four MNIST files checked together) and
// util/file: valid files built in memory and in a temporary folder, and one crafted file per way an IDX
// file or a set of them can be wrong. Not gzip itself (tests/test_inflate.cpp). See docs/01-data.md.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "check.h"
#include "data/idx.h"
#include "data/mnist_files.h"
#include "util/check.h"
#include "util/checksum.h"
#include "util/file.h"

namespace {

namespace fs = std::filesystem;

// An IDX file: 0, 0, type, dimension count, each dimension as 4 big-endian bytes, then the values.
std::vector<uint8_t> idx_file(uint8_t type, const std::vector<uint32_t>& dims,
                              const std::vector<uint8_t>& values) {
    std::vector<uint8_t> bytes = {0, 0, type, static_cast<uint8_t>(dims.size())};
    for (const uint32_t d : dims) {
        for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<uint8_t>(d >> shift));
    }
    bytes.insert(bytes.end(), values.begin(), values.end());
    return bytes;
}

std::vector<uint8_t> counting(size_t n) {
    std::vector<uint8_t> values(n);
    for (size_t i = 0; i < n; ++i) values[i] = static_cast<uint8_t>(i);
    return values;
}

// A gzip file holding `data` in stored DEFLATE blocks (at most 65535 bytes each), enough to test the
// .gz path without a compressor.
std::vector<uint8_t> gzip_stored(const std::vector<uint8_t>& data) {
    std::vector<uint8_t> file = {0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3};
    size_t pos = 0;
    do {
        const size_t len = std::min<size_t>(data.size() - pos, 65535);
        const bool last = pos + len == data.size();
        file.push_back(last ? 1 : 0);  // BFINAL, BTYPE = 00, then the rest of the byte is padding
        file.push_back(static_cast<uint8_t>(len));
        file.push_back(static_cast<uint8_t>(len >> 8));
        file.push_back(static_cast<uint8_t>(~len));
        file.push_back(static_cast<uint8_t>(~len >> 8));
        file.insert(file.end(), data.begin() + static_cast<std::ptrdiff_t>(pos),
                    data.begin() + static_cast<std::ptrdiff_t>(pos + len));
        pos += len;
    } while (pos < data.size());
    const uint32_t crc = mnist::crc32(data.data(), data.size());
    const uint32_t size = static_cast<uint32_t>(data.size());
    for (int i = 0; i < 4; ++i) file.push_back(static_cast<uint8_t>(crc >> (8 * i)));
    for (int i = 0; i < 4; ++i) file.push_back(static_cast<uint8_t>(size >> (8 * i)));
    return file;
}

// The message of the InputError that f() throws, or a marker that says it threw something else or nothing.
template <class F>
std::string error_of(F f) {
    try {
        f();
    } catch (const mnist::InputError& e) {
        return e.what();
    } catch (...) {
        return "(an exception other than InputError)";
    }
    return "(no exception)";
}

// True when `message` starts with `start` and contains `word`; prints it when not.
bool says(const std::string& message, const std::string& start, const std::string& word) {
    const bool ok = message.rfind(start, 0) == 0 && message.find(word) != std::string::npos;
    if (!ok) {
        std::fprintf(stderr, "  expected \"%s...%s...\", got \"%s\"\n", start.c_str(), word.c_str(),
                     message.c_str());
    }
    return ok;
}

bool parse_fails_with(const std::vector<uint8_t>& bytes, const std::string& word) {
    return says(error_of([&] { mnist::parse_idx(bytes, "test-idx"); }), "test-idx: ", word);
}

void write_file(const fs::path& path, const std::vector<uint8_t>& bytes) {
    std::FILE* file = std::fopen(path.string().c_str(), "wb");
    CHECK(file != nullptr);
    if (file == nullptr) return;
    if (!bytes.empty()) CHECK(std::fwrite(bytes.data(), 1, bytes.size(), file) == bytes.size());
    CHECK(std::fclose(file) == 0);
}

void test_parse_valid() {
    const mnist::IdxArray labels = mnist::parse_idx(idx_file(0x08, {5}, {3, 1, 4, 1, 5}), "test-idx");
    CHECK(labels.dims == std::vector<uint32_t>{5});
    CHECK(labels.values == (std::vector<uint8_t>{3, 1, 4, 1, 5}));

    const mnist::IdxArray images = mnist::parse_idx(idx_file(0x08, {2, 3, 4}, counting(24)), "test-idx");
    CHECK(images.dims == (std::vector<uint32_t>{2, 3, 4}));
    CHECK(images.values == counting(24));

    const mnist::IdxArray four = mnist::parse_idx(idx_file(0x08, {1, 16, 1, 2}, counting(32)), "test-idx");
    CHECK(four.dims == (std::vector<uint32_t>{1, 16, 1, 2}));

    // A dimension is 4 bytes, most significant first: 01 02 03 04 is 0x01020304 = 16909060.
    const std::vector<uint8_t> big_dim = idx_file(0x08, {0x01020304u}, {});
    CHECK(big_dim[4] == 0x01 && big_dim[7] == 0x04);
    CHECK(parse_fails_with(big_dim, "16909060 bytes of data promised"));

    const mnist::IdxArray empty = mnist::parse_idx(idx_file(0x08, {0}, {}), "test-idx");
    CHECK(empty.dims == std::vector<uint32_t>{0});
    CHECK(empty.values.empty());
}

void test_parse_errors() {
    std::vector<uint8_t> bytes = idx_file(0x08, {5}, counting(5));
    bytes[0] = 0x01;
    CHECK(parse_fails_with(bytes, "not an IDX file (starts with 0x01 0x00"));
    bytes = idx_file(0x08, {5}, counting(5));
    bytes[1] = 0x8B;
    CHECK(parse_fails_with(bytes, "0x00 0x8B"));

    CHECK(parse_fails_with(idx_file(0x0D, {5}, counting(20)), "0x0D (32-bit float)"));
    CHECK(parse_fails_with(idx_file(0x09, {5}, counting(5)), "0x09 (signed byte)"));
    CHECK(parse_fails_with(idx_file(0x42, {5}, counting(5)), "0x42"));

    CHECK(parse_fails_with(idx_file(0x08, {}, {}), "0 dimensions"));
    CHECK(parse_fails_with(idx_file(0x08, {1, 1, 1, 1, 1}, {7}), "5 dimensions"));

    // Truncated headers: too short for the first 4 bytes, then too short for the dimensions.
    bytes = idx_file(0x08, {2, 3, 4}, counting(24));
    for (const size_t length : {size_t{0}, size_t{3}}) {
        CHECK(parse_fails_with(
            std::vector<uint8_t>(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(length)),
            "truncated IDX header"));
    }
    for (const size_t length : {size_t{4}, size_t{10}, size_t{15}}) {
        CHECK(parse_fails_with(
            std::vector<uint8_t>(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(length)),
            "truncated IDX header (" + std::to_string(length) + " bytes; a 3-dimensional header needs 16)"));
    }

    // Data shorter or longer than the header promises.
    CHECK(parse_fails_with(idx_file(0x08, {2, 3, 4}, counting(23)),
                           "24 bytes of data promised (2 x 3 x 4), 23 present"));
    CHECK(parse_fails_with(idx_file(0x08, {2, 3, 4}, counting(25)),
                           "24 bytes of data promised (2 x 3 x 4), 25 present"));
    CHECK(
        parse_fails_with(idx_file(0x08, {2, 3, 4}, {}), "24 bytes of data promised (2 x 3 x 4), 0 present"));

    // Sizes that overflow: 64 bits (found, no allocation is ever tried), and 32 bits, where a 32-bit
    // product would wrap round to a small number (65536 x 65536 to 0) and wrongly match.
    CHECK(parse_fails_with(idx_file(0x08, {0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu}, {}), "more than 64 bits"));
    CHECK(parse_fails_with(idx_file(0x08, {0xFFFFFFFFu, 0xFFFFFFFFu, 2, 2}, {}), "more than 64 bits"));
    CHECK(parse_fails_with(idx_file(0x08, {70000, 70000, 70000}, counting(10)),
                           "343000000000000 bytes of data promised (70000 x 70000 x 70000), 10 present"));
    CHECK(parse_fails_with(idx_file(0x08, {65536, 65536}, {}), "4294967296 bytes of data promised"));
    CHECK(parse_fails_with(idx_file(0x08, {0xFFFFFFFFu, 0xFFFFFFFFu}, {}), "18446744065119617025 bytes"));
}

// A unique empty folder under the system's temporary folder, removed by the destructor.
struct TempFolder {
    fs::path path;
    TempFolder() {
        std::random_device device;
        const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
        path = fs::temp_directory_path() /
               ("mnist-test-idx-" + std::to_string(now) + "-" + std::to_string(device()));
        fs::create_directories(path);
    }
    ~TempFolder() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
};

// The four MNIST files, as IDX bytes.
struct MnistFiles {
    std::vector<uint8_t> train_images, train_labels, test_images, test_labels;
};

MnistFiles small_mnist() {
    MnistFiles f;
    f.train_images = idx_file(0x08, {3, 2, 3}, counting(18));  // three 2 x 3 images
    f.train_labels = idx_file(0x08, {3}, {0, 2, 1});
    f.test_images = idx_file(0x08, {2, 2, 3}, counting(12));
    f.test_labels = idx_file(0x08, {2}, {1, 0});
    return f;
}

// Writes them to folder/name, two of them gzipped (so load_mnist meets both kinds), and returns that path.
std::string write_mnist(const fs::path& folder, const std::string& name, const MnistFiles& f) {
    const fs::path dir = folder / name;
    fs::create_directories(dir);
    write_file(dir / "train-images-idx3-ubyte.gz", gzip_stored(f.train_images));
    write_file(dir / "train-labels-idx1-ubyte", f.train_labels);
    write_file(dir / "t10k-images-idx3-ubyte", f.test_images);
    write_file(dir / "t10k-labels-idx1-ubyte.gz", gzip_stored(f.test_labels));
    return dir.string();
}

std::string load_error(const std::string& dir) {
    return error_of([&] { mnist::load_mnist(dir); });
}

void test_load_mnist(const TempFolder& temp) {
    const std::string good = write_mnist(temp.path, "good", small_mnist());
    const mnist::MnistData data = mnist::load_mnist(good);
    CHECK(data.train.count == 3);
    CHECK(data.train.rows == 2);
    CHECK(data.train.cols == 3);
    CHECK(data.train.pixels == counting(18));
    CHECK(data.train.labels == (std::vector<uint8_t>{0, 2, 1}));
    CHECK(data.test.count == 2);
    CHECK(data.test.rows == 2 && data.test.cols == 3);
    CHECK(data.test.pixels == counting(12));
    CHECK(data.test.labels == (std::vector<uint8_t>{1, 0}));
    CHECK(data.num_classes == 3);

    MnistFiles f = small_mnist();
    f.train_labels = idx_file(0x08, {2}, {0, 1});
    std::string dir = write_mnist(temp.path, "count", f);
    CHECK(says(load_error(dir), dir + "/train-labels-idx1-ubyte: ",
               "2 labels but 3 images in " + dir + "/train-images-idx3-ubyte.gz"));

    f = small_mnist();
    f.test_labels = idx_file(0x08, {3}, {0, 1, 1});
    dir = write_mnist(temp.path, "test-count", f);
    CHECK(says(load_error(dir), dir + "/t10k-labels-idx1-ubyte.gz: ", "3 labels but 2 images"));

    f = small_mnist();
    f.test_images = idx_file(0x08, {2, 3, 2}, counting(12));
    dir = write_mnist(temp.path, "sizes", f);
    CHECK(says(load_error(dir),
               dir + "/t10k-images-idx3-ubyte: ", "images are 2x3 pixels but the training images"));

    f = small_mnist();
    f.test_images = idx_file(0x08, {1, 2, 4}, counting(8));  // only the width differs
    f.test_labels = idx_file(0x08, {1}, {1});
    dir = write_mnist(temp.path, "widths", f);
    CHECK(says(load_error(dir), dir + "/t10k-images-idx3-ubyte: ", "images are 4x2 pixels"));  // width x height

    f = small_mnist();
    f.test_labels = idx_file(0x08, {2}, {1, 3});
    dir = write_mnist(temp.path, "label", f);
    CHECK(says(load_error(dir),
               dir + "/t10k-labels-idx1-ubyte.gz: ", "label 3 at index 1 is not a training class (0 to 2)"));

    f = small_mnist();
    f.train_labels = idx_file(0x08, {3}, {0, 0, 0});
    f.test_labels = idx_file(0x08, {2}, {0, 0});
    dir = write_mnist(temp.path, "one-class", f);
    CHECK(says(load_error(dir), dir + "/train-labels-idx1-ubyte: ", "at least two classes"));

    f = small_mnist();
    f.train_images = idx_file(0x08, {3, 6}, counting(18));
    dir = write_mnist(temp.path, "flat", f);
    CHECK(says(load_error(dir), dir + "/train-images-idx3-ubyte.gz: ", "2 dimensions, expected 3"));

    f = small_mnist();
    f.test_labels = idx_file(0x08, {2, 1}, {1, 0});
    dir = write_mnist(temp.path, "labels-2d", f);
    CHECK(says(load_error(dir), dir + "/t10k-labels-idx1-ubyte.gz: ", "2 dimensions, expected 1"));

    f = small_mnist();
    f.train_images = idx_file(0x08, {0, 2, 3}, {});
    f.train_labels = idx_file(0x08, {0}, {});
    dir = write_mnist(temp.path, "no-images", f);
    CHECK(says(load_error(dir), dir + "/train-images-idx3-ubyte.gz: ", "no images"));

    f = small_mnist();
    f.test_images = idx_file(0x08, {2, 0, 3}, {});
    dir = write_mnist(temp.path, "empty-images", f);
    CHECK(says(load_error(dir), dir + "/t10k-images-idx3-ubyte: ", "3x0 pixels"));

    dir = write_mnist(temp.path, "missing", small_mnist());
    fs::remove(fs::path(dir) / "t10k-labels-idx1-ubyte.gz");
    CHECK(says(load_error(dir),
               "cannot find " + dir + "/t10k-labels-idx1-ubyte or " + dir + "/t10k-labels-idx1-ubyte.gz",
               ""));

    // Issue 15, item 6: labels that skip a class are not class numbers. A single corrupt label of 200 among
    // 0, 1, 2 once made a 201-class network without a word; now the file, the item and the value are named,
    // unless the count of classes is stated (--classes), for data whose labels really have gaps.
    f = small_mnist();
    f.train_labels = idx_file(0x08, {3}, {0, 200, 1});
    f.test_labels = idx_file(0x08, {2}, {1, 0});
    dir = write_mnist(temp.path, "corrupt-label", f);
    CHECK(says(load_error(dir), dir + "/train-labels-idx1-ubyte: ", "label 200 at item 1, but no image has label 2"));
    CHECK(mnist::load_mnist(dir, 201).num_classes == 201);
    CHECK(says(error_of([&] { mnist::load_mnist(dir, 200); }), dir + "/train-labels-idx1-ubyte: ",
               "label 200 at item 1 is not one of the 200 classes"));
    f.train_labels = idx_file(0x08, {3}, {0, 2, 2});  // class 1 missing in the middle
    dir = write_mnist(temp.path, "gap", f);
    CHECK(says(load_error(dir), dir + "/train-labels-idx1-ubyte: ", "label 2 at item 1, but no image has label 1"));
    CHECK(mnist::load_mnist(dir, 3).num_classes == 3);

    // Issue 15, item 13: a raw file read although its .gz is there too is listed, and a mismatch names
    // both files, the one chosen marked (it was blamed on the other file alone).
    f = small_mnist();
    dir = write_mnist(temp.path, "raw-and-gz", f);
    write_file(fs::path(dir) / "train-images-idx3-ubyte", idx_file(0x08, {4, 2, 3}, counting(24)));
    CHECK(says(load_error(dir), dir + "/train-labels-idx1-ubyte: ",
               "3 labels but 4 images in " + dir + "/train-images-idx3-ubyte (chosen over " + dir +
                   "/train-images-idx3-ubyte.gz)"));
    write_file(fs::path(dir) / "train-images-idx3-ubyte", f.train_images);
    CHECK(mnist::load_mnist(dir).raw_over_gz == std::vector<std::string>({dir + "/train-images-idx3-ubyte"}));

    // A damaged .gz is reported with its own name and gzip's reason.
    f = small_mnist();
    dir = write_mnist(temp.path, "bad-crc", f);
    std::vector<uint8_t> gz = gzip_stored(f.train_images);
    gz[gz.size() - 8] ^= 0xFF;
    write_file(fs::path(dir) / "train-images-idx3-ubyte.gz", gz);
    CHECK(says(load_error(dir), dir + "/train-images-idx3-ubyte.gz: ", "CRC-32 mismatch"));
}

void test_load_idx(const TempFolder& temp) {
    const fs::path dir = temp.path / "load-idx";
    fs::create_directories(dir);
    const std::string d = dir.string();
    const std::vector<uint8_t> raw = idx_file(0x08, {4}, {1, 2, 3, 4});
    const std::vector<uint8_t> other = idx_file(0x08, {2}, {9, 8});

    write_file(dir / "raw-only", raw);
    CHECK(mnist::load_idx(d, "raw-only").values == (std::vector<uint8_t>{1, 2, 3, 4}));
    CHECK(mnist::find_idx_file(d, "raw-only") == d + "/raw-only");

    write_file(dir / "gz-only.gz", gzip_stored(raw));
    CHECK(mnist::load_idx(d, "gz-only").values == (std::vector<uint8_t>{1, 2, 3, 4}));
    CHECK(mnist::find_idx_file(d, "gz-only") == d + "/gz-only.gz");
    CHECK(mnist::load_idx(d + "/", "gz-only").dims == std::vector<uint32_t>{4});  // a trailing slash

    // Both present: the raw file wins.
    write_file(dir / "both", raw);
    write_file(dir / "both.gz", gzip_stored(other));
    CHECK(mnist::load_idx(d, "both").values == (std::vector<uint8_t>{1, 2, 3, 4}));

    // A big file in several stored blocks, and gzipped bytes under a name without .gz: the magic decides.
    const std::vector<uint8_t> big = idx_file(0x08, {3, 200, 200}, counting(120000));
    write_file(dir / "big", gzip_stored(big));
    CHECK(mnist::load_idx(d, "big").values == counting(120000));

    CHECK(says(error_of([&] { mnist::load_idx(d, "absent"); }),
               "cannot find " + d + "/absent or " + d + "/absent.gz", ""));

    // A broken IDX inside a good gzip is named by the .gz path.
    write_file(dir / "short.gz", gzip_stored(idx_file(0x08, {5}, {1, 2})));
    CHECK(
        says(error_of([&] { mnist::load_idx(d, "short"); }), d + "/short.gz: ", "5 bytes of data promised"));

    // util/file: a missing file, and a folder, which exists but cannot be read as a file.
    const auto read = [](const std::string& path) { return mnist::read_file(path, 1000, "a test file"); };
    CHECK(!mnist::file_exists(d + "/absent"));
    CHECK(!mnist::file_exists(d + "/raw-only/below-a-file"));
    CHECK(mnist::file_exists(d + "/raw-only"));
    CHECK(read(d + "/raw-only") == raw);
    CHECK(says(error_of([&] { read(d + "/absent"); }), d + "/absent: cannot open (", ")"));
    CHECK(says(error_of([&] { read(d); }), d + ": not a regular file (a folder", ")"));
    write_file(dir / "empty", {});
    CHECK(read(d + "/empty").empty());

    // Issue 15, item 9: only regular files, and never more than the format can hold. A device that never
    // ends (/dev/zero) and a FIFO (which would block until a writer came) are refused before any read; a
    // file over the bound is refused by its size; an empty path is named "" rather than printed as nothing.
    if (mnist::file_exists("/dev/zero"))
        CHECK(says(error_of([&] { read("/dev/zero"); }), "/dev/zero: not a regular file (a character device", ")"));
    const std::string fifo = d + "/fifo";
    if (std::system(("mkfifo '" + fifo + "' 2>/dev/null").c_str()) == 0) {
        CHECK(says(error_of([&] { read(fifo); }), fifo + ": not a regular file (a FIFO", ")"));
        CHECK(says(error_of([&] { mnist::load_idx(d, "fifo"); }), fifo + ": not a regular file", ""));
    }
    write_file(dir / "big", std::vector<uint8_t>(1001, 7));
    CHECK(says(error_of([&] { read(d + "/big"); }), d + "/big: 1001 bytes, more than a test file can hold (1000", ")"));
    CHECK(read(d + "/raw-only").size() == raw.size());
    CHECK(says(error_of([&] { read(""); }), "\"\": cannot open (", ")"));
}

// The real MNIST labels, when they are here: from the repository's data/ or the shared copy.
void test_real_labels() {
    std::string dir;
    for (const char* candidate : {"data", "../shared/data/mnist"}) {
        if (mnist::file_exists(std::string(candidate) + "/train-labels-idx1-ubyte.gz") ||
            mnist::file_exists(std::string(candidate) + "/train-labels-idx1-ubyte")) {
            dir = candidate;
            break;
        }
    }
    if (dir.empty()) {
        std::printf(
            "skipped the real-label checks: no train-labels-idx1-ubyte in data/ or ../shared/data/mnist\n");
        return;
    }
    const mnist::IdxArray train = mnist::load_idx(dir, "train-labels-idx1-ubyte");
    CHECK(train.dims == std::vector<uint32_t>{60000});
    CHECK(train.values.size() == 60000);
    CHECK(!train.values.empty() && train.values[0] == 5);
    if (mnist::file_exists(dir + "/t10k-labels-idx1-ubyte.gz") ||
        mnist::file_exists(dir + "/t10k-labels-idx1-ubyte")) {
        const mnist::IdxArray test = mnist::load_idx(dir, "t10k-labels-idx1-ubyte");
        CHECK(test.dims == std::vector<uint32_t>{10000});
        CHECK(!test.values.empty() && test.values[0] == 7);
    }
    std::printf("checked the real labels in %s\n", dir.c_str());
}

}  // namespace

int main() {
    try {
        test_parse_valid();
        test_parse_errors();
        {
            const TempFolder temp;
            test_load_mnist(temp);
            test_load_idx(temp);
        }
        test_real_labels();
    } catch (const std::exception& e) {  // a valid file was rejected, or a helper failed
        CHECK_MSG(false, std::string("unexpected exception: ") + e.what());
    }
    return check_exit("test_idx");
}
