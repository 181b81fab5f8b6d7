// `mnist eda`: the data figures alone, without training: class balance, samples, mean images and the pixel
// histogram, with the observations printed, written to --out as figures/ and eda.html / eda.md. The
// split is the one `mnist train` makes with the same --val-size and --seed. See docs/10-figures.md.
#include <cstdio>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/run_common.h"
#include "cli/settings_options.h"
#include "data/dataset.h"
#include "report/eda.h"
#include "report/html_report.h"
#include "report/run_report.h"
#include "util/check.h"
#include "util/folder_lock.h"
#include "util/output_file.h"

namespace mnist {

namespace {

// The rows of the settings table (train/settings.h) that decide what eda looks at: the same split as train's.
const std::vector<OptionSpec>& eda_options() {
    static const std::vector<OptionSpec> specs = [] {
        std::vector<OptionSpec> all = setting_option_specs({"data", "out", "val-size", "seed", "classes"});
        all.push_back({"help", "", "", "show this help"});
        return all;
    }();
    return specs;
}

// What --help prints above the options.
const char* kUsage =
    "usage: mnist eda [--data DIR] [--out DIR]\nLooks at the data before any training: class "
    "balance, samples, mean images, pixel values.\n";

}  // namespace

int eda_command(const std::vector<std::string>& args) {
    const ParsedOptions options = parse_options("eda", args, eda_options());
    if (print_help_if_asked(options, kUsage)) return kExitOk;
    RunSettings run;
    read_settings(options, run);
    const std::string& data_dir = run.data_dir;
    const std::string& out_dir = run.out_dir;
    const uint64_t validation_size = run.validation_size, seed = run.train.seed;
    make_directories(out_dir);
    const FolderLock lock(out_dir);  // a second run into the same folder is refused (util/folder_lock.h)
    for (const char* name : {"eda.html", "eda.md"}) check_can_replace(out_dir + "/" + name);

    const MnistData data = load_data_verbose(data_dir, false, run.classes);
    if (validation_size >= data.train.count)
        throw UsageError("--val-size " + std::to_string(validation_size) + ": must be smaller than the " +
                         std::to_string(data.train.count) + " training images");
    const Split split = split_train_validation(data.train.count, validation_size, seed);
    const EdaSummary eda = compute_eda(data, split, 3);
    for (const std::string& line : eda_observations(eda)) std::printf("eda: %s\n", line.c_str());

    const std::vector<Figure> figures = eda_figures(eda, data.train);
    const Report report = eda_report(eda, figures, data_dir);
    std::vector<OutputFile> files;
    add_figure_files(files, out_dir + "/figures", figures);
    files.push_back(output_file(out_dir + "/eda.html", report_html(report)));
    files.push_back(output_file(out_dir + "/eda.md", report_markdown(report, "figures")));
    write_files_atomic(files);  // all together, after everything was computed
    std::printf("wrote %s/eda.html, %s/eda.md and %zu figures in %s/figures/\n", out_dir.c_str(), out_dir.c_str(),
                figures.size(), out_dir.c_str());
    return kExitOk;
}

}  // namespace mnist
