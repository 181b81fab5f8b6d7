// Learning-rate schedules: the Adam learning rate of each update as a function of the update's number, for
// the whole run — constant (the report's recipe), step decay, or cosine annealing — after an optional linear
// warm-up, Eq. (30)-(32). A pure function of the step count, so a resumed run gets the same rates.
// See docs/12-augmentation.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace mnist {

enum class ScheduleKind : uint8_t { constant = 0, step = 1, cosine = 2 };

struct LrSchedule {
    ScheduleKind kind = ScheduleKind::constant;
    size_t warmup_epochs = 0;  // the first warmup_epochs epochs ramp the rate up linearly, Eq. (30) (any kind)
    size_t step_epochs = 20;   // step: the rate is multiplied by step_gamma every step_epochs epochs, Eq. (31)
    float step_gamma = 0.3f;
    float min_lr = 0.0f;       // cosine: the rate it falls to at the end of the last epoch, Eq. (32)
};

// "constant", "step", "cosine": the names --lr-schedule takes. parse_schedule_kind returns false for others.
const char* schedule_kind_name(ScheduleKind kind);
bool parse_schedule_kind(const std::string& name, ScheduleKind& kind);

// The learning rate of Adam's update t (1-based), given updates_done = t - 1 (AdamState::step before the
// update), of a run of max_epochs epochs of steps_per_epoch updates each, whose base rate is base_lr. With the
// constant schedule and no warm-up it is base_lr exactly.
float scheduled_learning_rate(const LrSchedule& schedule, float base_lr, uint64_t updates_done, size_t steps_per_epoch,
                              size_t max_epochs);

}  // namespace mnist
