// Tests for cli/run_cli, the program behind main(): --help, every kind of bad command line (exit 2), missing
// and corrupt data folders (exit 2), an output folder that cannot be made (exit 1), and a tiny real run
// (train, then eval, then eval of a damaged model) on a small MNIST-format data set written to a temporary
// folder. Output goes to stdout/stderr as usual. Not the option parser's internals. See docs/07-training.md.
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "check.h"
#include "synthetic_data.h"
#include "test_files.h"
#include "cli/cli.h"
#include "tensor/thread_pool.h"
#include "nn/model_file.h"
#include "train/checkpoint.h"
#include "train/trainer.h"
#include "util/folder_lock.h"
#include "util/system_memory.h"
#include "util/interrupt.h"
#include "util/rng.h"

using namespace mnist;
namespace fs = std::filesystem;
using namespace test_files;

namespace {

size_t count_lines(const fs::path& path) {
    std::ifstream in(path);
    size_t lines = 0;
    for (std::string line; std::getline(in, line);) ++lines;
    return lines;
}

// "2", or "1" in a build without threads (make THREADS=0), where --threads 2 is refused.
const std::string kTwoThreads = ThreadPool::kThreadsAvailable ? "2" : "1";

int run(std::initializer_list<std::string> args) { return run_cli(std::vector<std::string>(args)); }

}  // namespace

int main(int argc, char** argv) {
    if (argc >= 2 && std::string(argv[1]) == "--child") return run_cli(std::vector<std::string>(argv + 2, argv + argc));
    start_watchdog("test_cli", 120);
    const std::string stamp = std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
    const fs::path tmp = fs::temp_directory_path() / ("mnist_test_cli_" + stamp);
    fs::create_directories(tmp);
    const fs::path data = tmp / "data";
    synthetic::write_quadrant_data_set(data, 300, 60);
    const std::string D = data.string();

    // ---------------------------------------------------------------------------------------------------
    // Help: the overview and each subcommand's options, exit 0.
    CHECK(run({"--help"}) == 0);
    CHECK(run({"-h"}) == 0);
    CHECK(run({"help"}) == 0);
    CHECK(run({"train", "--help"}) == 0);
    CHECK(run({"eval", "--help"}) == 0);
    CHECK(run({"activations", "--help"}) == 0);

    // ---------------------------------------------------------------------------------------------------
    // Bad command lines, exit 2. Each bad option is added to an otherwise good, quick command (valid data,
    // an output folder in tmp, 1 epoch), so a check that let the bad value through would run and return 0,
    // failing this test, instead of passing for some other reason (a missing data folder, say).
    const fs::path usage_out = tmp / "usage_out";
    auto train_with = [&](const std::vector<std::string>& bad) {
        const std::vector<std::pair<std::string, std::string>> base = {
            {"--data", D}, {"--out", usage_out.string()}, {"--epochs", "1"}, {"--hidden", "4"},
            {"--val-size", "50"}, {"--threads", "1"}};
        std::vector<std::string> args = {"train", "--quiet"};
        for (const auto& option : base) {
            bool overridden = false;
            for (const std::string& b : bad) overridden = overridden || b == option.first || b.rfind(option.first + "=", 0) == 0;
            if (!overridden) {
                args.push_back(option.first);
                args.push_back(option.second);
            }
        }
        args.insert(args.end(), bad.begin(), bad.end());
        return run_cli(args);
    };
    CHECK(train_with({}) == 0);  // the base command itself is good: the cases below differ only by `bad`
    CHECK(train_with({"--loss-reduction", "total"}) == 2);   // mean or sum
    CHECK(train_with({"--train-metrics", "both"}) == 2);     // running or after-epoch
    // --train-metrics after-epoch adds two columns to history.csv after train_acc (and nothing without it);
    // metrics.json holds the hidden layers' statistics after initialisation and after training.
    CHECK(train_with({"--train-metrics", "after-epoch", "--loss-reduction", "sum"}) == 0);
    CHECK(read_text(usage_out / "history.csv").rfind("epoch,train_loss,train_objective,train_acc,train_eval_loss,"
                                                     "train_eval_acc,val_loss,val_acc,seconds\n", 0) == 0);
    CHECK(read_text(usage_out / "metrics.json").find("\"loss_reduction\":\"sum\"") != std::string::npos);
    CHECK(read_text(usage_out / "metrics.json").find("\"after_init\":[{\"layer\":1,\"units\":4,") != std::string::npos);
    CHECK(train_with({}) == 0);
    CHECK(read_text(usage_out / "history.csv").rfind("epoch,train_loss,train_objective,train_acc,val_loss,", 0) == 0);
    // `activations`: a new network's or a saved model's hidden layers; --init, --hidden, --seed describe a
    // new network and are refused beside --model.
    CHECK(run({"activations", "--data", D, "--hidden", "4,3", "--init", "naive", "--images", "50", "--threads", "1"}) == 0);
    CHECK(run({"activations", "--data", D, "--model", (usage_out / "model.bin").string(), "--threads", "1"}) == 0);
    CHECK(run({"activations", "--data", D, "--model", (usage_out / "model.bin").string(), "--init", "he"}) == 2);
    CHECK(run({"activations", "--data", D, "--hidden", ""}) == 2);  // no hidden layer to measure
    CHECK(run({"activations", "--data", D, "--images", "0"}) == 2);
    CHECK(run({"frobnicate"}) == 2);                         // unknown subcommand
    CHECK(run({"trian", "--epochs", "1"}) == 2);             // a typo is not silently "train"
    CHECK(train_with({"--frobnicate"}) == 2);                // unknown option
    CHECK(train_with({"--frobnicate=3"}) == 2);
    CHECK(train_with({"--batch", "0"}) == 2);
    CHECK(train_with({"--batch", "abc"}) == 2);
    CHECK(train_with({"--batch", "12x"}) == 2);              // trailing junk
    CHECK(train_with({"--batch", "-1"}) == 2);
    CHECK(train_with({"--batch", "99999999999999999999999"}) == 2);  // out of range of 64 bits
    CHECK(train_with({"--dropout", "1.5"}) == 2);
    CHECK(train_with({"--dropout", "-0.1"}) == 2);
    CHECK(train_with({"--hidden", "512,,128"}) == 2);
    CHECK(train_with({"--hidden", "-5"}) == 2);
    CHECK(train_with({"--hidden", "512,"}) == 2);
    CHECK(train_with({"--hidden", "0"}) == 2);
    CHECK(train_with({"--lr", "nan"}) == 2);
    CHECK(train_with({"--lr", "inf"}) == 2);
    CHECK(train_with({"--lr", "0"}) == 2);
    CHECK(train_with({"--lr", ""}) == 2);
    CHECK(train_with({"--l2", "1e999"}) == 2);
    // Issue 15, item 14: every number option reads numbers the same way: a leading space or '+' was taken
    // by the real-valued options (strtod skips them) and refused by the whole-number ones.
    CHECK(train_with({"--lr", " 0.01"}) == 2);
    CHECK(train_with({"--dropout", "+0.1"}) == 2);
    CHECK(train_with({"--batch", " 8"}) == 2);
    CHECK(train_with({"--lr", "0x1p-7"}) == 2);   // hexadecimal
    CHECK(train_with({"--lr", "0.01 "}) == 2);
    CHECK(train_with({"--lr", ".01", "--dropout", "0", "--l2", "1E-3"}) == 0);
    // augment-preview has no training to schedule: the schedule options are unknown to it, not ignored.
    CHECK(run({"augment-preview", "--data", D, "--out", usage_out.string(), "--lr-schedule", "cosine"}) == 2);
    CHECK(run({"augment-preview", "--data", D, "--out", usage_out.string(), "--warmup", "2"}) == 2);
    CHECK(run({"augment-preview", "--data", D, "--out", usage_out.string(), "--count", "3", "--variants", "2"}) == 0);
    CHECK(train_with({"--epochs"}) == 2);                    // no value
    CHECK(train_with({"--epochs", "2", "--epochs", "3"}) == 2);  // given twice
    CHECK(train_with({"--batch=8", "--batch", "8"}) == 2);   // twice, in both spellings
    CHECK(train_with({"--quiet"}) == 2);                     // the base already has --quiet: twice
    CHECK(train_with({"--threads", "0"}) == 2);
    CHECK(train_with({"stray-positional"}) == 2);
    CHECK(train_with({"--val-size", "300"}) == 2);           // not smaller than the 300 training images
    CHECK(train_with({"--val-size", "0"}) == 2);
    CHECK(run({"--batch", "0"}) == 2);                       // the default subcommand checks too
    // Issue 15, item 3: a network that a model file cannot hold is refused before any work (the output
    // folder is not even made): 63 hidden layers (65 layer sizes, 64 at most), or more parameters than
    // 2^28 (16384 x 16384 alone); they once trained and wrote a model.bin that eval and --resume refused.
    {
        std::string deep = "8";
        for (int i = 1; i < 63; ++i) deep += ",8";
        fs::remove_all(usage_out);
        CHECK(train_with({"--hidden", deep}) == 2);
        CHECK(train_with({"--hidden", "16384,16384"}) == 2);
        CHECK(!fs::exists(usage_out));
        std::string deepest = "8";
        for (int i = 1; i < 62; ++i) deepest += ",8";
        CHECK(train_with({"--hidden", deepest, "--epochs", "1"}) == 0);  // 62 hidden layers: the most
    }
    // Issue 15, item 13: a network the machine cannot hold is refused up front, naming --hidden and --batch
    // with the estimate (exit 2), not "out of memory" after loading the data. Only where the machine says
    // how much memory it has and has less than this run would need (else the run would really try).
    {
        const uint64_t machine = system_memory_bytes();
        const uint64_t needed = training_memory_bytes({784, 12000, 12000, 10}, 54000, 54000);
        if (machine > 0 && needed > machine && fs::exists("data/train-images-idx3-ubyte.gz")) {
            CHECK(run({"train", "--hidden", "12000,12000", "--batch", "65536", "--out", (tmp / "out_big").string(),
                       "--quiet", "--no-eda"}) == 2);
            CHECK(!fs::exists(tmp / "out_big" / "model.bin"));
        } else {
            std::printf("the up-front memory check is not tried: %llu MB of memory, %llu MB needed\n",
                        static_cast<unsigned long long>(machine >> 20), static_cast<unsigned long long>(needed >> 20));
        }
    }
    CHECK(run({"eval", "--frobnicate"}) == 2);
    CHECK(run({"eval", "--model"}) == 2);
    CHECK(run({"eval", "--threads", "x"}) == 2);

    // ---------------------------------------------------------------------------------------------------
    // Data folders that do not exist or hold a bad file: exit 2 (bad input), with a message on stderr.
    CHECK(run({"train", "--data", (tmp / "no-such-folder").string(), "--out", (tmp / "out_missing").string(),
               "--epochs", "1", "--quiet", "--threads", "1"}) == 2);
    auto train_on = [&](const fs::path& dir) {
        return run({"train", "--data", dir.string(), "--out", (tmp / "out_bad").string(), "--hidden", "4",
                    "--epochs", "1", "--val-size", "50", "--quiet", "--threads", "1"});
    };
    {
        const fs::path bad_magic = tmp / "bad_magic";  // train-images starting 01 00 08 03
        synthetic::write_quadrant_data_set(bad_magic, 300, 60);
        std::vector<uint8_t> bytes = read_bytes(bad_magic / "train-images-idx3-ubyte");
        bytes[0] = 0x01;
        write_bytes(bad_magic / "train-images-idx3-ubyte", bytes);
        CHECK(train_on(bad_magic) == 2);

        const fs::path bad_type = tmp / "bad_type";  // element type 0x0D (float) instead of 0x08
        synthetic::write_quadrant_data_set(bad_type, 300, 60);
        bytes = read_bytes(bad_type / "t10k-images-idx3-ubyte");
        bytes[2] = 0x0D;
        write_bytes(bad_type / "t10k-images-idx3-ubyte", bytes);
        CHECK(train_on(bad_type) == 2);

        const fs::path mismatch = tmp / "label_mismatch";  // 299 labels for 300 images
        synthetic::write_quadrant_data_set(mismatch, 300, 60);
        write_idx(mismatch / "train-labels-idx1-ubyte", {299}, std::vector<uint8_t>(299, 1));
        CHECK(train_on(mismatch) == 2);

        const fs::path truncated = tmp / "truncated";  // the header promises 300 images, 299.5 follow
        synthetic::write_quadrant_data_set(truncated, 300, 60);
        bytes = read_bytes(truncated / "train-images-idx3-ubyte");
        bytes.resize(bytes.size() - 32);
        write_bytes(truncated / "train-images-idx3-ubyte", bytes);
        CHECK(train_on(truncated) == 2);

        const fs::path foreign_label = tmp / "foreign_label";  // a test label (7) the training set never has
        synthetic::write_quadrant_data_set(foreign_label, 300, 60);
        std::vector<uint8_t> labels(60, 1);
        labels[59] = 7;
        write_idx(foreign_label / "t10k-labels-idx1-ubyte", {60}, labels);
        CHECK(train_on(foreign_label) == 2);

        // Issue 15, item 6: one corrupt training label (200 among 0, 1, 2) is refused (2), not turned into a
        // 201-class network; stating the classes (--classes 201) is how to train on labels with real gaps.
        const fs::path corrupt_label = tmp / "corrupt_label";
        synthetic::write_quadrant_data_set(corrupt_label, 300, 60);
        std::vector<uint8_t> train_labels = read_bytes(corrupt_label / "train-labels-idx1-ubyte");
        train_labels[8 + 123] = 200;
        write_bytes(corrupt_label / "train-labels-idx1-ubyte", train_labels);
        CHECK(train_on(corrupt_label) == 2);
        CHECK(run({"train", "--data", corrupt_label.string(), "--out", (tmp / "out_classes").string(), "--hidden", "4",
                   "--epochs", "1", "--val-size", "50", "--quiet", "--threads", "1", "--classes", "201"}) == 0);
        CHECK(run({"train", "--data", D, "--out", (tmp / "out_classes").string(), "--classes", "1"}) == 2);

        const fs::path sizes_differ = tmp / "sizes_differ";  // 8 x 8 training images, 7 x 7 test images
        synthetic::write_quadrant_data_set(sizes_differ, 300, 60);
        write_idx(sizes_differ / "t10k-images-idx3-ubyte", {60, 7, 7}, std::vector<uint8_t>(60 * 49, 0));
        CHECK(train_on(sizes_differ) == 2);

        const fs::path one_missing = tmp / "one_missing";
        synthetic::write_quadrant_data_set(one_missing, 300, 60);
        fs::remove(one_missing / "t10k-labels-idx1-ubyte");
        CHECK(train_on(one_missing) == 2);

        const fs::path good_again = tmp / "good_again";  // the same folder unharmed trains fine
        synthetic::write_quadrant_data_set(good_again, 300, 60);
        CHECK(train_on(good_again) == 0);
    }

    // ---------------------------------------------------------------------------------------------------
    // An output folder that cannot be created (its parent is a regular file): exit 1, a failure of the
    // system, not of the input.
    {
        const fs::path plain = tmp / "plain_file";
        write_bytes(plain, {'x'});
        CHECK(run({"train", "--data", D, "--out", (plain / "sub").string(), "--hidden", "4", "--epochs", "1",
                   "--val-size", "50", "--quiet", "--threads", "1"}) == 1);
        CHECK(run({"train", "--data", D, "--out", plain.string(), "--hidden", "4", "--epochs", "1",
                   "--val-size", "50", "--quiet", "--threads", "1"}) == 1);  // --out is the file itself
    }

    // ---------------------------------------------------------------------------------------------------
    // A successful tiny run: 8 x 8 images, 3 classes, 300 training (250 + 50 validation) and 60 test images.
    // It writes model.bin, metrics.json, history.csv (a header and one line for each of the 2 epochs), the
    // report (report.html, report.md and figures/; tests/test_report.cpp checks them), and leaves no
    // temporary files. eval then reads the model back; a damaged model is refused with 2.
    {
        const fs::path out = tmp / "out";
        CHECK(run({"train", "--data", D, "--out", out.string(), "--hidden", "16", "--epochs", "2", "--val-size", "50",
                   "--quiet", "--threads", "1"}) == 0);
        CHECK(fs::exists(out / "model.bin"));
        CHECK(fs::exists(out / "metrics.json"));
        CHECK(fs::exists(out / "history.csv"));
        CHECK(count_lines(out / "history.csv") == 3);
        std::set<std::string> names;
        for (const auto& entry : fs::directory_iterator(out)) names.insert(entry.path().filename().string());
        CHECK(names == std::set<std::string>(
                           {"model.bin", "metrics.json", "history.csv", "report.html", "report.md", "demo.html", "figures"}));
        const std::vector<uint8_t> metrics = read_bytes(out / "metrics.json");
        const std::string metrics_text(metrics.begin(), metrics.end());
        CHECK(metrics_text.find("\"test_accuracy\":") != std::string::npos);
        CHECK(metrics_text.find("\"epochs_run\":2") != std::string::npos);
        // model.bin for 64 inputs, 16 hidden, 3 classes: 24 + 3*4 header, (64*16 + 16 + 16*3 + 3) * 4, CRC 4.
        CHECK(fs::file_size(out / "model.bin") == 24 + 12 + (64 * 16 + 16 + 16 * 3 + 3) * 4 + 4);

        const std::string model = (out / "model.bin").string();
        CHECK(run({"eval", "--model", model, "--data", D, "--threads", "1"}) == 0);
        CHECK(run({"eval", "--model=" + model, "--data=" + D}) == 0);
        CHECK(run({"eval", "--model", model, "--data", D, "--json"}) == 0);
        CHECK(run({"eval", "--model", model, "--data", (tmp / "no-such-folder").string()}) == 2);
        CHECK(run({"eval", "--model", (tmp / "no-such-model.bin").string(), "--data", D}) == 2);
        // The model reads 8 x 8 images; a data set of 6 x 6 images does not fit it.
        synthetic::write_quadrant_data_set(tmp / "six", 300, 60, 6);
        CHECK(run({"eval", "--model", model, "--data", (tmp / "six").string()}) == 2);

        // Issue 15, item 5: a run that stops before it has results writes nothing into an existing --out but
        // its checkpoint: the last run's figures and report stay as they were (the data figures were once
        // written before training). This run has another split (so other class-distribution figures) and
        // is stopped by a SIGINT that is already pending when it starts: it ends after its first batch.
        {
            std::vector<std::pair<fs::path, std::vector<uint8_t>>> before;
            for (const auto& entry : fs::recursive_directory_iterator(out))
                if (entry.is_regular_file()) before.push_back({entry.path(), read_bytes(entry.path())});
            install_interrupt_handlers();
            std::raise(SIGINT);
            CHECK(run({"train", "--data", D, "--out", out.string(), "--hidden", "16", "--epochs", "2", "--val-size",
                       "60", "--quiet", "--threads", "1"}) == 130);
            clear_interrupt();
            std::signal(SIGINT, SIG_DFL);
            CHECK(!before.empty());
            for (const auto& file : before) CHECK(read_bytes(file.first) == file.second);
            CHECK(fs::exists(out / "checkpoint.bin"));  // the one file a stopped run writes
            fs::remove(out / "checkpoint.bin");
        }

        // Issue 15, item 4: a second run into a folder another run is writing is refused at once (exit 1),
        // before it writes anything; the lock goes with the run that held it.
        {
            const fs::path busy = tmp / "out_busy";
            fs::create_directories(busy);
            {
                const FolderLock other_run(busy.string());
                CHECK(run({"train", "--data", D, "--out", busy.string(), "--hidden", "4", "--epochs", "1",
                           "--val-size", "50", "--quiet", "--threads", "1"}) == 1);
                CHECK(run({"eda", "--data", D, "--out", busy.string(), "--val-size", "50"}) == 1);
                CHECK(!fs::exists(busy / "model.bin") && !fs::exists(busy / "figures"));
            }
            CHECK(run({"train", "--data", D, "--out", busy.string(), "--hidden", "4", "--epochs", "1", "--val-size",
                       "50", "--quiet", "--threads", "1"}) == 0);
            CHECK(fs::exists(busy / "model.bin") && !fs::exists(busy / ".mnist-lock"));
        }

        // Issue 15, item 13: out/model.bin being a folder is found before training (exit 1), not after it.
        {
            const fs::path blocked = tmp / "out_blocked";
            fs::create_directories(blocked / "model.bin");
            CHECK(run({"train", "--data", D, "--out", blocked.string(), "--hidden", "4", "--epochs", "1",
                       "--val-size", "50", "--quiet", "--threads", "1"}) == 1);
            CHECK(!fs::exists(blocked / "figures") && !fs::exists(blocked / "metrics.json"));
        }

        // A --limit run works too and still writes its three files.
        const fs::path limited = tmp / "out_limited";
        CHECK(run({"train", "--data", D, "--out", limited.string(), "--hidden", "8", "--epochs", "1", "--val-size",
                   "50", "--limit", "100", "--quiet", "--threads", kTwoThreads}) == 0);
        CHECK(count_lines(limited / "history.csv") == 2);

        // Issue 15, item 10: what eval --json prints is how results are compared across machines; when it
        // cannot be written (stdout is /dev/full) the command fails (1) instead of exiting 0 with nothing
        // written. (Seen from a child process: tests/test_files.h, run_child.)
        const std::string printed = (tmp / "printed.txt").string();
        if (child_processes_work(argv[0])) {
            CHECK(run_child(argv[0], {"eval", "--model", model, "--data", D, "--json"}, printed) == 0);
            CHECK(read_text(printed).find("\"test_accuracy\":") != std::string::npos);
            if (fs::exists("/dev/full")) {
                CHECK(run_child(argv[0], {"eval", "--model", model, "--data", D, "--json"}, "/dev/full") == 1);
                CHECK(run_child(argv[0], {"eval", "--model", model, "--data", D}, "/dev/full") == 1);
                CHECK(run_child(argv[0], {"--help"}, "/dev/full") == 1);
            }
        } else {
            std::printf("child processes unavailable: the stdout checks are skipped\n");
        }

        // Issue 15, item 8: a model whose weights are finite but huge (all 3e38) computes inf and NaN: eval
        // refuses it (2) instead of printing "test loss -nan"; and a run whose loss explodes (--lr 10) stops
        // as diverged (1) instead of counting as a success.
        {
            SavedModel huge = load_model(model);
            for (float& w : huge.mlp.parameters) w = 3e38f;
            const std::string huge_path = (tmp / "huge.bin").string();
            save_model(huge_path, huge.mlp, huge.image_rows, huge.image_cols);
            CHECK(run({"eval", "--model", huge_path, "--data", D}) == 2);
            CHECK(run({"train", "--data", D, "--out", (tmp / "out_exploded").string(), "--hidden", "16", "--lr", "10",
                       "--epochs", "3", "--val-size", "50", "--quiet", "--threads", "1"}) == 1);
        }

        // Flip one byte in the middle of the parameters: the CRC catches it, eval refuses with 2.
        std::vector<uint8_t> bytes = read_bytes(model);
        CHECK(bytes.size() > 100);
        bytes[bytes.size() / 2] ^= 0x10;
        write_bytes(model, bytes);
        CHECK(run({"eval", "--model", model, "--data", D, "--threads", "1"}) == 2);
        // And a model file that is not a model at all.
        write_bytes(model, {'h', 'e', 'l', 'l', 'o'});
        CHECK(run({"eval", "--model", model, "--data", D}) == 2);
    }

    // ---------------------------------------------------------------------------------------------------
    // Checkpoints from the command line: --checkpoint-every 1 writes checkpoint.bin; --resume of a finished
    // run re-evaluates it and writes the same model; --resume refuses options that would change the run,
    // a damaged checkpoint (2), and a checkpoint meant for other data (2).
    {
        const fs::path out = tmp / "out_checkpoint";
        CHECK(run({"train", "--data", D, "--out", out.string(), "--hidden", "8", "--epochs", "3", "--val-size", "50",
                   "--checkpoint-every", "1", "--quiet", "--threads", "1"}) == 0);
        const fs::path checkpoint = out / "checkpoint.bin";
        CHECK(fs::exists(checkpoint));
        const std::vector<uint8_t> model = read_bytes(out / "model.bin");
        CHECK(run({"train", "--resume", checkpoint.string(), "--data", D, "--out", out.string(), "--quiet",
                   "--threads", kTwoThreads}) == 0);
        CHECK(read_bytes(out / "model.bin") == model);
        CHECK(run({"train", "--resume", checkpoint.string(), "--data", D, "--out", out.string(), "--lr", "0.1"}) == 2);
        CHECK(run({"train", "--resume", (tmp / "no-such-checkpoint.bin").string(), "--data", D, "--out",
                   out.string()}) == 2);
        // Issue 15, item 7: the same labels with other pixels is other data: refused (2). It was resumed.
        {
            const fs::path repainted = tmp / "repainted";
            synthetic::write_quadrant_data_set(repainted, 300, 60);
            std::vector<uint8_t> pixels = read_bytes(repainted / "train-images-idx3-ubyte");
            pixels[16 + 64 * 7 + 3] ^= 0x40;  // one pixel of image 7
            write_bytes(repainted / "train-images-idx3-ubyte", pixels);
            CHECK(run({"train", "--resume", checkpoint.string(), "--data", repainted.string(), "--out",
                       (tmp / "out_repainted").string(), "--quiet", "--threads", "1"}) == 2);
            CHECK(!fs::exists(tmp / "out_repainted" / "model.bin"));
        }
        synthetic::write_quadrant_data_set(tmp / "other_data", 310, 60);
        CHECK(run({"train", "--resume", checkpoint.string(), "--data", (tmp / "other_data").string(), "--out",
                   out.string(), "--quiet"}) == 2);
        // Issue 15, item 1: a checkpoint with a right CRC whose history holds an infinite validation
        // accuracy: refused with 2 (it once got through, and drawing its chart ended in SIGSEGV).
        {
            Checkpoint crafted = load_checkpoint(checkpoint.string());
            crafted.state.result.history[0].validation_accuracy = std::numeric_limits<double>::infinity();
            const fs::path infinite = tmp / "infinite-accuracy.bin";
            write_bytes(infinite, encode_checkpoint(crafted.identity, crafted.mlp, crafted.state));
            CHECK(run({"train", "--resume", infinite.string(), "--data", D, "--out", (tmp / "out_infinite").string(),
                       "--quiet", "--threads", "1"}) == 2);
        }
        // Issue 15, item 14: resuming a finished run says so (not "resuming at epoch 4").
        const std::string printed = (tmp / "resumed.txt").string();
        if (child_processes_work(argv[0])) {
            CHECK(run_child(argv[0], {"train", "--resume", checkpoint.string(), "--data", D, "--out", out.string(),
                                      "--threads", "1"}, printed) == 0);
            const std::string text = read_text(printed);
            CHECK(text.find("its run finished after 3 epochs") != std::string::npos);
            CHECK(text.find("at epoch") == std::string::npos);
        }
        // Issue 15, item 11: a signal that arrives after the last batch (here already pending when a
        // finished run is resumed, so it falls in the final evaluation and writing) is not swallowed: the
        // files are finished, complete, and the exit status is 130 as for a signal during training.
        {
            fs::remove(out / "metrics.json");
            install_interrupt_handlers();
            std::raise(SIGINT);
            CHECK(run({"train", "--resume", checkpoint.string(), "--data", D, "--out", out.string(), "--quiet",
                       "--threads", "1"}) == 130);
            clear_interrupt();
            std::signal(SIGINT, SIG_DFL);
            CHECK(read_bytes(out / "model.bin") == model);
            CHECK(fs::exists(out / "metrics.json") && fs::exists(out / "report.md"));
        }
        std::vector<uint8_t> damaged = read_bytes(checkpoint);
        damaged[damaged.size() / 2] ^= 0x01;
        write_bytes(checkpoint, damaged);
        CHECK(run({"train", "--resume", checkpoint.string(), "--data", D, "--out", out.string()}) == 2);
        // Runs of fewer than 5 epochs write no checkpoint unless asked.
        const fs::path short_out = tmp / "out_short";
        CHECK(run({"train", "--data", D, "--out", short_out.string(), "--hidden", "8", "--epochs", "2",
                   "--val-size", "50", "--quiet", "--threads", "1"}) == 0);
        CHECK(!fs::exists(short_out / "checkpoint.bin"));
    }

    std::error_code ignored;
    fs::remove_all(tmp, ignored);
    return check_exit("test_cli");
}
