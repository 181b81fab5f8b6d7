// The whole pipeline on the real MNIST files: load (gzip + IDX), split, train the report's 784-512-256-128-10
// network briefly on 4,000 images, and check the test accuracy on all 10,000 test images is at least 90%.
// Skipped (exit 77) when the data is not present. Not a reproduction of the report's full run (that is
// `./mnist` with its defaults). See docs/07-training.md.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "check.h"
#include "test_files.h"
#include "data/dataset.h"
#include "data/mnist_files.h"
#include "nn/mlp.h"
#include "tensor/thread_pool.h"
#include "train/evaluate.h"
#include "train/metrics.h"
#include "train/trainer.h"

using namespace mnist;

int main() {
    start_watchdog("test_end_to_end", 900);
    if (!test_files::in_data_folder("train-images-idx3-ubyte"))
        SKIP_TEST("no MNIST files in the repository's data/ (train-images-idx3-ubyte[.gz])");

    const auto start = std::chrono::steady_clock::now();
    const MnistData data = load_mnist("data");
    // What the files must hold: 60,000 + 10,000 images of 28 x 28, ten classes.
    CHECK(data.train.count == 60000);
    CHECK(data.test.count == 10000);
    CHECK(data.train.rows == 28 && data.train.cols == 28);
    CHECK(data.num_classes == 10);

    // The report's split (6,000 validation images), then only the first 4,000 training indices (as
    // `--limit 4000` does) so the test takes a couple of seconds.
    Split split = split_train_validation(data.train.count, 6000, 42);
    CHECK(split.train.size() == 54000 && split.validation.size() == 6000);
    // Under emulation (`make cross-test` sets MNIST_TEST_QUICK=1, where every operation is 20-100 times
    // slower; CI's sanitizer build sets it too, where this test took 60-200 s) the same pipeline runs on less
    // work: 2,000 images for 1 epoch, which reach 0.83-0.86 natively (seeds 42, 1, 2), checked against 0.75,
    // validated on 1,000 images and tested on the first 2,000.
    const bool quick = std::getenv("MNIST_TEST_QUICK") != nullptr;
    const size_t images = quick ? 2000 : 4000, epochs = quick ? 1 : 2, test_images = quick ? 2000 : 10000;
    const double required = quick ? 0.75 : 0.90;
    if (quick)
        std::printf("MNIST_TEST_QUICK is set: training on %zu images for %zu epoch, testing on %zu (required %.2f)\n",
                    images, epochs, test_images, required);
    split.train.resize(images);
    if (quick) split.validation.resize(1000);

    // The report's network and recipe (dropout 0.3, L2 1e-4, Adam with lr 1e-3), except: 2 epochs and
    // batch size 32 instead of 128, i.e. 2 x 125 = 250 Adam steps.
    // Why 4,000 images and not 2,000: measured on this code, 2 epochs over the first 2,000 images reach only
    // 0.868-0.893 test accuracy for batch sizes 8 to 64 (batch 32: 0.8926 with seed 42; 0.867-0.883 with
    // seeds 1-3), short of 0.90 with dropout 0.3 slowing the first steps (without dropout: 0.908). Over
    // 4,000 images, batch 32 gives 0.912-0.920 for seeds 42, 1, 2, 3: a margin of more than a point.
    TrainSettings settings;
    settings.batch_size = 32;
    settings.max_epochs = epochs;
    CHECK(settings.dropout_rate == 0.3f && settings.l2_lambda == 1e-4f && settings.adam.learning_rate == 1e-3f);
    Mlp mlp = make_mlp({784, 512, 256, 128, 10}, 42);
    Compute compute(default_thread_count());
    const TrainResult result = train(compute, mlp, data.train, split, settings, TrainCallbacks());
    CHECK(result.epochs_run == epochs);

    MlpWorkspace ws = make_mlp_workspace(mlp, 256);
    std::vector<uint32_t> test_indices(test_images);
    for (size_t i = 0; i < test_images; ++i) test_indices[i] = static_cast<uint32_t>(i);
    const Evaluation test = evaluate(compute, mlp, ws, data.test, test_indices);
    const Metrics metrics = compute_metrics(test.confusion);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("end to end: test accuracy %.4f (%llu of %llu), test loss %.4f, best validation accuracy %.4f, "
                "%zu threads, %.1f s\n",
                test.accuracy, static_cast<unsigned long long>(metrics.correct),
                static_cast<unsigned long long>(metrics.total), test.loss, result.best_validation_accuracy,
                compute.pool.size(), seconds);
    CHECK(metrics.total == test_images);
    CHECK(test.accuracy >= required);
    CHECK(result.best_validation_accuracy >= required - 0.02);  // validation tells the same story as the test set

    return check_exit("test_end_to_end");
}
