// Eq. (30)-(32), in double precision, rounded to float once at the end. See docs/12-augmentation.md.
#include "train/lr_schedule.h"

#include <cmath>

namespace mnist {

const char* schedule_kind_name(ScheduleKind kind) {
    switch (kind) {
        case ScheduleKind::constant: return "constant";
        case ScheduleKind::step: return "step";
        case ScheduleKind::cosine: return "cosine";
    }
    return "?";
}

bool parse_schedule_kind(const std::string& name, ScheduleKind& kind) {
    for (const ScheduleKind k : {ScheduleKind::constant, ScheduleKind::step, ScheduleKind::cosine})
        if (name == schedule_kind_name(k)) {
            kind = k;
            return true;
        }
    return false;
}

// Eq. (30), Eq. (31), Eq. (32). `updates_done` is Adam's t - 1: 0 for the run's first update.
float scheduled_learning_rate(const LrSchedule& schedule, float base_lr, uint64_t updates_done, size_t steps_per_epoch,
                              size_t max_epochs) {
    if (schedule.kind == ScheduleKind::constant && schedule.warmup_epochs == 0) return base_lr;
    const double step = static_cast<double>(updates_done), per_epoch = static_cast<double>(steps_per_epoch);
    const double warmup_steps = static_cast<double>(schedule.warmup_epochs) * per_epoch;
    const double alpha = static_cast<double>(base_lr);
    double rate = alpha;
    if (schedule.kind == ScheduleKind::step) {
        // Eq. (31): alpha * gamma^floor((t - 1) / (S * B_e))
        const double drops = std::floor(step / (static_cast<double>(schedule.step_epochs) * per_epoch));
        rate = alpha * std::pow(static_cast<double>(schedule.step_gamma), drops);
    } else if (schedule.kind == ScheduleKind::cosine) {
        // Eq. (32): from alpha (base_lr) at the end of the warm-up down to min_lr at the end of the last epoch.
        const double total = static_cast<double>(max_epochs) * per_epoch;
        const double span = total - warmup_steps;
        double progress = span > 0 ? (step - warmup_steps) / span : 1.0;
        progress = progress < 0 ? 0 : progress > 1 ? 1 : progress;
        const double pi = 3.14159265358979323846, floor_lr = static_cast<double>(schedule.min_lr);
        rate = floor_lr + (alpha - floor_lr) * 0.5 * (1.0 + std::cos(pi * progress));
    }
    // Eq. (30): the warm-up's factor t / T_w on the first T_w updates (t = step + 1).
    if (step < warmup_steps) rate *= (step + 1.0) / warmup_steps;
    return static_cast<float>(rate);
}

}  // namespace mnist
