// The report's experiment, end to end, as one function that reads top to bottom like the report: the data
// and its split, a look at the data, the network (or a checkpoint's), training, the test set, and the
// files: model, metrics, history, figures, the report and the draw-a-digit page. `mnist train` only turns
// its options into RunSettings and calls it; tests call it directly. Not the option parsing (cli/) and not
// the training loop itself (train/trainer.h). See docs/07-training.md.
#pragma once

#include "nn/mlp.h"
#include "train/settings.h"

namespace mnist {

struct ExperimentResult {
    enum Kind {
        finished,     // the files are written
        interrupted,  // stopped by a signal during training: OUT/checkpoint.bin resumes it
    } kind = finished;
    int signal = 0;   // the signal that stopped it, or that came after training (the files are complete)
    TrainResult training;
    double test_accuracy = 0, test_loss = 0;
};

// Runs the experiment `settings` describes (every value checked as the options check them). Prints its log
// unless settings.quiet. Throws UsageError, InputError, SystemError (nothing of the last run's files is
// replaced) or TrainingError (the loss exploded: the best epoch so far is kept in model.bin).
ExperimentResult run_experiment(const RunSettings& settings);

// The weights a run with these settings starts from (--init, drawn from the seed's init stream): the one
// place that says so, for the run, its activation statistics and `mnist activations`.
Mlp initial_network(const std::vector<size_t>& sizes, const RunSettings& settings);

}  // namespace mnist
