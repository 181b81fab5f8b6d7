// Learning-rate schedules (train/lr_schedule.h), Eq. (30)-(32), against rates worked by hand, for a run of 10
// epochs of 10 updates each (t counts updates from 0). See docs/12-augmentation.md.
#include <cmath>
#include <string>

#include "check.h"
#include "train/lr_schedule.h"

using namespace mnist;

int main() {
    const float lr = 0.001f;
    const size_t per_epoch = 10, epochs = 10;
    const auto rate = [&](const LrSchedule& s, uint64_t t) {
        return static_cast<double>(scheduled_learning_rate(s, lr, t, per_epoch, epochs));
    };
    // Tolerances: the rates are floats, within 6e-11 of the values below, and 0.001f itself is 0.001 + 4.7e-11.

    // Constant: the base rate itself, bit for bit, at every step (the report's recipe is unchanged).
    LrSchedule constant;
    CHECK(scheduled_learning_rate(constant, lr, 0, per_epoch, epochs) == lr);
    CHECK(scheduled_learning_rate(constant, lr, 99, per_epoch, epochs) == lr);
    CHECK(scheduled_learning_rate(constant, lr, 12345, per_epoch, epochs) == lr);  // past the end: still lr

    // Warm-up of 2 epochs (W = 20 updates), Eq. (30): lr (t + 1) / W, then lr.
    LrSchedule warm;
    warm.warmup_epochs = 2;
    CHECK_NEAR(rate(warm, 0), 0.001 / 20, 2e-10);
    CHECK_NEAR(rate(warm, 9), 0.001 * 10 / 20, 2e-10);
    CHECK_NEAR(rate(warm, 19), 0.001, 2e-10);
    CHECK_NEAR(rate(warm, 20), 0.001, 2e-10);
    CHECK_NEAR(rate(warm, 90), 0.001, 2e-10);

    // Step decay every 3 epochs (30 updates) by 0.5, Eq. (31).
    LrSchedule step;
    step.kind = ScheduleKind::step;
    step.step_epochs = 3;
    step.step_gamma = 0.5f;
    CHECK_NEAR(rate(step, 0), 0.001, 2e-10);
    CHECK_NEAR(rate(step, 29), 0.001, 2e-10);
    CHECK_NEAR(rate(step, 30), 0.0005, 2e-10);
    CHECK_NEAR(rate(step, 59), 0.0005, 2e-10);
    CHECK_NEAR(rate(step, 60), 0.00025, 2e-10);
    CHECK_NEAR(rate(step, 99), 0.000125, 2e-10);

    // Cosine to 0 over the 100 updates, Eq. (32): lr (1 + cos(pi t / 100)) / 2.
    LrSchedule cosine;
    cosine.kind = ScheduleKind::cosine;
    CHECK_NEAR(rate(cosine, 0), 0.001, 2e-10);
    CHECK_NEAR(rate(cosine, 25), 0.001 * (1 + std::sqrt(0.5)) / 2, 2e-10);  // 0.000853553
    CHECK_NEAR(rate(cosine, 50), 0.0005, 2e-10);
    CHECK_NEAR(rate(cosine, 75), 0.001 * (1 - std::sqrt(0.5)) / 2, 2e-10);  // 0.000146447
    CHECK_NEAR(rate(cosine, 99), 0.001 * (1 + std::cos(3.14159265358979 * 0.99)) / 2, 2e-10);
    CHECK(rate(cosine, 100) == 0.0);
    CHECK(rate(cosine, 150) == 0.0);  // past the end it stays at the floor

    // Cosine with a 2-epoch warm-up and a floor of 1e-4: the warm-up ramps towards lr; the cosine then runs
    // over the remaining 80 updates, from lr at t = 20 to 1e-4 at t = 100.
    LrSchedule both = cosine;
    both.warmup_epochs = 2;
    both.min_lr = 0.0001f;
    CHECK_NEAR(rate(both, 0), 0.001 / 20, 2e-10);
    CHECK_NEAR(rate(both, 19), 0.001, 2e-10);
    CHECK_NEAR(rate(both, 20), 0.001, 2e-10);
    CHECK_NEAR(rate(both, 60), 0.0001 + 0.0009 * 0.5, 2e-10);  // halfway: 0.00055
    CHECK_NEAR(rate(both, 100), 0.0001, 2e-10);

    // The rate depends on t alone (a resumed run computes the same): the same call twice agrees.
    CHECK(scheduled_learning_rate(both, lr, 37, per_epoch, epochs) ==
          scheduled_learning_rate(both, lr, 37, per_epoch, epochs));

    // Names.
    ScheduleKind kind = ScheduleKind::constant;
    CHECK(parse_schedule_kind("cosine", kind) && kind == ScheduleKind::cosine);
    CHECK(parse_schedule_kind("step", kind) && kind == ScheduleKind::step);
    CHECK(!parse_schedule_kind("linear", kind));
    CHECK(std::string(schedule_kind_name(ScheduleKind::constant)) == "constant");
    return check_exit("test_schedule");
}
