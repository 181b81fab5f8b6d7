// What runs print. See console.h.
#include "run/console.h"

#include <chrono>
#include <cstdio>

#include "data/image.h"
#include "report/run_files.h"
#include "util/printable.h"

namespace mnist {

MnistData load_data_verbose(const std::string& dir, bool quiet, size_t stated_classes) {
    const auto start = std::chrono::steady_clock::now();
    MnistData data = load_mnist(dir, stated_classes);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!quiet)
        std::printf("data: %zu training and %zu test images of %s pixels, %zu classes, from %s (%.2f s)\n",
                    data.train.count, data.test.count, size_text(data.train.cols, data.train.rows).c_str(),
                    data.num_classes, printable(dir).c_str(), seconds);
    if (!quiet)
        for (const std::string& raw : data.raw_over_gz)
            std::printf("data: read %s, chosen over %s.gz beside it\n", printable(raw).c_str(), printable(raw).c_str());
    return data;
}

void print_test_report(const Evaluation& test, const Metrics& metrics) {
    std::printf("test accuracy %.4f (%llu of %llu), test loss %.4f\n\n", test.accuracy,
                static_cast<unsigned long long>(metrics.correct), static_cast<unsigned long long>(metrics.total),
                test.loss);
    std::printf("%s\nconfusion matrix (rows: true label, columns: predicted)\n%s", class_report(metrics).c_str(),
                confusion_report(test.confusion).c_str());
}

}  // namespace mnist
