// What training shows while it runs. On a terminal: one line per epoch that redraws itself (batches done,
// images per second, the running loss, the time left in the epoch) and gives way to the epoch's row of
// Table 1 when the epoch ends. In a log file or a pipe: the rows alone. With --quiet: nothing. Redraws
// at most 10 times a second, so printing never slows training. See docs/10-figures.md.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace mnist {

enum class ProgressMode { quiet, lines, bar };

// quiet wins; otherwise a bar on a terminal and plain lines elsewhere.
ProgressMode progress_mode(bool quiet, bool terminal);

// The bar's text, e.g. "epoch 3 [#######.............] 150/422  21034 img/s  loss 0.1234  ETA 3.2 s".
std::string progress_line(size_t epoch, size_t batches_done, size_t batches_total, double images_per_second,
                          double mean_loss, double eta_seconds);

struct Progress {
    ProgressMode mode = ProgressMode::lines;
    size_t batch_size = 1, train_images = 0;  // for images per second (the last batch may be short)
    std::chrono::steady_clock::time_point epoch_start, last_draw;
    size_t drawn = 0;  // characters of the bar on the line now (0: none)
};
// `now` is the time of the call: training leaves it to the clock; tests pass their own times.
Progress make_progress(ProgressMode mode, size_t batch_size, size_t train_images,
                       std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now());

// For TrainCallbacks::on_batch: redraws the bar if it is due.
void progress_batch(Progress& progress, size_t epoch, size_t batches_done, size_t batches_total, double mean_loss,
                    std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now());

// For TrainCallbacks::on_epoch: erases the bar and prints `row` (a line of Table 1) in its place.
void progress_epoch(Progress& progress, const std::string& row);

// Erases the bar, if one is drawn: before printing anything else mid-epoch (e.g. after an interrupt).
void progress_clear(Progress& progress);

}  // namespace mnist
