// Comparing two training runs: every number of their histories equal, except the wall-clock seconds. Used by
// the tests that promise bit-identical runs (same seed, other thread counts, resumed checkpoints).
#pragma once

#include "train/trainer.h"

inline bool same_history(const mnist::TrainResult& a, const mnist::TrainResult& b) {
    if (a.history.size() != b.history.size() || a.best_epoch != b.best_epoch || a.epochs_run != b.epochs_run ||
        a.best_validation_accuracy != b.best_validation_accuracy)
        return false;
    for (size_t i = 0; i < a.history.size(); ++i) {
        const mnist::EpochRecord &x = a.history[i], &y = b.history[i];
        if (x.epoch != y.epoch || x.train_loss != y.train_loss || x.train_objective != y.train_objective ||
            x.train_accuracy != y.train_accuracy || x.validation_loss != y.validation_loss ||
            x.validation_accuracy != y.validation_accuracy || x.train_evaluated != y.train_evaluated ||
            x.train_eval_loss != y.train_eval_loss || x.train_eval_accuracy != y.train_eval_accuracy)
            return false;
    }
    return true;
}
