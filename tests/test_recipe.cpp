// The options of docs/12-augmentation.md through run_cli: --recipe best and its overrides, every bad value of
// the augmentation and schedule options (exit 2), --resume refusing them, metrics.json recording them, a
// resumed augmented run ending as the uninterrupted one, and `augment-preview` writing its grid. On a small
// MNIST-format data set written to a temporary folder. See docs/12-augmentation.md.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>
#include <vector>

#include "check.h"
#include "synthetic_data.h"
#include "test_files.h"
#include "cli/cli.h"
#include "data/png_reader.h"
#include "tensor/thread_pool.h"
#include "util/rng.h"

using namespace mnist;
namespace fs = std::filesystem;
using namespace test_files;

namespace {

int run(std::vector<std::string> args) { return run_cli(args); }

}  // namespace

int main() {
    const std::string stamp = std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
    const fs::path tmp = fs::temp_directory_path() / ("mnist_test_recipe_" + stamp);
    const fs::path data = tmp / "data";
    synthetic::write_quadrant_data_set(data, 300, 60);
    const std::string D = data.string();
    const std::vector<std::string> base = {"train", "--data", D, "--hidden", "8", "--val-size", "50", "--quiet",
                                           "--threads", "1", "--checkpoint-every", "0"};
    const auto train_with = [&](const fs::path& out, std::initializer_list<std::string> extra) {
        std::vector<std::string> args = base;
        args.push_back("--out");
        args.push_back(out.string());
        args.insert(args.end(), extra);
        return run(args);
    };

    CHECK(run({"train", "--help"}) == 0);
    CHECK(run({"augment-preview", "--help"}) == 0);

    // The report's recipe is the default: metrics.json says so, with augmentation and schedules off.
    {
        const fs::path out = tmp / "default";
        CHECK(train_with(out, {"--epochs", "1"}) == 0);
        const std::string metrics = read_text(out / "metrics.json");
        CHECK(metrics.find("\"recipe\":\"report\"") != std::string::npos);
        CHECK(metrics.find("\"augment\":\"none\"") != std::string::npos);
        CHECK(metrics.find("\"lr_schedule\":\"constant\"") != std::string::npos);
        CHECK(metrics.find("\"max_norm\":0") != std::string::npos);
        CHECK(metrics.find("\"epochs\":1") != std::string::npos);
    }

    // --recipe best sets its values; options given with it win.
    {
        const fs::path out = tmp / "best";
        CHECK(train_with(out, {"--recipe", "best", "--epochs", "2", "--patience", "2", "--warmup", "1"}) == 0);
        const std::string metrics = read_text(out / "metrics.json");
        CHECK(metrics.find("\"recipe\":\"best\"") != std::string::npos);
        CHECK(metrics.find("\"augment\":\"both\"") != std::string::npos);
        CHECK(metrics.find("\"lr_schedule\":\"cosine\"") != std::string::npos);
        CHECK(metrics.find("\"epochs\":2") != std::string::npos);  // given: not the recipe's
        CHECK(metrics.find("\"epochs_run\":2") != std::string::npos);
        const fs::path other = tmp / "best_affine";
        CHECK(train_with(other, {"--recipe", "best", "--epochs", "2", "--warmup", "0", "--augment", "affine",
                                 "--max-norm", "2"}) == 0);
        const std::string other_metrics = read_text(other / "metrics.json");
        CHECK(other_metrics.find("\"augment\":\"affine\"") != std::string::npos);
        CHECK(other_metrics.find("\"max_norm\":2") != std::string::npos);
    }

    // Bad values: exit 2, each on an otherwise good command.
    const fs::path bad = tmp / "bad";
    CHECK(train_with(bad, {"--epochs", "1"}) == 0);  // the base command is good
    CHECK(train_with(bad, {"--epochs", "1", "--recipe", "fastest"}) == 2);
    CHECK(train_with(bad, {"--epochs", "1", "--augment", "rotate"}) == 2);
    CHECK(train_with(bad, {"--epochs", "1", "--augment", "both", "--shift", "11"}) == 2);
    CHECK(train_with(bad, {"--epochs", "1", "--augment", "both", "--rotate", "-1"}) == 2);
    CHECK(train_with(bad, {"--epochs", "1", "--augment", "both", "--scale", "0.6"}) == 2);
    CHECK(train_with(bad, {"--epochs", "1", "--augment", "both", "--shear", "x"}) == 2);
    CHECK(train_with(bad, {"--epochs", "1", "--augment", "both", "--elastic-alpha", "nan"}) == 2);
    CHECK(train_with(bad, {"--epochs", "1", "--augment", "both", "--elastic-sigma", "0"}) == 2);
    CHECK(train_with(bad, {"--epochs", "1", "--lr-schedule", "linear"}) == 2);
    CHECK(train_with(bad, {"--epochs", "1", "--lr-schedule", "step", "--lr-step", "0"}) == 2);
    CHECK(train_with(bad, {"--epochs", "1", "--lr-schedule", "step", "--lr-gamma", "0"}) == 2);
    CHECK(train_with(bad, {"--epochs", "1", "--lr-schedule", "step", "--lr-gamma", "1.5"}) == 2);
    CHECK(train_with(bad, {"--epochs", "1", "--lr-schedule", "cosine", "--lr-min", "0.01"}) == 2);  // > --lr
    CHECK(train_with(bad, {"--epochs", "2", "--warmup", "2"}) == 2);  // the warm-up must end before the run
    CHECK(train_with(bad, {"--epochs", "1", "--recipe", "best"}) == 2);  // the recipe's warm-up is too long
    CHECK(train_with(bad, {"--epochs", "1", "--max-norm", "-1"}) == 2);
    CHECK(train_with(bad, {"--epochs", "1", "--recipe", "best", "--recipe", "best"}) == 2);

    // Resuming: an augmented, scheduled run with checkpoints; resuming its finished checkpoint re-evaluates
    // it and writes the same model; the recipe's options cannot be combined with --resume.
    {
        const fs::path out = tmp / "resume";
        std::vector<std::string> args = base;
        args.insert(args.end(), {"--out", out.string(), "--recipe", "best", "--epochs", "3", "--patience", "3",
                                 "--warmup", "1", "--checkpoint-every", "1"});
        args.erase(args.begin() + 10, args.begin() + 12);  // the base's --checkpoint-every 0
        CHECK(run(args) == 0);
        const fs::path checkpoint = out / "checkpoint.bin";
        CHECK(fs::exists(checkpoint));
        const std::vector<uint8_t> model = read_bytes(out / "model.bin");
        CHECK(run({"train", "--resume", checkpoint.string(), "--data", D, "--out", out.string(), "--quiet",
                   "--threads", ThreadPool::kThreadsAvailable ? "2" : "1"}) == 0);  // make THREADS=0 has 1
        CHECK(read_bytes(out / "model.bin") == model);
        for (const char* option : {"--recipe=best", "--augment=none", "--shift=1", "--elastic-sigma=3",
                                          "--lr-schedule=constant", "--warmup=0", "--lr-min=0", "--max-norm=0"})
            CHECK(run({"train", "--resume", checkpoint.string(), "--data", D, "--out", out.string(), option}) == 2);
    }

    // augment-preview: 3 classes, 1 digit each, 2 augmented versions, zoom 1 -> a grey PNG of
    // (2 + 8 + 6 + 2 * (8 + 2)) x (2 + 3 * (8 + 2)) = 36 x 32 pixels.
    {
        const fs::path out = tmp / "preview";
        CHECK(run({"augment-preview", "--data", D, "--out", out.string(), "--count", "3", "--variants", "2",
                   "--zoom", "1"}) == 0);
        const std::vector<uint8_t> png = read_bytes(out / "augment-preview.png");
        const Image image = decode_png(png, "augment-preview.png");
        CHECK(image.width == 36 && image.height == 32 && image.channels == 1);
        // The same command draws the same grid; another seed draws another.
        CHECK(run({"augment-preview", "--data", D, "--out", (tmp / "preview2").string(), "--count", "3",
                   "--variants", "2", "--zoom", "1"}) == 0);
        CHECK(read_bytes(tmp / "preview2" / "augment-preview.png") == png);
        CHECK(run({"augment-preview", "--data", D, "--out", (tmp / "preview3").string(), "--count", "3",
                   "--variants", "2", "--zoom", "1", "--seed", "7"}) == 0);
        CHECK(read_bytes(tmp / "preview3" / "augment-preview.png") != png);
        CHECK(run({"augment-preview", "--data", D, "--out", out.string(), "--augment", "sideways"}) == 2);
        CHECK(run({"augment-preview", "--data", D, "--out", out.string(), "--count", "0"}) == 2);
        CHECK(run({"augment-preview", "--data", D, "--out", out.string(), "--epochs", "3"}) == 2);  // not its option
    }

    std::error_code ignored;
    fs::remove_all(tmp, ignored);
    return check_exit("test_recipe");
}
