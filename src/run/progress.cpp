// The bar is erased by returning to the start of the line ('\r') and overwriting it with spaces, which
// every terminal understands (no escape sequences).
#include "run/progress.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace mnist {
namespace {

constexpr size_t kBarWidth = 20;
constexpr std::chrono::milliseconds kRedrawEvery(100);

// The bar's text into line[0 .. capacity), without touching the heap (it runs during training).
void format_line(char* line, size_t capacity, size_t epoch, size_t batches_done, size_t batches_total,
                 double images_per_second, double mean_loss, double eta_seconds) {
    char bar[kBarWidth + 1];
    const size_t filled = batches_total ? std::min(kBarWidth, kBarWidth * batches_done / batches_total) : 0;
    for (size_t i = 0; i < kBarWidth; ++i) bar[i] = i < filled ? '#' : '.';
    bar[kBarWidth] = '\0';
    std::snprintf(line, capacity, "epoch %zu [%s] %zu/%zu  %.0f img/s  loss %.4f  ETA %.1f s", epoch, bar,
                  batches_done, batches_total, images_per_second, mean_loss, eta_seconds);
}

}  // namespace

ProgressMode progress_mode(bool quiet, bool terminal) {
    if (quiet) return ProgressMode::quiet;
    return terminal ? ProgressMode::bar : ProgressMode::lines;
}

std::string progress_line(size_t epoch, size_t batches_done, size_t batches_total, double images_per_second,
                          double mean_loss, double eta_seconds) {
    char line[160];
    format_line(line, sizeof line, epoch, batches_done, batches_total, images_per_second, mean_loss, eta_seconds);
    return line;
}

Progress make_progress(ProgressMode mode, size_t batch_size, size_t train_images,
                       std::chrono::steady_clock::time_point now) {
    Progress p;
    p.mode = mode;
    p.batch_size = batch_size;
    p.train_images = train_images;
    p.epoch_start = p.last_draw = now;
    return p;
}

void progress_batch(Progress& p, size_t epoch, size_t batches_done, size_t batches_total, double mean_loss,
                    std::chrono::steady_clock::time_point now) {
    if (p.mode != ProgressMode::bar || batches_done == batches_total) return;  // the row replaces the last one
    if (now - p.last_draw < kRedrawEvery) return;
    p.last_draw = now;
    const double elapsed = std::chrono::duration<double>(now - p.epoch_start).count();
    const double images = static_cast<double>(std::min(batches_done * p.batch_size, p.train_images));
    const double eta = elapsed / static_cast<double>(batches_done) * static_cast<double>(batches_total - batches_done);
    char line[160];
    format_line(line, sizeof line, epoch, batches_done, batches_total, elapsed > 0 ? images / elapsed : 0, mean_loss,
                eta);
    const size_t length = std::strlen(line), old = p.drawn;
    std::printf("\r%s", line);
    if (old > length) std::printf("%*s", static_cast<int>(old - length), "");  // cover a longer old line
    std::fflush(stdout);
    p.drawn = std::max(old, length);
}

void progress_epoch(Progress& p, const std::string& row) {
    if (p.mode == ProgressMode::quiet) return;
    progress_clear(p);
    std::fputs(row.c_str(), stdout);
    std::fflush(stdout);
    p.epoch_start = p.last_draw = std::chrono::steady_clock::now();
}

void progress_clear(Progress& p) {
    if (p.drawn == 0) return;
    std::printf("\r%*s\r", static_cast<int>(p.drawn), "");
    std::fflush(stdout);
    p.drawn = 0;
}

}  // namespace mnist
