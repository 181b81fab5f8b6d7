// Tests for run/progress: which mode a run gets (quiet, plain lines, or a bar on a terminal), the bar's
// text, and that plain-lines mode prints the epoch rows and never a bar. Drawing on a real terminal is
// checked by eye (docs/10-figures.md says how). Not the trainer's callbacks (train/trainer.h).
#include <chrono>
#include <cstdio>
#include <string>

#include "check.h"
#include "run/progress.h"

using namespace mnist;

int main() {
    CHECK(progress_mode(true, true) == ProgressMode::quiet);
    CHECK(progress_mode(true, false) == ProgressMode::quiet);
    CHECK(progress_mode(false, true) == ProgressMode::bar);
    CHECK(progress_mode(false, false) == ProgressMode::lines);

    // Half the batches done: half the bar filled.
    const std::string half = progress_line(3, 50, 100, 21034.4, 0.12345, 3.25);
    CHECK(half == "epoch 3 [##########..........] 50/100  21034 img/s  loss 0.1235  ETA 3.2 s" ||
          half == "epoch 3 [##########..........] 50/100  21034 img/s  loss 0.1234  ETA 3.2 s");
    const std::string start = progress_line(1, 1, 422, 0, 2.3, 99);
    CHECK(start.find("[....................] 1/422") != std::string::npos);
    const std::string done = progress_line(1, 422, 422, 1, 0.1, 0);
    CHECK(done.find("[####################] 422/422") != std::string::npos);
    CHECK(progress_line(1, 0, 0, 0, 0, 0).find("[....................]") != std::string::npos);  // no batches

    // Without a terminal the batch callback draws nothing; the epoch row is printed as it is. (The output
    // goes to stdout; the test only checks the state that tells whether a bar is on the line.)
    Progress lines = make_progress(ProgressMode::lines, 128, 1000);
    for (size_t b = 1; b < 8; ++b) progress_batch(lines, 1, b, 8, 0.5);
    CHECK(lines.drawn == 0);
    progress_epoch(lines, "    1      0.5000     0.9000    0.4000   0.9100     0.10  *\n");
    CHECK(lines.drawn == 0);
    Progress quiet = make_progress(ProgressMode::quiet, 128, 1000);
    progress_batch(quiet, 1, 1, 8, 0.5);
    CHECK(quiet.drawn == 0);

    // In bar mode, a bar is drawn once 100 ms have passed since the last drawing, and erased by the row. The
    // times are passed in (the epoch starts at t0), so no check depends on how fast this machine runs.
    using std::chrono::milliseconds;
    const std::chrono::steady_clock::time_point t0(std::chrono::seconds(1000));
    Progress bar = make_progress(ProgressMode::bar, 128, 1000, t0);
    progress_batch(bar, 1, 1, 8, 0.5, t0 + milliseconds(99));
    CHECK(bar.drawn == 0);  // too soon after the start
    progress_batch(bar, 1, 2, 8, 0.5, t0 + milliseconds(2000));
    // 2 batches of 128 images in 2 s: 128 images per second, and 6 batches left at 1 s each.
    CHECK(bar.drawn == progress_line(1, 2, 8, 128, 0.5, 6.0).size());
    CHECK(bar.last_draw == t0 + milliseconds(2000));
    progress_batch(bar, 1, 3, 8, 0.5, t0 + milliseconds(2099));
    CHECK(bar.last_draw == t0 + milliseconds(2000));  // 99 ms after the last drawing: not redrawn
    progress_batch(bar, 1, 3, 8, 0.5, t0 + milliseconds(2100));
    CHECK(bar.last_draw == t0 + milliseconds(2100));
    progress_batch(bar, 1, 8, 8, 0.5, t0 + milliseconds(9000));
    CHECK(bar.last_draw == t0 + milliseconds(2100));  // the last batch: the epoch's row replaces the bar
    std::printf("\n");
    progress_epoch(bar, "(row)\n");
    CHECK(bar.drawn == 0);
    return check_exit("test_progress");
}
