// `mnist augment-preview`: what the network trains on. Writes a grid of training digits, one per row: the
// original first, then augmented versions drawn as training draws them (data/augment.h), so a reader can see
// what --augment and its ranges do before spending an hour of training on them. See docs/12-augmentation.md.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/settings_options.h"
#include "cli/run_common.h"
#include "codec/png_writer.h"
#include "data/augment.h"
#include "util/check.h"
#include "util/folder_lock.h"
#include "util/output_file.h"
#include "util/rng.h"

namespace mnist {

namespace {

// The settings it shares with `train` come from the settings table (train/settings.h): the folders, the seed,
// the classes, --recipe (best by default here) and the augmentation; not the schedule's, as there is no
// training to schedule.
const std::vector<OptionSpec>& preview_options() {
    static const std::vector<OptionSpec> specs = [] {
        std::vector<OptionSpec> all = setting_option_specs({"data", "out"});
        all.push_back({"count", "N", "10", "digits (rows): the first of each class in turn"});
        all.push_back({"variants", "N", "9", "augmented versions of each digit (columns after the original)"});
        all.push_back({"zoom", "N", "2", "draw each pixel as N x N pixels"});
        for (OptionSpec& spec : setting_option_specs({"seed", "classes", "recipe", "augment", "shift", "rotate", "scale",
                                                      "shear", "elastic-alpha", "elastic-sigma"})) {
            if (spec.name == "recipe") spec.default_value = "best";
            all.push_back(spec);
        }
        all.push_back({"help", "", "", "show this help"});
        return all;
    }();
    return specs;
}

const char* kUsage =
    "usage: mnist augment-preview [--data DIR] [--out DIR] [--recipe NAME] [augmentation options]\n"
    "Writes OUT/augment-preview.png: training digits, one per row, the original first and then augmented\n"
    "versions, drawn as training draws them. Without options it shows --recipe best's augmentation.\n";


// The training images to show: the first image of each class in turn, then the second of each, and so on.
std::vector<size_t> pick_digits(const ImageSet& set, size_t classes, size_t count) {
    std::vector<std::vector<size_t>> by_class(classes);
    for (size_t i = 0; i < set.count; ++i)
        if (by_class[set.labels[i]].size() < count) by_class[set.labels[i]].push_back(i);
    std::vector<size_t> picked;
    for (size_t round = 0; picked.size() < count && round < count; ++round)
        for (size_t c = 0; c < classes && picked.size() < count; ++c)
            if (round < by_class[c].size()) picked.push_back(by_class[c][round]);
    return picked;
}

}  // namespace

int augment_preview_command(const std::vector<std::string>& args) {
    const ParsedOptions options = with_recipe(parse_options("augment-preview", args, preview_options()));
    if (print_help_if_asked(options, kUsage)) return kExitOk;
    RunSettings run;
    read_settings(options, run);
    const std::string& data_dir = run.data_dir;
    const std::string& out_dir = run.out_dir;
    const size_t count = option_unsigned(options, "count", 1, 100);
    const size_t variants = option_unsigned(options, "variants", 0, 100);
    const size_t zoom = option_unsigned(options, "zoom", 1, 16);
    const uint64_t seed = run.train.seed;
    const AugmentSettings& settings = run.train.augment;
    make_directories(out_dir);
    const FolderLock lock(out_dir);  // a second run into the same folder is refused (util/folder_lock.h)
    check_can_replace(out_dir + "/augment-preview.png");

    const MnistData data = load_data_verbose(data_dir, true, run.classes);
    const ImageSet& set = data.train;
    const std::vector<size_t> digits = pick_digits(set, data.num_classes, count);
    const size_t rows = set.rows, cols = set.cols, pixels = rows * cols;

    // The grid: cells of rows x cols pixels times zoom, 2 grey pixels between cells and 6 after the originals.
    const size_t gap = 2, first_gap = 6, cell_w = cols * zoom, cell_h = rows * zoom;
    const size_t width = gap + cell_w + first_gap + variants * (cell_w + gap);
    const size_t height = gap + digits.size() * (cell_h + gap);
    std::vector<uint8_t> grid(width * height, 96);
    AugmentWorkspace ws = make_augment_workspace(settings, rows, cols);
    std::vector<float> image(pixels);
    // Not the training run's streams: the preview shows the kind of images a run trains on, not the exact ones.
    const uint64_t preview_seed = stream_seed(seed, RandomStream::preview);
    for (size_t d = 0; d < digits.size(); ++d) {
        const uint8_t* original = set.pixels.data() + digits[d] * pixels;
        for (size_t v = 0; v <= variants; ++v) {
            if (v == 0) {
                for (size_t p = 0; p < pixels; ++p) image[p] = static_cast<float>(original[p]) / 255.0f;
            } else {
                augment_image(image.data(), original, rows, cols, settings,
                              augment_stream(mix64(preview_seed + v), d), ws);
            }
            const size_t left = gap + (v == 0 ? 0 : cell_w + first_gap + (v - 1) * (cell_w + gap));
            const size_t top = gap + d * (cell_h + gap);
            for (size_t y = 0; y < cell_h; ++y)
                for (size_t x = 0; x < cell_w; ++x) {
                    const float value = std::min(1.0f, std::max(0.0f, image[(y / zoom) * cols + x / zoom]));
                    grid[(top + y) * width + left + x] = static_cast<uint8_t>(value * 255.0f + 0.5f);
                }
        }
    }
    const std::string path = out_dir + "/augment-preview.png";
    write_png(path, grid.data(), width, height, 1);
    std::string described;  // the augmentation settings that apply, as the table writes them
    for (const char* name : {"augment", "shift", "rotate", "scale", "shear", "elastic-alpha", "elastic-sigma"})
        if (setting_applies(*find_setting(name), run))
            described += std::string(" --") + name + " " + setting_text(*find_setting(name), run);
    std::printf("wrote %s (%zu x %zu): %zu training digits, one per row; the original, then %zu augmented "
                "versions\naugmentation:%s\n",
                path.c_str(), width, height, digits.size(), variants, described.c_str());
    return kExitOk;
}

}  // namespace mnist
